"""Ingest of a visit from a phone: idempotent by the phone's UUID, all-or-nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import msgspec

from server.db import engine as db
from server.db import raw
from server.db.tables import Finding
from server.domain import checklist
from server.domain.checklist import CheckedAnswer
from server.domain.errors import RoundsError
from server.domain.roles import may_record
from server.domain.submission import VisitSubmission, parse_uuid, parse_visit
from server.lib.canonical import fingerprint
from server.lib.clock import now
from server.services import supervision_hooks
from server.services.accounts import CurrentUser
from server.services.catalog import (
    find_tag,
    occurrence_of,
    round_for_visit,
    site_row,
    template_version_for_ingest,
)
from server.services.idempotency import create_once, replay_or_refuse

MAX_BATCH = 100

VISIT_COLUMNS = ("client_uuid", "fingerprint", "user", "site", "location", "tag", "template_version", "round",
                 "occurrence", "timing", "kind", "scan_method", "scanned_at", "finished_at", "received_at",
                 "device_id", "note", "failed_count", "points_earned", "points_possible")
ANSWER_COLUMNS = ("visit", "item_id", "kind", "value", "failed", "note", "photos", "points")
AUDIT_COLUMNS = ("at", "actor", "site", "action", "object_type", "object_id", "detail")
# What visit_result() reads; selected by hand (the hot path skips Piccolo's query builder).
RESULT_COLUMNS = ("id", "client_uuid", "fingerprint", "user", "received_at", "site", "location", "round",
                  "occurrence", "timing", "failed_count", "points_earned", "points_possible")


def visit_result(row: dict) -> dict:
    """What the phone gets back, always rebuilt from the stored row so a resend
    sees exactly what the first send saw."""
    return {
        "id": row["id"],
        "client_uuid": str(row["client_uuid"]),
        "received_at": row["received_at"].isoformat(),
        "site_id": row["site"],
        "location_id": row["location"],
        "round_id": row["round"],
        "occurrence": row["occurrence"],
        "timing": row["timing"],
        "failed_count": row["failed_count"],
        "points_earned": row["points_earned"],
        "points_possible": row["points_possible"],
    }


async def _stored_many(uids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    if not uids:
        return {}
    cols = ", ".join(f'"{c}"' for c in RESULT_COLUMNS)
    rows = await raw.fetch(lambda p: f'SELECT {cols} FROM "visit" WHERE "client_uuid" IN {p.many(uids)}')
    return {r["client_uuid"]: r for r in rows}


async def _stored(client_uuid: uuid.UUID) -> dict | None:
    return (await _stored_many([client_uuid])).get(client_uuid)


def _replay(row: dict, user: CurrentUser, fp: str) -> dict:
    return replay_or_refuse(row, visit_result, sender="user", user_id=user.id, key="fingerprint", value=fp)


@dataclass
class Prepared:
    """A checked submission, ready to write."""

    uid: uuid.UUID
    fp: str
    sub: VisitSubmission
    tag: dict
    version_id: int
    occurrence: str | None
    timing: str
    checked: list[CheckedAnswer]
    earned: int
    possible: int
    received: datetime

    @property
    def failed(self) -> list[CheckedAnswer]:
        return [a for a in self.checked if a.failed]


@dataclass
class Outcome:
    """One submission's fate in a batch: 201 created, 200 resend, or a refusal."""

    client_uuid: str
    status: int
    visit: dict | None = None
    error: RoundsError | None = None


class Lookups:
    """Per-request memo of the rows a batch of visits keeps asking for."""

    def __init__(self) -> None:
        self._tags: dict[tuple, dict] = {}
        self._versions: dict[int, dict | None] = {}
        self._rounds: dict[tuple, dict] = {}
        self._sites: dict[int, dict] = {}

    async def tag(self, code: str | None, short_code: str | None, site_ids: frozenset[int]) -> dict:
        key = (code, short_code, site_ids)
        if key not in self._tags:
            self._tags[key] = await find_tag(code=code, short_code=short_code, site_ids=site_ids)
        return self._tags[key]

    async def version(self, version_id: int) -> dict | None:
        if version_id not in self._versions:
            self._versions[version_id] = await template_version_for_ingest(version_id)
        return self._versions[version_id]

    async def round(self, round_id: int, site_id: int, location_id: int) -> dict:
        key = (round_id, site_id, location_id)
        if key not in self._rounds:
            self._rounds[key] = await round_for_visit(round_id, site_id, location_id)
        return self._rounds[key]

    async def site(self, site_id: int) -> dict:
        if site_id not in self._sites:
            self._sites[site_id] = await site_row(site_id)
        return self._sites[site_id]


