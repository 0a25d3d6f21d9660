"""Shape checks for what a phone submits. Pure: turns untrusted JSON into typed
values or raises RoundsError; lookups (tags, templates) happen in services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.domain.errors import RoundsError
from server.domain.roles import VISIT_KINDS
from server.domain.text import refuse_nul

SCAN_METHODS = ("scan", "link", "typed")
INCIDENT_KINDS = ("suspicious_person", "hazard", "spill", "damage", "other")
MAX_NOTE = 2000
MAX_ANSWERS = 300
# A device clock can be wrong; beyond this it is not a clock error but garbage.
MAX_FUTURE = timedelta(days=2)
MAX_PAST = timedelta(days=120)

VISIT_FIELDS = {
    "tag_code", "short_code", "template_version_id", "kind", "round_id", "scan_method",
    "scanned_at", "finished_at", "device_id", "note", "answers",
}
FIX_FIELDS = {"finding_id", "note", "photos", "fixed_at", "device_id"}
MAX_FIX_NOTE = 1000
MAX_FIX_PHOTOS = 10
INCIDENT_FIELDS = {
    "kind", "note", "tag_code", "short_code", "location_id", "occurred_at", "device_id", "photos",
}


@dataclass(frozen=True)
class VisitSubmission:
    tag_code: str | None
    short_code: str | None
    template_version_id: int
    kind: str
    round_id: int | None
    scan_method: str
    scanned_at: datetime
    finished_at: datetime
    device_id: str
    note: str
    answers: list


@dataclass(frozen=True)
class IncidentSubmission:
    kind: str
    note: str
    tag_code: str | None
    short_code: str | None
    location_id: int | None
    occurred_at: datetime
    device_id: str
    photos: tuple[str, ...]


@dataclass(frozen=True)
class FixSubmission:
    """The owner's fix evidence for a rectification: what was done and the after-photo(s)."""

    finding_id: int
    note: str
    photos: tuple[str, ...]
    fixed_at: datetime
    device_id: str


def parse_credentials(body: object) -> tuple[str, str]:
    """The username and password of a login. The username is looked up and
    recorded with the attempt, so it must be storable text."""
    username, password = (body.get("username"), body.get("password")) if isinstance(body, dict) else (None, None)
    if not isinstance(username, str) or not isinstance(password, str):
        raise RoundsError("malformed_body", {"fields": ["username", "password"]})
    refuse_nul(username, "username")
    refuse_nul(password, "password")
    return username, password


def parse_uuid(raw: object, field: str = "uuid") -> uuid.UUID:
    try:
        if not isinstance(raw, str):
            raise ValueError
        return uuid.UUID(raw)
    except ValueError:
        raise RoundsError("malformed_body", {"field": field, "reason": "not a UUID"}) from None


def _time(body: dict, field: str, now: datetime) -> datetime:
    raw = body.get(field)
    if not isinstance(raw, str):
        raise RoundsError("invalid_time", {"field": field})
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise RoundsError("invalid_time", {"field": field}) from None
    if value.tzinfo is None:
        raise RoundsError("invalid_time", {"field": field, "reason": "no time zone offset"})
    if not now - MAX_PAST <= value <= now + MAX_FUTURE:
        raise RoundsError("invalid_time", {"field": field, "reason": "implausible"})
    return value


def _opt_str(body: dict, field: str, limit: int) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise RoundsError("malformed_body", {"field": field})
    return value.strip() or None


def _opt_int(body: dict, field: str) -> int | None:
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one number type: 12.0 is the integer 12
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RoundsError("malformed_body", {"field": field})
    return value


def _object(body: object, allowed: set[str]) -> dict:
    if not isinstance(body, dict):
        raise RoundsError("malformed_body", {"reason": "body must be a JSON object"})
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise RoundsError("malformed_body", {"reason": "unknown fields", "fields": unknown})
    # Every text of a submission is stored (notes, answers, device id): none may hold a NUL.
    refuse_nul(body)
    return body


