"""Spot checks (抽查): each inspector's daily list, sampled from recent visits
and weighted by risk (server/domain/sampling.py); the spot-check visit is
matched to its assignment by location, compared item by item with the
original, and a disagreement counts against the original visit: the visit
carries a flag, the worker's tally shows it, it raises the worker's weight
in later draws, and the daily report counts it.

Days are the site's local dates (an assignment's `day`, the days it stays
open), never UTC dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from server.db import engine as db
from server.db.tables import (
    Answer,
    Review,
    Site,
    SpotCheckAssignment,
    TemplateVersion,
    Visit,
)
from server.domain import sampling, schedule
from server.domain.errors import RoundsError
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.scope import require

PER_DAY = 3
LOOKBACK_DAYS = 7
RISK_DAYS = 30
OPEN_DAYS = 2  # an assignment can still be done the day after


async def _site_today(site_id: int, at: datetime) -> date:
    site = await Site.select(Site.timezone).where(Site.id == site_id).first().run()
    return schedule.local_today(at, site["timezone"] if site else "UTC")


async def disagreements_by_worker(workers: list[int], since: datetime) -> dict[int, tuple[int, int]]:
    """worker -> (spot checks done on their visits, of which disagreed) since `since`."""
    if not workers:
        return {}
    rows = await SpotCheckAssignment.select(
        SpotCheckAssignment.outcome, SpotCheckAssignment.original_visit.user.as_alias("worker"),
    ).where(SpotCheckAssignment.original_visit.user.is_in(workers) & (SpotCheckAssignment.done_at >= since)
            & (SpotCheckAssignment.outcome != "")).run()
    out: dict[int, tuple[int, int]] = {}
    for r in rows:
        done, bad = out.get(r["worker"], (0, 0))
        out[r["worker"]] = (done + 1, bad + (r["outcome"] == "disagree"))
    return out


async def candidates(site_id: int, inspector_id: int, at: datetime) -> list[sampling.Candidate]:
    """The latest visit at each location in the last LOOKBACK_DAYS (not the
    inspector's own, not spot checks), with its four risk factors."""
    since = at - timedelta(days=LOOKBACK_DAYS)
    visits = await Visit.select(Visit.id, Visit.location, Visit.user).where(
        (Visit.site == site_id) & (Visit.received_at >= since) & (Visit.kind != "spot_check")
        & (Visit.user != inspector_id)
    ).order_by(Visit.id, ascending=False).limit(5000).run()
    latest: dict[int, dict] = {}
    for v in visits:
        latest.setdefault(v["location"], v)
    if not latest:
        return []
    risk_since = at - timedelta(days=RISK_DAYS)
    workers = sorted({v["user"] for v in latest.values()})
    reviews = await Review.select(Review.worker, Review.verdict).where(
        Review.worker.is_in(workers) & (Review.created_at >= risk_since)).run()
    rev_total: dict[int, int] = {}
    rev_bad: dict[int, int] = {}
    for r in reviews:
        rev_total[r["worker"]] = rev_total.get(r["worker"], 0) + 1
        rev_bad[r["worker"]] = rev_bad.get(r["worker"], 0) + (r["verdict"] == "rejected")
    disputes = await disagreements_by_worker(workers, risk_since)
    history = await Visit.select(Visit.location, Visit.failed_count, Visit.kind, Visit.scanned_at).where(
        (Visit.site == site_id) & (Visit.received_at >= risk_since)).run()
    loc_total: dict[int, int] = {}
    loc_failed: dict[int, int] = {}
    last_checked: dict[int, datetime] = {}
    for h in history:
        loc = h["location"]
        if h["kind"] == "spot_check":
            if loc not in last_checked or h["scanned_at"] > last_checked[loc]:
                last_checked[loc] = h["scanned_at"]
            continue
        loc_total[loc] = loc_total.get(loc, 0) + 1
        loc_failed[loc] = loc_failed.get(loc, 0) + (h["failed_count"] > 0)
    out = []
    for loc, v in latest.items():
        worker = v["user"]
        checked = last_checked.get(loc)
        out.append(sampling.Candidate(
            visit_id=v["id"], location_id=loc,
            worker_rejection_rate=rev_bad.get(worker, 0) / rev_total[worker] if rev_total.get(worker) else 0.0,
            location_failure_rate=loc_failed.get(loc, 0) / loc_total[loc] if loc_total.get(loc) else 0.0,
            days_since_checked=None if checked is None else (at - checked).total_seconds() / 86400,
            worker_disagreement_rate=(disputes[worker][1] / disputes[worker][0]) if worker in disputes else 0.0,
        ))
    return out


async def ensure_daily(inspector: CurrentUser, site_id: int, *, secret: str, at: datetime | None = None) -> date:
    """Make the inspector's list for today if it does not exist yet. The draw is
    seeded by (secret, site, inspector, day): the same list on any process."""
    at = at or now()
    site = await Site.select(Site.timezone).where(Site.id == site_id).first().run()
    day = schedule.local_today(at, site["timezone"])
    if await SpotCheckAssignment.exists().where(
        (SpotCheckAssignment.inspector == inspector.id) & (SpotCheckAssignment.site == site_id)
        & (SpotCheckAssignment.day == day)).run():
        return day
    pool = await candidates(site_id, inspector.id, at)
    picked = sampling.sample(pool, PER_DAY, sampling.seed_for(secret, "spot", site_id, inspector.id, day))
    if not picked:
        return day
    versions = {v["id"]: v["template_version"] for v in await Visit.select(
        Visit.id, Visit.template_version).where(Visit.id.is_in([c.visit_id for c in picked])).run()}
    try:
        async with db.transaction():
            await SpotCheckAssignment.insert(*[SpotCheckAssignment(
                site=site_id, inspector=inspector.id, day=day, original_visit=c.visit_id,
                location=c.location_id, template_version=versions[c.visit_id], weight=round(sampling.weight(c), 3),
                rank=i, created_at=at) for i, c in enumerate(picked, start=1)]).run()
            await audit.record("spot_check.assign", actor_id=inspector.id, site_id=site_id,
                               object_type="spot_check_day", object_id=day.isoformat(),
                               detail={"visits": [c.visit_id for c in picked]})
    except Exception as exc:
        if not db.is_unique_violation(exc):
            raise  # another process made the same list at the same moment
    return day


async def pack_entries(user: CurrentUser, *, secret: str, at: datetime | None = None) -> list[dict]:
    """The inspector's open assignments, for the pack (made for today if needed)."""
    if user.role != "inspector":
        return []
    at = at or now()
    rows = []
    for site_id in sorted(user.site_ids):
        today = await ensure_daily(user, site_id, secret=secret, at=at)
        rows += await SpotCheckAssignment.select().where(
            (SpotCheckAssignment.inspector == user.id) & SpotCheckAssignment.done_at.is_null()
            & (SpotCheckAssignment.site == site_id) & (SpotCheckAssignment.day >= today - timedelta(days=OPEN_DAYS))
        ).order_by(SpotCheckAssignment.day).order_by(SpotCheckAssignment.rank).run()
    uuids = {v["id"]: str(v["client_uuid"]) for v in await Visit.select(Visit.id, Visit.client_uuid).where(
        Visit.id.is_in([r["original_visit"] for r in rows] or [-1])).run()}
    return [{"assignment_id": r["id"], "location_id": r["location"],
             "template_version_id": r["template_version"], "original_visit_uuid": uuids.get(r["original_visit"]),
             "day": r["day"].isoformat()} for r in rows]


async def _failed_by_item(visit_id: int) -> dict[str, bool]:
    return {a["item_id"]: a["failed"] for a in await Answer.select(Answer.item_id, Answer.failed).where(
        Answer.visit == visit_id).run()}


def compare(original: dict[str, bool], spot: dict[str, bool]) -> list[dict]:
    return [{"item": item, "original_failed": original[item], "spot_failed": spot[item]}
            for item in sorted(original.keys() & spot.keys()) if original[item] != spot[item]]


async def on_visit(visit_id: int, user_id: int, location_id: int, site_id: int, kind: str,
                   answers: dict[str, bool], at: datetime) -> int | None:
    """Called inside a visit's transaction: a spot-check visit at the location
    of an open assignment of its author completes it."""
    if kind != "spot_check":
        return None
    since = await _site_today(site_id, at) - timedelta(days=OPEN_DAYS)
    row = await SpotCheckAssignment.select().where(
        (SpotCheckAssignment.inspector == user_id) & (SpotCheckAssignment.location == location_id)
        & (SpotCheckAssignment.site == site_id) & SpotCheckAssignment.done_at.is_null()
        & (SpotCheckAssignment.day >= since)
    ).order_by(SpotCheckAssignment.day).order_by(SpotCheckAssignment.rank).first().run()
    if row is None:
        return None
    diffs = compare(await _failed_by_item(row["original_visit"]), answers)
    outcome = "disagree" if diffs else "agree"
    await SpotCheckAssignment.update({
        SpotCheckAssignment.spot_visit: visit_id, SpotCheckAssignment.done_at: at,
        SpotCheckAssignment.disagreements: diffs, SpotCheckAssignment.outcome: outcome,
    }).where(SpotCheckAssignment.id == row["id"]).run()
    await audit.record("spot_check.done", actor_id=user_id, site_id=site_id, object_type="spot_check",
                       object_id=row["id"], detail={"visit": visit_id, "outcome": outcome})
    return row["id"]


async def list_for(user: CurrentUser, site_id: int, *, secret: str, at: datetime | None = None) -> dict:
    """Inspectors: their own list (made for today if needed). Supervisors and
    managers: every inspector's lists of the last days."""
    own = user.role == "inspector"
    require(user, "spot_check.own" if own else "spot_check.view_all", site_id)
    at = at or now()
    day = await ensure_daily(user, site_id, secret=secret, at=at) if own else None
    since = (day or await _site_today(site_id, at)) - timedelta(days=LOOKBACK_DAYS)
    where = (SpotCheckAssignment.site == site_id) & (SpotCheckAssignment.day >= since)
    if own:
        where &= SpotCheckAssignment.inspector == user.id
    rows = await SpotCheckAssignment.select(
        SpotCheckAssignment.all_columns(), SpotCheckAssignment.inspector.display_name.as_alias("inspector_name"),
        SpotCheckAssignment.location.name_zh.as_alias("loc_zh"),
        SpotCheckAssignment.location.name_en.as_alias("loc_en"),
        SpotCheckAssignment.original_visit.user.display_name.as_alias("worker_name"),
        SpotCheckAssignment.original_visit.scanned_at.as_alias("original_at"),
    ).where(where).order_by(SpotCheckAssignment.day, ascending=False).order_by(
        SpotCheckAssignment.rank).output(load_json=True).run()
    return {"rows": rows, "day": day}


async def comparison(user: CurrentUser, assignment_id: int) -> dict:
    row = await SpotCheckAssignment.select(
        SpotCheckAssignment.all_columns(), SpotCheckAssignment.inspector.display_name.as_alias("inspector_name"),
        SpotCheckAssignment.location.name_zh.as_alias("loc_zh"),
        SpotCheckAssignment.location.name_en.as_alias("loc_en"),
    ).where(SpotCheckAssignment.id == assignment_id).output(load_json=True).first().run()
    if row is None or row["site"] not in user.site_ids:
        raise RoundsError("not_found")  # another site's list reads as unknown
    if not (row["inspector"] == user.id and user.role == "inspector"):
        require(user, "spot_check.view_all", row["site"])
    version = await TemplateVersion.select(TemplateVersion.items).where(
        TemplateVersion.id == row["template_version"]).output(load_json=True).first().run()
    orig = {a["item_id"]: a for a in await Answer.select().where(
        Answer.visit == row["original_visit"]).output(load_json=True).run()}
    spot = {a["item_id"]: a for a in await Answer.select().where(
        Answer.visit == row["spot_visit"]).output(load_json=True).run()} if row["spot_visit"] else {}
    items = [{"item": i, "original": orig.get(i["id"]), "spot": spot.get(i["id"]),
              "disagree": i["id"] in orig and i["id"] in spot and orig[i["id"]]["failed"] != spot[i["id"]]["failed"]}
             for i in version["items"]]
    return {"row": row, "items": items}
