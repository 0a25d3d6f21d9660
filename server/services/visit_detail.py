"""A visit as a supervisor reads it: answers against the checklist, failed
items, photos (thumbnail, display, evidence), device vs server time, the round
and window it counted for, integrity flags, and what was done about it since."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.db.tables import (
    Answer,
    DeviceSeen,
    Finding,
    Location,
    Photo,
    Review,
    Round,
    RoundCheckpoint,
    SpotCheckAssignment,
    TemplateVersion,
    User,
    Visit,
)
from server.domain import integrity, reference_photo, schedule
from server.domain.errors import RoundsError
from server.domain.supervision_rules import sees_department
from server.services.accounts import CurrentUser
from server.services.catalog import round_seed, site_row
from server.services.photo_facts import photo_facts
from server.services.photo_views import flags_for, photo_sites
from server.services.scope import require, require_record
from server.storage.base import BlobStore

LINK_SECONDS = 600


def photo_urls(photo: dict, store: BlobStore) -> dict:
    return {
        "thumb": store.url_for(photo["thumb_key"], expires=LINK_SECONDS) if photo["thumb_key"] else "",
        "display": store.url_for(photo["display_key"], expires=LINK_SECONDS) if photo["display_key"] else "",
        "evidence": f"/photos/{photo['client_uuid']}/evidence.jpg",
    }


def reference_url(ref: str | None, photos_by_uuid: dict[str, dict], store: BlobStore) -> str:
    """An item's reference photo ("what good looks like"): one uploaded in the
    checklist editor, a stored photo's UUID, or a path / URL given by the admin."""
    if not ref:
        return ""
    if reference_photo.is_stored(ref):
        return reference_photo.url(ref)
    if ref in photos_by_uuid:
        return photo_urls(photos_by_uuid[ref], store)["display"]
    return ref if ref.startswith(("/", "https://", "http://")) else ""


async def reference_photos(items: list[dict], site_id: int) -> dict[str, dict]:
    """{reference as written: photo row} for the items' references that name a
    submitted photo of `site_id`. Another site's photo is never resolved, even
    if a version names one (published before references were checked)."""
    refs = [i.get("reference_photo") for i in items]
    wanted = {ref: uid for ref in refs if (uid := reference_photo.photo_uuid(ref))}
    if not wanted:
        return {}
    sites = await photo_sites(list(set(wanted.values())))
    mine = [uuid.UUID(u) for u in set(wanted.values()) if sites.get(u) == site_id]
    rows = {str(p["client_uuid"]): p for p in await Photo.select().where(
        Photo.client_uuid.is_in(mine)).run()} if mine else {}
    return {ref: rows[uid] for ref, uid in wanted.items() if uid in rows}


async def load_visit(user: CurrentUser, visit_id: int) -> dict:
    visit = await Visit.select(
        Visit.all_columns(), Visit.location.department.as_alias("department"),
    ).where(Visit.id == visit_id).first().run()
    if visit is None:
        raise RoundsError("not_found")
    require_record(user, "visit.view", visit["site"])
    if not sees_department(user.role, user.department, visit["department"]):
        raise RoundsError("forbidden", {"reason": "another department"})
    return visit