async def _prepare(user: CurrentUser, uid: uuid.UUID, fp: str, body: object, *, secret: str,
                   lookups: Lookups) -> Prepared:
    """Every check a submission must pass, with no writes. Raises RoundsError."""
    received = now()
    sub = parse_visit(body, received)
    if not may_record(user.role, sub.kind):
        raise RoundsError("forbidden", {"reason": "kind not allowed for role", "kind": sub.kind})
    tag = await lookups.tag(sub.tag_code, sub.short_code, user.site_ids)
    version = await lookups.version(sub.template_version_id)
    if version is None or version["site_id"] != tag["site"]:
        raise RoundsError("unknown_template_version", {"template_version_id": sub.template_version_id})
    occurrence, timing = None, ""
    if sub.round_id is not None:
        round_row = await lookups.round(sub.round_id, tag["site"], tag["location"])
        site = await lookups.site(tag["site"])
        occ, timing = occurrence_of(round_row, sub.scanned_at, site["timezone"], secret)
        occurrence = occ.key if occ else None
    items = version["items"]
    checked = checklist.check_answers(items, sub.answers)
    earned, possible = checklist.score(checked, items)
    return Prepared(uid, fp, sub, tag, version["id"], occurrence, timing, checked, earned, possible, received)


def _json(value: object) -> str:
    return msgspec.json.encode(value).decode()


def _visit_values(user: CurrentUser, p: Prepared) -> tuple:
    sub = p.sub
    return (p.uid, p.fp, user.id, p.tag["site"], p.tag["location"], p.tag["id"], p.version_id, sub.round_id,
            p.occurrence, p.timing, sub.kind, sub.scan_method, sub.scanned_at, sub.finished_at, p.received,
            sub.device_id, sub.note, len(p.failed), p.earned, p.possible)


def _answer_values(visit_id: int, p: Prepared) -> list[tuple]:
    return [(visit_id, a.item_id, a.kind, _json(a.value), a.failed, a.note, _json(list(a.photos)), a.points)
            for a in p.checked]


async def _after_insert(user: CurrentUser, visit_id: int, p: Prepared, *, hooks: bool) -> None:
    """What a new visit sets off, inside its transaction: supervision records,
    findings for failed items. `hooks` False: the batch already knows no redo
    task, rectification or spot check can concern this visit."""
    tag, sub, checked, failed, received = p.tag, p.sub, p.checked, p.failed, p.received
    # Redo tasks, rectifications and spot checks this visit answers; an item an
    # open rectification already tracks gets no second finding.
    consumed: set[str] = set()
    if hooks:
        consumed = await supervision_hooks.after_visit(
            visit_id=visit_id, user_id=user.id, location_id=tag["location"], site_id=tag["site"],
            kind=sub.kind, checked=checked, at=received, role=user.role)
    new_findings = [a for a in failed if a.item_id not in consumed]
    if new_findings:
        await Finding.insert(
            *[
                Finding(
                    visit=visit_id,
                    item_id=a.item_id,
                    site=tag["site"],
                    location=tag["location"],
                    status="open",
                    created_at=received,
                )
                for a in new_findings
            ]
        ).run()


def _audit_values(user: CurrentUser, visit_id: int, p: Prepared) -> tuple:
    detail = _json({"client_uuid": str(p.uid), "failed": len(p.failed)})
    return (p.received, user.id, p.tag["site"], "visit.create", "visit", str(visit_id), detail)


def _stored_row(p: Prepared, visit_id: int) -> dict:
    """The stored visit as visit_result() reads it, from the values just written
    (what a later re-read returns, down to the microsecond, on both engines)."""
    return {"id": visit_id, "client_uuid": p.uid, "received_at": p.received, "site": p.tag["site"],
            "location": p.tag["location"], "round": p.sub.round_id, "occurrence": p.occurrence,
            "timing": p.timing, "failed_count": len(p.failed), "points_earned": p.earned,
            "points_possible": p.possible}


