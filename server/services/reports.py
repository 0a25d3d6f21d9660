"""The daily patrol report (巡楼报告) of a site and day: rounds and compliance,
findings opened and closed, incidents, open items carried forward, spot checks;
as a page and as CSV. The supervisor signs it off, the manager countersigns."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from server.db import engine as db
from server.db.tables import Finding, Incident, ReportSignoff, SpotCheckAssignment, Visit
from server.domain import compliance
from server.domain.errors import RoundsError
from server.lib.clock import now
from server.services import audit, findings
from server.services.accounts import CurrentUser
from server.services.board import compute, day_bounds
from server.services.catalog import site_row
from server.services.scope import require

MAX_NOTE = 1000
CLOSED = ("fixed", "closed")


async def daily_report(user: CurrentUser, site_id: int, day: date, *, secret: str,
                       at: datetime | None = None) -> dict:
    require(user, "report.view", site_id)
    site = await site_row(site_id)
    at = at or now()
    start, end = day_bounds(day, site["timezone"])
    if start > at:
        raise RoundsError("validation_error", {"field": "day", "reason": "in the future"})
    board = await compute(site, day, user, secret=secret, at=at)
    # Only the day's own occurrences (the board also shows last night's tail).
    states = [s for s in board["states"] if s.slot.key.startswith(day.isoformat())]
    counts = compliance.counts(states)
    judged = len(states) - counts["upcoming"] - counts["due"] - counts["in_progress"]
    complete = counts["done"] + counts["late"]
    rounds = []
    for rid, m in board["meta"].items():
        mine = [s for s in states if s.slot.round_id == rid]
        if mine:
            rounds.append({"round": m["round"], "required": len(mine),
                           "done": sum(s.complete for s in mine),
                           "counts": compliance.counts(mine)})
    visits = await Visit.select(Visit.id, Visit.kind, Visit.failed_count).where(
        (Visit.site == site_id) & (Visit.scanned_at >= start) & (Visit.scanned_at < end)).run()
    opened = await Finding.select(Finding.id, Finding.item_id, Finding.status,
                                  Finding.location.name_zh.as_alias("loc_zh"),
                                  Finding.location.name_en.as_alias("loc_en")).where(
        (Finding.site == site_id) & (Finding.created_at >= start) & (Finding.created_at < end)).run()
    closed = await Finding.select(Finding.id).where(
        (Finding.site == site_id) & Finding.status.is_in(list(CLOSED))
        & (Finding.closed_at >= start) & (Finding.closed_at < end)).run()
    carried = await Finding.select(
        Finding.id, Finding.item_id, Finding.visit.template_version.as_alias("version_id"), Finding.status, Finding.deadline, Finding.created_at,
        Finding.location.name_zh.as_alias("loc_zh"), Finding.location.name_en.as_alias("loc_en"),
        Finding.owner.display_name.as_alias("owner_name"),
    ).where((Finding.site == site_id) & (Finding.created_at < end)
            & (Finding.status.is_in(["open", "rectifying"]) | (Finding.closed_at >= end))
            ).order_by(Finding.created_at).run()
    await findings.attach_labels(carried)
    incidents = await Incident.select(
        Incident.id, Incident.kind, Incident.note, Incident.occurred_at,
        Incident.user.display_name.as_alias("who"), Incident.location.name_zh.as_alias("loc_zh"),
        Incident.location.name_en.as_alias("loc_en"),
    ).where((Incident.site == site_id) & (Incident.occurred_at >= start) & (Incident.occurred_at < end)
            ).order_by(Incident.occurred_at).run()
    spots = await SpotCheckAssignment.select(SpotCheckAssignment.outcome).where(
        (SpotCheckAssignment.site == site_id) & (SpotCheckAssignment.day == day)).run()
    signoffs = await ReportSignoff.select(
        ReportSignoff.all_columns(), ReportSignoff.user.display_name.as_alias("name"),
    ).where((ReportSignoff.site == site_id) & (ReportSignoff.day == day)).order_by(ReportSignoff.id).run()
    totals = {
        "occurrences": len(states), "judged": judged, "complete": complete,
        "compliance_pct": round(100 * complete / judged, 1) if judged else None,
        **{f"rounds_{k}": v for k, v in counts.items()},
        "visits": len(visits), "visits_with_failures": sum(v["failed_count"] > 0 for v in visits),
        "spot_check_visits": sum(v["kind"] == "spot_check" for v in visits),
        "findings_opened": len(opened), "findings_closed": len(closed),
        "open_carried_forward": len(carried), "incidents": len(incidents),
        "spot_checks_assigned": len(spots), "spot_checks_done": sum(bool(s["outcome"]) for s in spots),
        "spot_checks_disagree": sum(s["outcome"] == "disagree" for s in spots),
    }
    return {"site": site, "day": day, "totals": totals, "rounds": rounds, "opened": opened,
            "carried": carried, "incidents": incidents, "signoffs": signoffs, "at": at,
            "final": end <= at}


def to_csv(report: dict) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    site, day = report["site"], report["day"].isoformat()
    w.writerow(["section", "key", "value", "detail"])
    w.writerow(["report", "site", site["code"], f"{site['name_zh']} / {site['name_en']}"])
    w.writerow(["report", "day", day, site["timezone"]])
    for k, v in report["totals"].items():
        w.writerow(["totals", k, "" if v is None else v, ""])
    for r in report["rounds"]:
        w.writerow(["round", r["round"]["key"], f"{r['done']}/{r['required']}",
                    " ".join(f"{k}={v}" for k, v in r["counts"].items() if v)])
    for i in report["incidents"]:
        w.writerow(["incident", i["kind"], i["occurred_at"].isoformat(), f"{i['loc_zh'] or ''} {i['note']}".strip()])
    for f in report["carried"]:
        w.writerow(["open_item", f["id"], f["status"], f"{f['loc_zh']} {f['label_zh']}"
                    + (f" deadline {f['deadline'].isoformat()}" if f["deadline"] else "")])
    for s in report["signoffs"]:
        w.writerow(["signoff", s["stage"], s["name"], s["signed_at"].isoformat()])
    return out.getvalue()


async def sign(user: CurrentUser, site_id: int, day: date, *, secret: str, note: str = "") -> str:
    """Supervisor signs the day off; manager countersigns what was signed."""
    if user.role == "supervisor":
        stage = "signed"
        require(user, "report.sign", site_id)
    elif user.role == "manager":
        stage = "countersigned"
        require(user, "report.countersign", site_id)
    else:
        raise RoundsError("forbidden", {"action": "report.sign"})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise RoundsError("validation_error", {"field": "note", "max": MAX_NOTE})
    report = await daily_report(user, site_id, day, secret=secret)
    if not report["final"]:
        raise RoundsError("validation_error", {"field": "day", "reason": "the day is not over yet"})
    stages = {s["stage"] for s in report["signoffs"]}
    if stage == "countersigned" and "signed" not in stages:
        raise RoundsError("conflict", {"reason": "not_signed_yet"})
    if stage in stages:
        raise RoundsError("conflict", {"reason": f"already_{stage}"})
    try:
        async with db.transaction():
            await ReportSignoff.insert(ReportSignoff(site=site_id, day=day, stage=stage, user=user.id,
                                                     signed_at=now(), note=note, totals=report["totals"])).run()
            await audit.record(f"report.{stage}", actor_id=user.id, site_id=site_id, object_type="report",
                               object_id=day.isoformat(), detail={"totals": report["totals"]})
    except Exception as exc:
        if db.is_unique_violation(exc):
            raise RoundsError("conflict", {"reason": f"already_{stage}"}) from None
        raise
    return stage
