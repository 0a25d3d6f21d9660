"""Findings until fixed. Every failed item is a finding. A supervisor marks it
fixed on the spot (with the after-photo) or opens a rectification (整改) with an
owner and a deadline; the owner's next visit there is the fix evidence, and
each visit by someone else is a re-inspection (复查): a pass closes the
rectification, a fail keeps it open. Every step is a FindingEvent."""

from __future__ import annotations

from datetime import datetime

from server.db import engine as db
from server.db.tables import (
    Answer,
    Finding,
    FindingEvent,
    Membership,
    Photo,
    TemplateVersion,
    Visit,
)
from server.domain.errors import RoundsError
from server.domain.supervision_rules import sees_department
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.scope import require

OPEN_STATES = ("open", "rectifying")
MAX_NOTE = 1000
CLOSED_SHOWN = 50


async def _finding(finding_id: int) -> dict:
    row = await Finding.select(
        Finding.all_columns(), Finding.location.department.as_alias("department"),
        Finding.location.name_zh.as_alias("loc_zh"), Finding.location.name_en.as_alias("loc_en"),
        Finding.owner.display_name.as_alias("owner_name"),
    ).where(Finding.id == finding_id).first().run()
    if row is None:
        raise RoundsError("not_found")
    return row


def _check_department(user: CurrentUser, row: dict) -> None:
    if not sees_department(user.role, user.department, row["department"]):
        raise RoundsError("forbidden", {"reason": "another department"})


async def list_findings(user: CurrentUser, site_id: int, *, at: datetime | None = None) -> list[dict]:
    """Open and rectifying findings (overdue rectifications first, then by
    deadline, then newest), then the most recently closed ones."""
    require(user, "finding.view", site_id)
    at = at or now()
    cols = (Finding.all_columns(), Finding.location.department.as_alias("department"),
            Finding.visit.template_version.as_alias("version_id"),
            Finding.location.name_zh.as_alias("loc_zh"), Finding.location.name_en.as_alias("loc_en"),
            Finding.owner.display_name.as_alias("owner_name"),
            Finding.visit.user.display_name.as_alias("found_by"))
    live = await Finding.select(*cols).where(
        (Finding.site == site_id) & Finding.status.is_in(list(OPEN_STATES))).run()
    done = await Finding.select(*cols).where(
        (Finding.site == site_id) & Finding.status.not_in(list(OPEN_STATES))
    ).order_by(Finding.closed_at, ascending=False).limit(CLOSED_SHOWN).run()
    for f in live + done:
        f["overdue"] = f["status"] == "rectifying" and f["deadline"] is not None and f["deadline"] < at

    def order(f: dict):
        far = datetime.max.replace(tzinfo=at.tzinfo)
        return (not f["overdue"], f["status"] != "rectifying", f["deadline"] or far,
                -f["created_at"].timestamp())

    rows = [f for f in sorted(live, key=order) + done
            if sees_department(user.role, user.department, f["department"])]
    await attach_labels(rows)
    return rows


async def attach_labels(rows: list[dict]) -> None:
    """label_zh / label_en of each finding's checklist item (rows need version_id)."""
    ids = sorted({f["version_id"] for f in rows if f.get("version_id")})
    versions = await TemplateVersion.select(TemplateVersion.id, TemplateVersion.items).where(
        TemplateVersion.id.is_in(ids or [-1])).output(load_json=True).run()
    labels = {(v["id"], i["id"]): i for v in versions for i in v["items"]}
    for f in rows:
        item = labels.get((f.get("version_id"), f["item_id"]), {})
        f["label_zh"] = item.get("label_zh") or f["item_id"]
        f["label_en"] = item.get("label_en") or f["item_id"]


async def finding_detail(user: CurrentUser, finding_id: int) -> dict:
    f = await _finding(finding_id)
    require(user, "finding.view", f["site"])
    _check_department(user, f)
    visit = await Visit.select(Visit.id, Visit.template_version, Visit.scanned_at, Visit.user,
                               Visit.user.display_name.as_alias("who")).where(Visit.id == f["visit"]).first().run()
    version = await TemplateVersion.select(TemplateVersion.items).where(
        TemplateVersion.id == visit["template_version"]).output(load_json=True).first().run()
    item = next((i for i in version["items"] if i["id"] == f["item_id"]), {"label_zh": f["item_id"],
                                                                            "label_en": f["item_id"]})
    answer = await Answer.select().where((Answer.visit == f["visit"]) & (Answer.item_id == f["item_id"])
                                         ).output(load_json=True).first().run()
    events = await FindingEvent.select(
        FindingEvent.all_columns(), FindingEvent.actor.display_name.as_alias("actor_name"),
        FindingEvent.owner.display_name.as_alias("owner_name"),
    ).where(FindingEvent.finding == finding_id).order_by(FindingEvent.id).output(load_json=True).run()
    people = await Membership.select(
        Membership.user.id.as_alias("id"), Membership.user.display_name.as_alias("name"),
        Membership.user.role.as_alias("role"), Membership.user.department.as_alias("department"),
    ).where((Membership.site == f["site"]) & Membership.user.active.eq(True)).run()
    owners = [p for p in people if p["role"] in ("guard", "cleaner", "technician", "team_lead")]
    return {"finding": f, "visit": visit, "item": item, "answer": answer, "events": events,
            "owners": sorted(owners, key=lambda p: (p["department"] != f["department"], p["name"]))}


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise RoundsError("validation_error", {"field": "note", "max": MAX_NOTE})
    return note


