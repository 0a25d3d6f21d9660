"""Photo review: one photo at a time, approve or reject with a reason code. A
rejection is a redo task the worker sees in the pack until their next visit at
that location resolves it."""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.db import engine as db
from server.db.tables import Photo, Review, Visit
from server.domain.errors import RoundsError
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.scope import require, require_record

QUEUE_DAYS = 14
MAX_NOTE = 500
# code -> (English, 简体中文); "other" needs a note.
REASONS: dict[str, tuple[str, str]] = {
    "blurry": ("Photo blurred or too dark", "照片模糊或过暗"),
    "wrong_place": ("Not this location", "不是该位置"),
    "not_to_standard": ("Not to standard", "未达到标准"),
    "problem_not_shown": ("The problem is not in the photo", "未拍到问题部位"),
    "old_photo": ("Old or reused photo", "旧照片或重复使用"),
    "other": ("Other (see note)", "其他(见备注)"),
}

# The review queue. {} are Piccolo placeholders. A photo is reviewed once,
# under its own visit, so "reviewed" is looked up by the photo alone
# (review_photo_idx) as a per-photo subquery: its cost follows the photos of
# the window, never the whole review table (which a planner's anti-join would
# hash on every page view).
REVIEWED = "(SELECT COUNT(*) FROM review r WHERE r.photo_uuid = p.client_uuid)"
QUEUE_FROM = f"""
FROM photo p
JOIN visit v ON v.client_uuid = p.visit_uuid
WHERE p.received_at >= {{}} AND v.site = {{}} AND p."user" <> {{}} /*dept*/
AND {REVIEWED} = 0
"""
QUEUE_NEXT = (
    "SELECT p.client_uuid AS photo_uuid, p.item_id, v.id AS visit_id, p.received_at"
    + QUEUE_FROM + "ORDER BY p.received_at, p.id LIMIT 1"
)
QUEUE_COUNT = "SELECT COUNT(*) AS n" + QUEUE_FROM
# Photos older than the queue's window are not dropped silently: the page says
# how many from the OLDER_DAYS before it are still unreviewed (counted up to
# OLDER_CAP) and offers them, newest first. Beyond that horizon photos are no
# longer offered (the page says so).
OLDER_DAYS = 30
OLDER_CAP = 1000
OLDER_FROM = f"""
FROM photo p
JOIN visit v ON v.client_uuid = p.visit_uuid
WHERE p.received_at < {{}} AND p.received_at >= {{}} AND v.site = {{}} AND p."user" <> {{}} /*dept*/
AND {REVIEWED} = 0
"""
OLDER_NEXT = (
    "SELECT p.client_uuid AS photo_uuid, p.item_id, v.id AS visit_id, p.received_at"
    + OLDER_FROM + "ORDER BY p.received_at DESC, p.id DESC LIMIT 1"
)
OLDER_COUNT = f"SELECT COUNT(*) AS n FROM (SELECT 1 {OLDER_FROM} LIMIT {OLDER_CAP + 1}) AS o"


def _department_clause(user: CurrentUser) -> tuple[str, list]:
    if user.role == "team_lead" and user.department:
        return "AND v.location IN (SELECT l.id FROM location l WHERE l.department IN ({}, ''))", [user.department]
    return "", []


async def queue_head(user: CurrentUser, site_id: int, *, at: datetime | None = None,
                     older: bool = False) -> tuple[dict | None, int]:
    """The next photo to review and how many are left: within the last
    QUEUE_DAYS, oldest first; or (older=True) those before, newest first."""
    require(user, "review.decide", site_id)
    at = at or now()
    since = at - timedelta(days=QUEUE_DAYS)
    clause, extra = _department_clause(user)
    args = [since, site_id, user.id, *extra]
    nxt, count = QUEUE_NEXT, QUEUE_COUNT
    if older:
        nxt, count = OLDER_NEXT, OLDER_COUNT
        args = [since, at - timedelta(days=QUEUE_DAYS + OLDER_DAYS), *args[1:]]
    head = await Photo.raw(nxt.replace("/*dept*/", clause), *args).run()
    left = await Photo.raw(count.replace("/*dept*/", clause), *args).run()
    return (head[0] if head else None), int(left[0]["n"])


