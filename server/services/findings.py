"""Findings until fixed. Every failed item is a finding. A supervisor marks it
fixed on the spot (with the after-photo) or opens a rectification (整改) with an
owner and a deadline. The owner gets it as a task on their phone (the pack's
`rectifications`) and sends the fix evidence from there: a note and an
after-photo (`submit_fix`, idempotent by the phone's UUID). The location is then
re-inspected (复查) by a team lead, inspector, supervisor or manager: their
visit there answering the item is the re-inspection — a pass closes the
rectification, a fail keeps it open for another fix. Other people's visits
(field staff, the owner) are kept in the history but decide nothing. Every
step is a FindingEvent."""

from __future__ import annotations

import hashlib
import uuid as uuidlib
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
from server.domain.submission import parse_fix, parse_uuid
from server.domain.supervision_rules import may_reinspect, sees_department
from server.lib.canonical import fingerprint
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.idempotency import create_once, replay_or_refuse
from server.services.scope import require, require_record

OPEN_STATES = ("open", "rectifying")
MAX_NOTE = 1000
CLOSED_SHOWN = 50
# The events that say where a rectification stands (the others are context).
PROGRESS_KINDS = ("rectification", "fix_submitted", "reinspection")


def stage_of(events: list[dict]) -> str:
    """Where a rectification stands, from its events (oldest first):
    to_fix (nothing sent yet), fix_submitted (awaiting re-inspection),
    reinspection_failed (fix again)."""
    last = next((e for e in reversed(events) if e["kind"] in PROGRESS_KINDS), None)
    if last is None or last["kind"] == "rectification":
        return "to_fix"
    if last["kind"] == "fix_submitted":
        return "fix_submitted"
    return "reinspection_failed" if last["passed"] == "no" else "to_fix"


async def _events_by_finding(ids: list[int]) -> dict[int, list[dict]]:
    rows = await FindingEvent.select(
        FindingEvent.id, FindingEvent.finding, FindingEvent.kind, FindingEvent.passed, FindingEvent.created_at,
        FindingEvent.note, FindingEvent.client_uuid,
    ).where(FindingEvent.finding.is_in(ids or [-1])).order_by(FindingEvent.id).run()
    out: dict[int, list[dict]] = {}
    for r in rows:
        out.setdefault(r["finding"], []).append(r)
    return out


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
    events = await _events_by_finding([f["id"] for f in live if f["status"] == "rectifying"])
    for f in live + done:
        f["overdue"] = f["status"] == "rectifying" and f["deadline"] is not None and f["deadline"] < at
        f["stage"] = stage_of(events.get(f["id"], [])) if f["status"] == "rectifying" else ""

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


async def finding_detail(user: CurrentUser, finding_id: int, store=None) -> dict:
    """One finding with its history; with a BlobStore, each event's photos get
    their links (thumbnail, display, evidence) — or none yet, when the phone
    has not uploaded them."""
    f = await _finding(finding_id)
    require_record(user, "finding.view", f["site"])
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
    if store is not None:
        from server.services.visit_detail import photo_urls

        wanted = [uuidlib.UUID(str(p)) for e in events for p in e["photos"]]
        rows = {str(p["client_uuid"]): p for p in await Photo.select().where(
            Photo.client_uuid.is_in(wanted or [uuidlib.UUID(int=0)])).run()}
        for e in events:
            e["photo_links"] = [{"uuid": str(p), "urls": photo_urls(rows[str(p)], store) if str(p) in rows else None}
                                for p in e["photos"]]
    people = await Membership.select(
        Membership.user.id.as_alias("id"), Membership.user.display_name.as_alias("name"),
        Membership.user.role.as_alias("role"), Membership.user.department.as_alias("department"),
    ).where((Membership.site == f["site"]) & Membership.user.active.eq(True)).run()
    owners = [p for p in people if p["role"] in ("guard", "cleaner", "technician", "team_lead")]
    f["stage"] = stage_of(events) if f["status"] == "rectifying" else ""
    return {"finding": f, "visit": visit, "item": item, "answer": answer, "events": events,
            "owners": sorted(owners, key=lambda p: (p["department"] != f["department"], p["name"]))}


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise RoundsError("validation_error", {"field": "note", "max": MAX_NOTE})
    return note


async def _fixable(user: CurrentUser, finding_id: int, note: str) -> tuple[dict, str]:
    """Every check of a fix on the spot that needs no photo: the finding, the
    role, the site, the department, the note, the state."""
    f = await _finding(finding_id)
    require_record(user, "finding.act", f["site"])
    _check_department(user, f)
    note = _note(note)
    if f["status"] not in OPEN_STATES:
        raise RoundsError("conflict", {"reason": "finding_closed", "status": f["status"]})
    return f, note