async def fix_on_spot(user: CurrentUser, finding_id: int, *, photo_uuids: list[str], note: str = "") -> None:
    f = await _finding(finding_id)
    require(user, "finding.act", f["site"])
    _check_department(user, f)
    note = _note(note)
    if f["status"] not in OPEN_STATES:
        raise RoundsError("conflict", {"reason": "finding_closed", "status": f["status"]})
    if not photo_uuids:
        raise RoundsError("validation_error", {"field": "photo", "reason": "an after-photo is required"})
    held = await Photo.count().where(Photo.client_uuid.is_in(photo_uuids)).run()
    if held != len(photo_uuids):
        raise RoundsError("validation_error", {"field": "photo", "reason": "unknown photo"})
    at = now()
    async with db.transaction():
        changed = await Finding.update({Finding.status: "fixed", Finding.closed_at: at}).where(
            (Finding.id == finding_id) & Finding.status.is_in(list(OPEN_STATES))).returning(Finding.id).run()
        if not changed:
            raise RoundsError("conflict", {"reason": "finding_closed"})
        await FindingEvent.insert(FindingEvent(finding=finding_id, kind="fixed_on_spot", passed="yes",
                                               actor=user.id, photos=list(photo_uuids), note=note,
                                               created_at=at)).run()
        await audit.record("finding.fixed_on_spot", actor_id=user.id, site_id=f["site"], object_type="finding",
                           object_id=finding_id, detail={"photos": list(photo_uuids)})


async def open_rectification(user: CurrentUser, finding_id: int, *, owner_id: int, deadline: datetime,
                             note: str = "") -> None:
    f = await _finding(finding_id)
    require(user, "finding.act", f["site"])
    _check_department(user, f)
    note = _note(note)
    if f["status"] != "open":
        raise RoundsError("conflict", {"reason": "not_open", "status": f["status"]})
    if deadline.tzinfo is None:
        raise RoundsError("invalid_time", {"field": "deadline"})
    at = now()
    if deadline <= at:
        raise RoundsError("validation_error", {"field": "deadline", "reason": "must be in the future"})
    member = await Membership.exists().where((Membership.user == owner_id) & (Membership.site == f["site"])).run()
    if not member:
        raise RoundsError("validation_error", {"field": "owner", "reason": "not a member of this site"})
    async with db.transaction():
        changed = await Finding.update({Finding.status: "rectifying", Finding.owner: owner_id,
                                        Finding.deadline: deadline}).where(
            (Finding.id == finding_id) & (Finding.status == "open")).returning(Finding.id).run()
        if not changed:
            raise RoundsError("conflict", {"reason": "not_open"})
        await FindingEvent.insert(FindingEvent(finding=finding_id, kind="rectification", actor=user.id,
                                               owner=owner_id, deadline=deadline, note=note,
                                               created_at=at)).run()
        await audit.record("finding.rectification", actor_id=user.id, site_id=f["site"], object_type="finding",
                           object_id=finding_id, detail={"owner": owner_id, "deadline": deadline.isoformat()})


async def on_visit(visit_id: int, user_id: int, location_id: int, site_id: int,
                   answers: dict[str, bool], photos: dict[str, list[str]], at: datetime) -> set[str]:
    """Called inside the visit's transaction. For each rectifying finding at
    this location whose item the visit answered: the owner's visit is fix
    evidence, anyone else's is a re-inspection; a pass by a re-inspector closes
    it. Returns the item ids consumed (no new finding is opened for them: the
    rectification already tracks that problem)."""
    rows = await Finding.select(Finding.id, Finding.item_id, Finding.owner).where(
        (Finding.location == location_id) & (Finding.status == "rectifying")
        & Finding.item_id.is_in(list(answers) or ["-"])).run()
    consumed: set[str] = set()
    for f in rows:
        failed = answers[f["item_id"]]
        consumed.add(f["item_id"])
        by_owner = f["owner"] == user_id
        kind = "fix_submitted" if by_owner else "reinspection"
        await FindingEvent.insert(FindingEvent(
            finding=f["id"], kind=kind, passed="no" if failed else "yes", actor=user_id, visit=visit_id,
            photos=photos.get(f["item_id"], []), created_at=at)).run()
        if not by_owner and not failed:
            await Finding.update({Finding.status: "closed", Finding.closed_at: at}).where(
                Finding.id == f["id"]).run()
        await audit.record(f"finding.{kind}", actor_id=user_id, site_id=site_id, object_type="finding",
                           object_id=f["id"], detail={"visit": visit_id, "passed": not failed})
    return consumed