async def older_count(user: CurrentUser, site_id: int, *, at: datetime | None = None) -> int:
    """Unreviewed photos of the OLDER_DAYS before the queue's window (capped at OLDER_CAP + 1)."""
    require(user, "review.decide", site_id)
    at = at or now()
    since = at - timedelta(days=QUEUE_DAYS)
    clause, extra = _department_clause(user)
    rows = await Photo.raw(OLDER_COUNT.replace("/*dept*/", clause), since, since - timedelta(days=OLDER_DAYS),
                           site_id, user.id, *extra).run()
    return int(rows[0]["n"])


async def decide(user: CurrentUser, visit_id: int, photo_uuid: str, verdict: str, reason_code: str = "",
                 note: str = "") -> dict:
    if verdict not in ("approved", "rejected"):
        raise RoundsError("validation_error", {"field": "verdict", "allowed": ["approved", "rejected"]})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise RoundsError("validation_error", {"field": "note", "max": MAX_NOTE})
    if verdict == "rejected":
        if reason_code not in REASONS:
            raise RoundsError("validation_error", {"field": "reason_code", "allowed": sorted(REASONS)})
        if reason_code == "other" and not note:
            raise RoundsError("validation_error", {"field": "note", "reason": "required for other"})
    else:
        reason_code = ""
    try:
        puid = uuidlib.UUID(str(photo_uuid))
    except ValueError:
        raise RoundsError("validation_error", {"field": "photo"}) from None
    visit = await Visit.select(Visit.id, Visit.site, Visit.location, Visit.user, Visit.client_uuid,
                               Visit.template_version, Visit.location.department.as_alias("department")
                               ).where(Visit.id == visit_id).first().run()
    if visit is None:
        raise RoundsError("not_found")
    require_record(user, "review.decide", visit["site"])
    if user.role == "team_lead" and visit["department"] and user.department and visit["department"] != user.department:
        raise RoundsError("forbidden", {"reason": "another department"})
    if visit["user"] == user.id:
        raise RoundsError("forbidden", {"reason": "own visit"})
    photo = await Photo.select(Photo.item_id).where(
        (Photo.client_uuid == puid) & (Photo.visit_uuid == visit["client_uuid"])).first().run()
    if photo is None:
        raise RoundsError("not_found", {"field": "photo"})
    try:
        async with db.transaction():
            row = (await Review.insert(Review(
                visit=visit_id, photo_uuid=puid, item_id=photo["item_id"], site=visit["site"],
                location=visit["location"], template_version=visit["template_version"], worker=visit["user"],
                reviewer=user.id, verdict=verdict, reason_code=reason_code, note=note, created_at=now(),
            )).run())[0]
            await audit.record(f"review.{verdict}", actor_id=user.id, site_id=visit["site"],
                               object_type="review", object_id=row["id"],
                               detail={"visit": visit_id, "photo": str(puid), "reason": reason_code})
    except Exception as exc:
        if db.is_unique_violation(exc):
            raise RoundsError("conflict", {"reason": "already_reviewed"}) from None
        raise
    return {"id": row["id"], "verdict": verdict}


async def redo_tasks(user: CurrentUser) -> list[dict]:
    """The caller's open redo tasks, for the pack."""
    rows = await Review.select(
        Review.id, Review.visit.client_uuid.as_alias("visit_uuid"), Review.location,
        Review.template_version, Review.item_id, Review.reason_code, Review.note,
    ).where((Review.worker == user.id) & (Review.verdict == "rejected") & Review.resolved_at.is_null()
            & Review.site.is_in(sorted(user.site_ids) or [-1])).order_by(Review.id).run()
    return [{
        "review_id": r["id"], "visit_uuid": str(r["visit_uuid"]), "location_id": r["location"],
        "template_version_id": r["template_version"], "item_id": r["item_id"],
        "reason_code": r["reason_code"], "reason_en": REASONS.get(r["reason_code"], ("", ""))[0],
        "reason_zh": REASONS.get(r["reason_code"], ("", ""))[1], "note": r["note"],
    } for r in rows]