async def fix_on_spot_with_photo(user: CurrentUser, finding_id: int, data: bytes, *, note: str, store,
                                 max_bytes: int, max_pixels: int, content_type: str = "") -> None:
    """The console's "fixed on the spot" with its after-photo. Everything is
    checked before the photo is stored: a refused fix leaves no photo row and
    no blobs behind."""
    from server.services.photos import ingest_photo

    await _fixable(user, finding_id, note)
    if not data:
        raise RoundsError("validation_error", {"field": "photo", "reason": "an after-photo is required"})
    fix_uuid = uuidlib.uuid4()
    _, stored = await ingest_photo(
        user, str(uuidlib.uuid4()), data, declared_sha256=hashlib.sha256(data).hexdigest(), store=store,
        max_bytes=max_bytes, max_pixels=max_pixels, fix=str(fix_uuid), item_id=None, content_type=content_type)
    await fix_on_spot(user, finding_id, photo_uuids=[stored["client_uuid"]], note=note, fix_uuid=fix_uuid)


async def fix_on_spot(user: CurrentUser, finding_id: int, *, photo_uuids: list[str], note: str = "",
                      fix_uuid: uuidlib.UUID | None = None) -> None:
    """`fix_uuid`: what the after-photo was uploaded under (Photo.fix_uuid), so
    everyone who may see the finding may see the photo."""
    f, note = await _fixable(user, finding_id, note)
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
                                               created_at=at, client_uuid=fix_uuid or uuidlib.uuid4())).run()
        await audit.record("finding.fixed_on_spot", actor_id=user.id, site_id=f["site"], object_type="finding",
                           object_id=finding_id, detail={"photos": list(photo_uuids)})


async def open_rectification(user: CurrentUser, finding_id: int, *, owner_id: int, deadline: datetime,
                             note: str = "") -> None:
    f = await _finding(finding_id)
    require_record(user, "finding.act", f["site"])
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


_RECTIFYING = Finding.status == "rectifying"  # the findings a visit at their place may re-inspect


async def rectifying_locations(location_ids: list[int]) -> set[int]:
    """Of these places, those with a rectification open."""
    rows = await Finding.select(Finding.location).where(
        _RECTIFYING & Finding.location.is_in(location_ids or [-1])).distinct().run()
    return {r["location"] for r in rows}


async def on_visit(visit_id: int, user_id: int, role: str, location_id: int, site_id: int,
                   answers: dict[str, bool], photos: dict[str, list[str]], at: datetime,
                   notes: dict[str, str] | None = None) -> set[str]:
    """Called inside the visit's transaction. For each rectifying finding at
    this location whose item the visit answered: a re-inspector's visit (team
    lead, inspector, supervisor, manager; not the owner) is a re-inspection — a
    pass closes the finding, a fail keeps it open; anyone else's visit is kept
    as a field check and decides nothing. Returns the item ids consumed (no new
    finding is opened for them: the rectification already tracks that problem)."""
    rows = await Finding.select(Finding.id, Finding.item_id, Finding.owner).where(
        _RECTIFYING & (Finding.location == location_id) & Finding.item_id.is_in(list(answers) or ["-"])).run()
    consumed: set[str] = set()
    for f in rows:
        failed = answers[f["item_id"]]
        consumed.add(f["item_id"])
        kind = "reinspection" if may_reinspect(role, user_id, f["owner"]) else "field_check"
        await FindingEvent.insert(FindingEvent(
            finding=f["id"], kind=kind, passed="no" if failed else "yes", actor=user_id, visit=visit_id,
            photos=photos.get(f["item_id"], []), note=(notes or {}).get(f["item_id"], ""), created_at=at)).run()
        if kind == "reinspection" and not failed:
            await Finding.update({Finding.status: "closed", Finding.closed_at: at}).where(
                Finding.id == f["id"]).run()
        await audit.record(f"finding.{kind}", actor_id=user_id, site_id=site_id, object_type="finding",
                           object_id=f["id"], detail={"visit": visit_id, "passed": not failed})
    return consumed


# ---- fix evidence from the owner's phone ----------------------------------

def fix_result(row: dict) -> dict:
    """What the phone gets back, rebuilt from the stored event (a resend sees
    what the first send saw)."""
    return {
        "id": row["id"], "client_uuid": str(row["client_uuid"]), "finding_id": row["finding"],
        "received_at": row["created_at"].isoformat(), "photos": row["photos"],
    }


async def _stored_fix(uid: uuidlib.UUID) -> dict | None:
    return await FindingEvent.select().where(FindingEvent.client_uuid == uid).output(load_json=True).first().run()