async def _write(user: CurrentUser, prepared: list[Prepared]) -> dict[uuid.UUID, int]:
    """Inside the caller's transaction: every visit and its answers in
    multi-row INSERTs, then each visit's follow-ups, then the audit rows.
    Returns client UUID -> visit id. A UUID another request stored first makes
    the visit INSERT fail on the unique index, which undoes the whole transaction."""
    rows = await raw.insert_rows("visit", VISIT_COLUMNS, [_visit_values(user, p) for p in prepared],
                                 returning=("id", "client_uuid"))
    ids = {r["client_uuid"]: r["id"] for r in rows}
    await raw.insert_rows("answer", ANSWER_COLUMNS,
                          [row for p in prepared for row in _answer_values(ids[p.uid], p)])
    concerned = await supervision_hooks.concerned_locations(
        user_id=user.id, location_ids={p.tag["location"] for p in prepared},
        kinds={p.sub.kind for p in prepared})
    for p in prepared:
        await _after_insert(user, ids[p.uid], p, hooks=p.tag["location"] in concerned)
    await raw.insert_rows("audit_log", AUDIT_COLUMNS, [_audit_values(user, ids[p.uid], p) for p in prepared])
    return ids


async def ingest_visits(user: CurrentUser, items: list[tuple[str, object]], *, secret: str) -> list[Outcome]:
    """A batch of (client UUID, body) from one phone's outbox. Each item gets its
    own outcome; refused items write nothing; the accepted new ones are written
    together. If another request races us on one of the UUIDs, the batch falls
    back to writing item by item, each settled like a single PUT."""
    lookups = Lookups()
    outcomes: list[Outcome] = []
    parsed: list[tuple[int, uuid.UUID, str, object]] = []
    for index, (raw_uuid, body) in enumerate(items):
        outcomes.append(Outcome(str(raw_uuid), 0))
        try:
            parsed.append((index, parse_uuid(raw_uuid, "client_uuid"), fingerprint(body), body))
        except RoundsError as exc:
            outcomes[index] = Outcome(str(raw_uuid), exc.status or 400, error=exc)
    stored = await _stored_many([uid for _, uid, _, _ in parsed])
    fresh: dict[uuid.UUID, tuple[int, Prepared]] = {}
    repeats: list[tuple[int, uuid.UUID, str]] = []
    for index, uid, fp, body in parsed:
        try:
            if uid in stored:
                outcomes[index] = Outcome(str(uid), 200, visit=_replay(stored[uid], user, fp))
            elif uid in fresh:
                repeats.append((index, uid, fp))  # the same UUID twice in one batch
            else:
                fresh[uid] = (index, await _prepare(user, uid, fp, body, secret=secret, lookups=lookups))
        except RoundsError as exc:
            outcomes[index] = Outcome(str(uid), exc.status or 422, error=exc)

    prepared = [p for _, p in fresh.values()]
    if prepared:
        try:
            async with db.transaction():
                ids = await _write(user, prepared)
            for index, p in fresh.values():
                outcomes[index] = Outcome(str(p.uid), 201, visit=visit_result(_stored_row(p, ids[p.uid])))
        except Exception as exc:
            if not db.is_unique_violation(exc):
                raise
            for index, p in fresh.values():
                ok, result = await _create(user, p)
                outcomes[index] = Outcome(str(p.uid), 201 if ok else 200, visit=result)
    for index, uid, fp in repeats:
        first = outcomes[fresh[uid][0]]
        if first.visit is not None and fresh[uid][1].fp == fp:
            outcomes[index] = Outcome(str(uid), 200, visit=first.visit)
        else:
            error = RoundsError("idempotency_conflict", {"client_uuid": str(uid)})
            outcomes[index] = Outcome(str(uid), 422, error=error)
    return outcomes


async def _create(user: CurrentUser, p: Prepared) -> tuple[bool, dict]:
    async def write() -> dict:
        return _stored_row(p, (await _write(user, [p]))[p.uid])

    return await create_once(write, load=lambda: _stored(p.uid),
                             replay=lambda row: _replay(row, user, p.fp), shape=visit_result)


async def ingest_visit(user: CurrentUser, client_uuid: str, body: object, *, secret: str) -> tuple[bool, dict]:
    """Returns (created, result). A resend of the same body returns the stored
    result; the same UUID with another body is refused; nothing is written on a
    refusal."""
    uid = parse_uuid(client_uuid, "client_uuid")
    fp = fingerprint(body)
    stored = await _stored(uid)
    if stored is not None:
        return False, _replay(stored, user, fp)
    return await _create(user, await _prepare(user, uid, fp, body, secret=secret, lookups=Lookups()))