def parse_visit(body: object, now: datetime) -> VisitSubmission:
    body = _object(body, VISIT_FIELDS)
    tag_code = _opt_str(body, "tag_code", 64)
    short_code = _opt_str(body, "short_code", 16)
    if not tag_code and not short_code:
        raise RoundsError("malformed_body", {"field": "tag_code", "reason": "tag_code or short_code"})
    version = _opt_int(body, "template_version_id")
    if version is None:
        raise RoundsError("malformed_body", {"field": "template_version_id"})
    kind = body.get("kind")
    if kind not in VISIT_KINDS:
        raise RoundsError("invalid_kind", {"field": "kind", "allowed": list(VISIT_KINDS)})
    scan_method = body.get("scan_method", "scan")
    if scan_method not in SCAN_METHODS:
        raise RoundsError("malformed_body", {"field": "scan_method", "allowed": list(SCAN_METHODS)})
    scanned_at = _time(body, "scanned_at", now)
    finished_at = _time(body, "finished_at", now)
    if finished_at < scanned_at:
        raise RoundsError("invalid_time", {"field": "finished_at", "reason": "before scanned_at"})
    answers = body.get("answers")
    if not isinstance(answers, list) or len(answers) > MAX_ANSWERS:
        raise RoundsError("malformed_body", {"field": "answers"})
    return VisitSubmission(
        tag_code=tag_code,
        short_code=short_code,
        template_version_id=version,
        kind=kind,
        round_id=_opt_int(body, "round_id"),
        scan_method=scan_method,
        scanned_at=scanned_at,
        finished_at=finished_at,
        device_id=_opt_str(body, "device_id", 64) or "",
        note=_opt_str(body, "note", MAX_NOTE) or "",
        answers=answers,
    )


def parse_incident(body: object, now: datetime) -> IncidentSubmission:
    body = _object(body, INCIDENT_FIELDS)
    kind = body.get("kind")
    if kind not in INCIDENT_KINDS:
        raise RoundsError("invalid_kind", {"field": "kind", "allowed": list(INCIDENT_KINDS)})
    photos = body.get("photos", [])
    if not isinstance(photos, list) or len(photos) > 20:
        raise RoundsError("malformed_body", {"field": "photos"})
    return IncidentSubmission(
        kind=kind,
        note=_opt_str(body, "note", MAX_NOTE) or "",
        tag_code=_opt_str(body, "tag_code", 64),
        short_code=_opt_str(body, "short_code", 16),
        location_id=_opt_int(body, "location_id"),
        occurred_at=_time(body, "occurred_at", now),
        device_id=_opt_str(body, "device_id", 64) or "",
        photos=tuple(str(parse_uuid(p, "photos")) for p in photos),
    )


def parse_fix(body: object, now: datetime) -> FixSubmission:
    """A fix needs a note and at least one after-photo UUID."""
    body = _object(body, FIX_FIELDS)
    finding_id = _opt_int(body, "finding_id")
    if finding_id is None:
        raise RoundsError("malformed_body", {"field": "finding_id"})
    note = _opt_str(body, "note", MAX_FIX_NOTE)
    if not note:
        raise RoundsError("fix_incomplete", {"field": "note"})
    photos = body.get("photos")
    if not isinstance(photos, list) or len(photos) > MAX_FIX_PHOTOS:
        raise RoundsError("malformed_body", {"field": "photos", "max": MAX_FIX_PHOTOS})
    if not photos:
        raise RoundsError("fix_incomplete", {"field": "photos"})
    uuids = tuple(str(parse_uuid(p, "photos")) for p in photos)
    if len(set(uuids)) != len(uuids):
        raise RoundsError("malformed_body", {"field": "photos", "reason": "duplicate"})
    return FixSubmission(
        finding_id=finding_id,
        note=note,
        photos=uuids,
        fixed_at=_time(body, "fixed_at", now),
        device_id=_opt_str(body, "device_id", 64) or "",
    )