def _replay_fix(row: dict, user: CurrentUser, fp: str) -> dict:
    return replay_or_refuse(row, fix_result, sender="actor", user_id=user.id, key="fingerprint", value=fp)


async def submit_fix(user: CurrentUser, client_uuid: str, body: object) -> tuple[bool, dict]:
    """The owner's fix evidence for a rectification: a note and at least one
    after-photo (photos may arrive before or after, with ?fix=<client_uuid>).
    Returns (created, result); a resend of the same body gets the stored
    result, another body under the same UUID is refused; a finding that is
    not the caller's, or no longer being rectified, is refused; nothing is
    written on a refusal."""
    uid = parse_uuid(client_uuid, "client_uuid")
    fp = fingerprint(body)
    stored = await _stored_fix(uid)
    if stored is not None:
        return False, _replay_fix(stored, user, fp)
    received = now()
    sub = parse_fix(body, received)
    f = await Finding.select(Finding.id, Finding.site, Finding.status, Finding.owner).where(
        Finding.id == sub.finding_id).first().run()
    if f is None or f["site"] not in user.site_ids:
        raise RoundsError("unknown_finding", {"finding_id": sub.finding_id})
    if f["owner"] != user.id:
        raise RoundsError("not_finding_owner", {"finding_id": sub.finding_id})
    if f["status"] != "rectifying":
        raise RoundsError("finding_not_rectifying", {"finding_id": sub.finding_id, "status": f["status"]})
    held = await Photo.select(Photo.client_uuid, Photo.user, Photo.fix_uuid).where(
        Photo.client_uuid.is_in([uuidlib.UUID(p) for p in sub.photos])).run()
    if any(p["user"] != user.id or (p["fix_uuid"] is not None and p["fix_uuid"] != uid) for p in held):
        raise RoundsError("forbidden", {"field": "photos", "reason": "photo belongs to something else"})

    async def write() -> None:
        row = (await FindingEvent.insert(FindingEvent(
            finding=f["id"], kind="fix_submitted", actor=user.id, photos=list(sub.photos), note=sub.note,
            created_at=received, client_uuid=uid, fingerprint=fp, occurred_at=sub.fixed_at,
            device_id=sub.device_id)).run())[0]
        await audit.record("finding.fix_submitted", actor_id=user.id, site_id=f["site"], object_type="finding",
                           object_id=f["id"], detail={"event": row["id"], "client_uuid": str(uid),
                                                      "photos": list(sub.photos)})

    return await create_once(write, load=lambda: _stored_fix(uid), replay=lambda row: _replay_fix(row, user, fp),
                             shape=fix_result)


async def rectification_tasks(user: CurrentUser) -> list[dict]:
    """The caller's open rectifications, for the pack: where, which item, by
    when, what the supervisor said, and where it stands."""
    rows = await Finding.select(
        Finding.id, Finding.location, Finding.item_id, Finding.deadline, Finding.site,
        Finding.visit.template_version.as_alias("version_id"), Finding.visit.client_uuid.as_alias("visit_uuid"),
    ).where((Finding.owner == user.id) & (Finding.status == "rectifying")
            & Finding.site.is_in(sorted(user.site_ids) or [-1])).order_by(Finding.deadline).order_by(
        Finding.id).run()
    if not rows:
        return []
    await attach_labels(rows)
    events = await _events_by_finding([r["id"] for r in rows])
    out = []
    for r in rows:
        evs = events.get(r["id"], [])
        opened = next((e for e in reversed(evs) if e["kind"] == "rectification"), None)
        last_check = next((e for e in reversed(evs) if e["kind"] == "reinspection"), None)
        last_fix = next((e for e in reversed(evs) if e["kind"] == "fix_submitted"), None)
        out.append({
            "finding_id": r["id"], "site_id": r["site"], "location_id": r["location"], "item_id": r["item_id"],
            "template_version_id": r["version_id"], "visit_uuid": str(r["visit_uuid"]),
            "label_zh": r["label_zh"], "label_en": r["label_en"],
            "deadline": r["deadline"].isoformat() if r["deadline"] else None,
            "note": opened["note"] if opened else "", "stage": stage_of(evs),
            "last_fix_at": last_fix["created_at"].isoformat() if last_fix else None,
            # the fixes the server holds, so the phone knows which of its own are news to the pack
            "fix_uuids": [str(e["client_uuid"]) for e in evs if e["kind"] == "fix_submitted" and e["client_uuid"]],
            "reinspection_note": last_check["note"] if last_check and last_check["passed"] == "no" else "",
        })
    return out