def _open_redos(user_id: int):
    """The worker's redo tasks still waiting for a new visit."""
    return (Review.worker == user_id) & (Review.verdict == "rejected") & Review.resolved_at.is_null()


async def redo_locations(user_id: int, location_ids: list[int]) -> set[int]:
    """Of these places, those where the worker has a redo task open."""
    rows = await Review.select(Review.location).where(
        _open_redos(user_id) & Review.location.is_in(location_ids or [-1])).distinct().run()
    return {r["location"] for r in rows}


async def resolve_redos(visit_id: int, user_id: int, location_id: int, at: datetime,
                        site_id: int | None = None) -> list[int]:
    """A new visit by the worker at the location resolves their open redo tasks
    there (each resolution is written to the audit log)."""
    rows = await Review.select(Review.id, Review.site).where(
        _open_redos(user_id) & (Review.location == location_id) & (Review.visit != visit_id)).run()
    ids = [r["id"] for r in rows]
    if ids:
        await Review.update({Review.resolved_by: visit_id, Review.resolved_at: at}).where(
            Review.id.is_in(ids)).run()
        await audit.record_many([
            {"action": "review.redo_resolved", "actor_id": user_id, "site_id": site_id or r["site"],
             "object_type": "review", "object_id": r["id"], "detail": {"visit": visit_id}}
            for r in rows])
    return ids


async def queue_item(user: CurrentUser, site_id: int, store, *, at: datetime | None = None,
                     older: bool = False) -> dict:
    """The next photo with what the reviewer needs beside it: the item, the
    answer, the item's reference photo, who and where, and how many are left
    (of the last QUEUE_DAYS, or with older=True of the OLDER_DAYS before)."""
    from server.db.tables import Answer, TemplateVersion
    from server.services.visit_detail import photo_urls, reference_photos, reference_url

    head, left = await queue_head(user, site_id, at=at, older=older)
    if head is None:
        return {"item": None, "left": 0, "older_cap": OLDER_CAP, "older_mode": older}
    photo = await Photo.select().where(Photo.client_uuid == head["photo_uuid"]).output(load_json=True).first().run()
    visit = await Visit.select(
        Visit.id, Visit.kind, Visit.scanned_at, Visit.template_version, Visit.failed_count,
        Visit.user.display_name.as_alias("who"), Visit.location.name_zh.as_alias("loc_zh"),
        Visit.location.name_en.as_alias("loc_en"),
    ).where(Visit.id == head["visit_id"]).first().run()
    version = await TemplateVersion.select(TemplateVersion.items).where(
        TemplateVersion.id == visit["template_version"]).output(load_json=True).first().run()
    item = next((i for i in version["items"] if i["id"] == photo["item_id"]), None)
    answer = await Answer.select().where(
        (Answer.visit == visit["id"]) & (Answer.item_id == photo["item_id"])).output(load_json=True).first().run()
    ref = item.get("reference_photo") if item else None
    ref_photos = await reference_photos([item], site_id) if item else {}
    from server.services.catalog import site_row
    from server.services.photo_facts import photo_facts

    zone = ZoneInfo((await site_row(site_id))["timezone"])
    facts = (await photo_facts(user, [photo], zone))[str(photo["client_uuid"])]
    from server.services.photo_views import flags_for

    photo = {**photo, "flags": (await flags_for(user, [photo["flags"]]))[0]}  # no ids the reviewer may not see
    return {"item": {"photo": photo, "urls": photo_urls(photo, store), "visit": visit, "checklist_item": item,
                     "answer": answer, "reference": reference_url(ref, ref_photos, store), "facts": facts},
            "left": left, "older_cap": OLDER_CAP, "older_mode": older}
