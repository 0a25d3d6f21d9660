"""The daily patrol report (巡楼报告) of a site and day: rounds and compliance,
findings opened and closed, incidents, open items carried forward, spot checks
and the disagreements they found; as a page and as CSV (in the reader's
language, safe to open in a spreadsheet). The supervisor signs it off, the
manager countersigns; each signature keeps the totals as they stood, and the
page shows where the live figures have moved since."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from server.db import engine as db
from server.db.tables import Finding, Incident, ReportSignoff, SpotCheckAssignment, Visit
from server.domain import compliance
from server.domain.errors import RoundsError
from server.i18n import pick, translate
from server.lib.clock import now
from server.lib.spreadsheet import row as csv_row
from server.services import audit, findings
from server.services.accounts import CurrentUser
from server.services.board import compute, day_bounds
from server.services.catalog import site_row
from server.services.scope import require

MAX_NOTE = 1000
CLOSED = ("fixed", "closed")


def signed_changes(signoffs: list[dict], totals: dict) -> list[dict]:
    """Where the live totals differ from what the latest signature saw:
    [{"key", "signed", "live"}] (empty when nothing moved or nothing is signed)."""
    if not signoffs:
        return []
    snap = signoffs[-1]["totals"] or {}
    keys = list(totals) + [k for k in snap if k not in totals]
    return [{"key": k, "signed": snap.get(k), "live": totals.get(k)} for k in keys if snap.get(k) != totals.get(k)]


async def daily_report(user: CurrentUser, site_id: int, day: date, *, secret: str,
                       at: datetime | None = None,
                       pending: compliance.PendingRule = compliance.DEFAULT_PENDING) -> dict:
    require(user, "report.view", site_id)
    site = await site_row(site_id)
    at = at or now()
    start, end = day_bounds(day, site["timezone"])
    if start > at:
        raise RoundsError("validation_error", {"field": "day", "reason": "in the future"})
    board = await compute(site, day, user, secret=secret, at=at, pending=pending)
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
    assigned = await SpotCheckAssignment.count().where(
        (SpotCheckAssignment.site == site_id) & (SpotCheckAssignment.day == day)).run()
    # Spot checks count on the day they were done (an assignment stays open a
    # day or two); a disagreement counts against the original visit's worker.
    spots = await SpotCheckAssignment.select(
        SpotCheckAssignment.id, SpotCheckAssignment.outcome, SpotCheckAssignment.disagreements,
        SpotCheckAssignment.original_visit, SpotCheckAssignment.done_at,
        SpotCheckAssignment.original_visit.user.display_name.as_alias("worker"),
        SpotCheckAssignment.inspector.display_name.as_alias("inspector_name"),
        SpotCheckAssignment.location.name_zh.as_alias("loc_zh"),
        SpotCheckAssignment.location.name_en.as_alias("loc_en"),
    ).where((SpotCheckAssignment.site == site_id) & (SpotCheckAssignment.done_at >= start)
            & (SpotCheckAssignment.done_at < end)).order_by(SpotCheckAssignment.done_at).output(
        load_json=True).run()
    signoffs = await ReportSignoff.select(
        ReportSignoff.all_columns(), ReportSignoff.user.display_name.as_alias("name"),
    ).where((ReportSignoff.site == site_id) & (ReportSignoff.day == day)).order_by(ReportSignoff.id).output(
        load_json=True).run()
    totals = {
        "occurrences": len(states), "judged": judged, "complete": complete,
        "compliance_pct": round(100 * complete / judged, 1) if judged else None,
        **{f"rounds_{k}": v for k, v in counts.items()},
        "visits": len(visits), "visits_with_failures": sum(v["failed_count"] > 0 for v in visits),
        "spot_check_visits": sum(v["kind"] == "spot_check" for v in visits),
        "findings_opened": len(opened), "findings_closed": len(closed),
        "open_carried_forward": len(carried), "incidents": len(incidents),
        "spot_checks_assigned": assigned, "spot_checks_done": len(spots),
        "spot_checks_disagree": sum(s["outcome"] == "disagree" for s in spots),
    }
    return {"site": site, "day": day, "totals": totals, "rounds": rounds, "opened": opened,
            "carried": carried, "incidents": incidents, "signoffs": signoffs, "at": at,
            "final": end <= at, "disagreements": [s for s in spots if s["outcome"] == "disagree"],
            "signed_changes": signed_changes(signoffs, totals)}


def to_csv(report: dict, language: str = "zh-CN") -> str:
    """The report as CSV in the reader's language: a header row, then one row
    per fact as (section, code, item, value, detail). `code` is the stable
    machine key; every text cell is guarded against spreadsheet formulas."""

    def _(key: str, **values) -> str:
        return translate(key, language, **values)

    zone = ZoneInfo(report["site"]["timezone"])

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    def loc(row: dict) -> str:
        return pick({"name_zh": row.get("loc_zh"), "name_en": row.get("loc_en")}, "name", language)

    out = io.StringIO()
    w = csv.writer(out)
    site, day = report["site"], report["day"].isoformat()
    w.writerow(csv_row([_("csv.section"), _("csv.code"), _("csv.item"), _("csv.value"), _("csv.detail")]))
    w.writerow(csv_row([_("csv.report"), "site", _("csv.site"), site["code"], pick(site, "name", language)]))
    w.writerow(csv_row([_("csv.report"), "day", _("report.day"), day, site["timezone"]]))
    for k, v in report["totals"].items():
        w.writerow(csv_row([_("csv.totals"), k, _("report.total." + k), v, ""]))
    for r in report["rounds"]:
        detail = ", ".join(f"{_('state.' + k)} {v}" for k, v in r["counts"].items() if v)
        w.writerow(csv_row([_("report.rounds"), r["round"]["key"], pick(r["round"], "name", language),
                            f"{r['done']}/{r['required']}", detail]))
    for i in report["incidents"]:
        detail = " · ".join(x for x in (loc(i), i["who"], i["note"]) if x)
        w.writerow(csv_row([_("report.incidents"), i["kind"], _("incident.kind." + i["kind"]),
                            when(i["occurred_at"]), detail]))
    for f in report["carried"]:
        detail = " · ".join(x for x in (loc(f), f["owner_name"] or "",
                                        _("findings.deadline") + " " + when(f["deadline"]) if f["deadline"] else "")
                            if x)
        w.writerow(csv_row([_("report.carried"), f["id"], pick(f, "label", language),
                            _("findings.status." + f["status"]), detail]))
    for s in report["disagreements"]:
        w.writerow(csv_row([_("report.disagreements"), s["id"], s["worker"], len(s["disagreements"] or []),
                            f"{loc(s)} · {s['inspector_name']} · {when(s['done_at'])}"]))
    for s in report["signoffs"]:
        w.writerow(csv_row([_("report.signoff"), s["stage"], _("report.stage." + s["stage"]), s["name"],
                            when(s["signed_at"])]))
    return out.getvalue()


async def export_csv(user: CurrentUser, site_id: int, day: date, *, secret: str,
                     pending: compliance.PendingRule = compliance.DEFAULT_PENDING) -> tuple[dict, str]:
    """The report as CSV for download; an export is written to the audit log."""
    report = await daily_report(user, site_id, day, secret=secret, pending=pending)
    text = to_csv(report, user.language)
    await audit.record("report.export_csv", actor_id=user.id, site_id=site_id, object_type="report",
                       object_id=day.isoformat(), detail={"bytes": len(text.encode())})
    return report, text


async def sign(user: CurrentUser, site_id: int, day: date, *, secret: str, note: str = "",
               pending: compliance.PendingRule = compliance.DEFAULT_PENDING) -> str:
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
    report = await daily_report(user, site_id, day, secret=secret, pending=pending)
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