async def visit_detail(user: CurrentUser, visit_id: int, store: BlobStore, *, secret: str) -> dict:
    visit = await load_visit(user, visit_id)
    site = await site_row(visit["site"])
    zone = ZoneInfo(site["timezone"])
    version = await TemplateVersion.select().where(
        TemplateVersion.id == visit["template_version"]).output(load_json=True).first().run()
    answers = await Answer.select().where(Answer.visit == visit_id).output(load_json=True).run()
    by_item = {a["item_id"]: a for a in answers}
    stored_photos = await Photo.select().where(Photo.visit_uuid == visit["client_uuid"]).order_by(
        Photo.id).output(load_json=True).run()
    # Reuse flags as this viewer may see them (another site's ids left out);
    # photo_facts gets the stored ones and words hidden places itself.
    photos = [{**p, "flags": f} for p, f in zip(
        stored_photos, await flags_for(user, [p["flags"] for p in stored_photos]), strict=True)]
    ref_by_uuid = await reference_photos(version["items"], visit["site"])
    photo_by_uuid = {str(p["client_uuid"]): p for p in photos}
    reviews = await Review.select(Review.all_columns(), Review.reviewer.display_name.as_alias("reviewer_name")).where(
        Review.visit == visit_id).run()
    review_by_photo = {str(r["photo_uuid"]): r for r in reviews if r["photo_uuid"]}

    items = []
    for item in version["items"]:
        a = by_item.get(item["id"])
        item_photos = []
        for uid in (a["photos"] if a else []):
            p = photo_by_uuid.get(str(uid))
            item_photos.append({"uuid": str(uid), "present": p is not None,
                                "urls": photo_urls(p, store) if p else {},
                                "flags": (p or {}).get("flags") or {},
                                "review": review_by_photo.get(str(uid))})
        items.append({"item": item, "answer": a, "failed": bool(a and a["failed"]),
                      "value": _show(a["value"]) if a else None, "photos": item_photos,
                      "reference": reference_url(item.get("reference_photo"), ref_by_uuid, store)})
    listed = {p["uuid"] for i in items for p in i["photos"]}
    loose = [{"uuid": str(p["client_uuid"]), "item_id": p["item_id"], "urls": photo_urls(p, store),
              "flags": p["flags"] or {}, "review": review_by_photo.get(str(p["client_uuid"]))}
             for p in photos if str(p["client_uuid"]) not in listed]

    who = await User.select(User.display_name, User.username, User.role).where(
        User.id == visit["user"]).first().run()
    loc = await Location.select(Location.name_zh, Location.name_en).where(
        Location.id == visit["location"]).first().run()

    window = None
    if visit["round"]:
        r = await Round.select().where(Round.id == visit["round"]).output(load_json=True).first().run()
        window = {"round": r, "occurrence": visit["occurrence"], "timing": visit["timing"]}
        if r and visit["occurrence"]:
            try:
                rule = schedule.parse_rule(r["schedule"])
                day_s, _, idx = visit["occurrence"].partition("#")
                from datetime import date

                occs = schedule.occurrences_on(rule, date.fromisoformat(day_s), site["timezone"],
                                               seed=round_seed(secret, r["id"]))
                occ = next((o for o in occs if o.index == int(idx)), None)
                if occ:
                    window.update(start=occ.start.astimezone(zone), end=occ.end.astimezone(zone),
                                  grace_end=occ.grace_end.astimezone(zone))
            except (RoundsError, ValueError):
                pass

    near = await Visit.select(Visit.scanned_at).where(
        (Visit.user == visit["user"]) & (Visit.location == visit["location"]) & (Visit.id != visit_id)
        & (Visit.scanned_at > visit["scanned_at"] - timedelta(minutes=2))
        & (Visit.scanned_at < visit["scanned_at"] + timedelta(minutes=2))
    ).run()
    device = None
    if visit["device_id"]:
        device = await DeviceSeen.select().where(
            (DeviceSeen.user == visit["user"]) & (DeviceSeen.device_id == visit["device_id"])).first().run()
    skew = device["clock_skew_seconds"] if device else None
    flags = integrity.visit_flags(
        scanned_at=visit["scanned_at"], finished_at=visit["finished_at"], received_at=visit["received_at"],
        photos=photos, other_scans=[n["scanned_at"] for n in near], reported_skew_seconds=skew,
        order=await _order_flag(visit, window["round"] if window else None, zone))

    others = sorted({u for f in flags for u in f.detail.get("other_visits", []) if _is_uuid(u)})
    other_ids = {str(r["client_uuid"]): r["id"] for r in await Visit.select(Visit.id, Visit.client_uuid).where(
        Visit.client_uuid.is_in(others)).run()} if others else {}
    findings = await Finding.select(Finding.id, Finding.item_id, Finding.status, Finding.deadline).where(
        Finding.visit == visit_id).run()
    labels = {i["id"]: i for i in version["items"]}
    for f in findings:
        f["label_zh"] = labels.get(f["item_id"], {}).get("label_zh", f["item_id"])
        f["label_en"] = labels.get(f["item_id"], {}).get("label_en", f["item_id"])
    spot = await SpotCheckAssignment.select().where(
        (SpotCheckAssignment.original_visit == visit_id) | (SpotCheckAssignment.spot_visit == visit_id)
    ).output(load_json=True).run()
    flags += integrity.spot_check_disagreed(visit_id, spot)
    return {
        "visit": visit, "site": site, "zone": zone, "version": version, "items": items, "loose_photos": loose,
        "who": who, "location": loc, "window": window, "flags": flags, "findings": findings,
        "spot_checks": spot, "device": device, "other_visit_ids": other_ids,
        "photo_facts": await photo_facts(user, stored_photos, zone),
        "times": {
            "scanned": visit["scanned_at"].astimezone(zone), "finished": visit["finished_at"].astimezone(zone),
            "received": visit["received_at"].astimezone(zone),
            "delay_minutes": int((visit["received_at"] - visit["finished_at"]).total_seconds() // 60),
        },
    }


async def _order_flag(visit: dict, rnd: dict | None, zone: ZoneInfo) -> integrity.Flag | None:
    """out_of_order for a visit of an ordered round: the route as it stands,
    and what the same person did earlier in the same occurrence (or, outside
    any window, the same local day)."""
    if not rnd or not rnd["ordered"]:
        return None
    route = [c["location"] for c in await RoundCheckpoint.select(RoundCheckpoint.location).where(
        RoundCheckpoint.round == rnd["id"]).order_by(RoundCheckpoint.position).run()]
    where = ((Visit.round == rnd["id"]) & (Visit.user == visit["user"]) & (Visit.id != visit["id"])
             & (Visit.scanned_at < visit["scanned_at"]))
    if visit["occurrence"]:  # the key names its day; a night window may cross midnight
        where &= Visit.occurrence == visit["occurrence"]
    else:
        day = visit["scanned_at"].astimezone(zone).date()
        where &= Visit.occurrence.is_null() & (Visit.scanned_at >= datetime.combine(day, time.min, tzinfo=zone))
    done = [e["location"] for e in await Visit.select(Visit.location).where(where).run()]
    flag = integrity.out_of_order(route, visit["location"], done)
    if flag is None:
        return None
    names = {r["id"]: r for r in await Location.select(Location.id, Location.name_zh, Location.name_en).where(
        Location.id.is_in([flag.detail["expected"]])).run()}
    expected = names.get(flag.detail["expected"], {})
    return integrity.Flag(flag.code, {**flag.detail, "expected_zh": expected.get("name_zh", ""),
                                      "expected_en": expected.get("name_en", "")})


_NIL = "00000000-0000-0000-0000-000000000000"


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


async def recent_visits(user: CurrentUser, site_id: int, *, before_id: int | None = None, limit: int = 50,
                        failed_only: bool = False, round_id: int | None = None,
                        occurrence: str | None = None) -> list[dict]:
    """A site's visits, newest first; optionally only failed ones, or only those
    counted for one round occurrence (the board links here). Each row says
    whether a spot check disagreed with it."""
    require(user, "visit.view", site_id)
    where = Visit.site == site_id
    if before_id:
        where &= Visit.id < before_id
    if failed_only:
        where &= Visit.failed_count > 0
    if round_id is not None:
        where &= Visit.round == round_id
        if occurrence:
            where &= Visit.occurrence == occurrence
    rows = await Visit.select(
        Visit.id, Visit.kind, Visit.scanned_at, Visit.received_at, Visit.timing, Visit.failed_count,
        Visit.points_earned, Visit.points_possible, Visit.occurrence,
        Visit.user.display_name.as_alias("who"), Visit.location.name_zh.as_alias("loc_zh"),
        Visit.location.name_en.as_alias("loc_en"), Visit.location.department.as_alias("department"),
        Visit.round.name_zh.as_alias("round_zh"), Visit.round.name_en.as_alias("round_en"),
    ).where(where).order_by(Visit.id, ascending=False).limit(limit * 2).run()
    rows = [r for r in rows if sees_department(user.role, user.department, r["department"])][:limit]
    disputed = {a["original_visit"] for a in await SpotCheckAssignment.select(
        SpotCheckAssignment.original_visit).where(
        SpotCheckAssignment.original_visit.is_in([r["id"] for r in rows] or [-1])
        & (SpotCheckAssignment.outcome == "disagree")).run()}
    for r in rows:
        r["disputed"] = r["id"] in disputed
    return rows
