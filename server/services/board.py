"""The today board of a site: every round occurrence of the day with its
compliance state (each linking to the visits that counted for it), and rounds
done vs required per department and per person, with how many of each
person's visits spot checks contradicted lately."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from server.db.tables import DeviceSeen, Membership, Round, RoundCheckpoint, Visit
from server.domain import compliance, schedule
from server.domain.errors import RoundsError
from server.domain.supervision_rules import sees_department
from server.lib.clock import now as clock_now
from server.services import spot_checks
from server.services.accounts import CurrentUser
from server.services.catalog import round_seed, site_row
from server.services.scope import require

WALKER_ROLES = ("guard", "cleaner", "technician", "team_lead", "inspector")
DISPUTE_DAYS = 30  # the window of spot-check disagreements shown per person


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """[start, end) of a local day, in UTC-aware datetimes."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


async def site_people(site_id: int) -> dict[int, dict]:
    rows = await Membership.select(
        Membership.user.id.as_alias("id"), Membership.user.display_name.as_alias("display_name"),
        Membership.user.username.as_alias("username"), Membership.user.role.as_alias("role"),
        Membership.user.department.as_alias("department"), Membership.user.active.as_alias("active"),
    ).where(Membership.site == site_id).run()
    return {r["id"]: r for r in rows if r["active"]}


def _walkers(r: dict, people: dict[int, dict]) -> frozenset[int]:
    out = {r["assignee"]} if r["assignee"] else set()
    for uid, p in people.items():
        if r["assigned_role"] and p["role"] == r["assigned_role"] and (
            not r["department"] or not p["department"] or p["department"] == r["department"]
        ):
            out.add(uid)
    return frozenset(out)


async def compute(site: dict, day: date, user: CurrentUser, *, secret: str, at: datetime,
                  pending: compliance.PendingRule = compliance.DEFAULT_PENDING) -> dict:
    """The board's data for `day` as it stands at `at` (no access checks)."""
    tz = site["timezone"]
    rounds = await Round.select().where(
        (Round.site == site["id"]) & Round.active.eq(True)
    ).order_by(Round.id).output(load_json=True).run()
    rounds = [r for r in rounds if sees_department(user.role, user.department, r["department"])]
    checkpoints = await RoundCheckpoint.select(RoundCheckpoint.round, RoundCheckpoint.location).where(
        RoundCheckpoint.round.is_in([r["id"] for r in rounds] or [-1])).run()
    cps: dict[int, set[int]] = {}
    for cp in checkpoints:
        cps.setdefault(cp["round"], set()).add(cp["location"])
    people = await site_people(site["id"])
    day_start, day_end = day_bounds(day, tz)

    slots: list[compliance.Slot] = []
    meta: dict[int, dict] = {}
    for r in rounds:
        try:
            rule = schedule.parse_rule(r["schedule"])
        except RoundsError:
            continue  # on-demand round: nothing is due
        seed = round_seed(secret, r["id"])
        # Yesterday's occurrences still running after midnight (a night patrol
        # 22:00-06:00) are on today's board too.
        occs = [o for o in schedule.occurrences_on(rule, day - timedelta(days=1), tz, seed=seed)
                if o.grace_end > day_start]
        occs += schedule.occurrences_on(rule, day, tz, seed=seed)
        walkers = _walkers(r, people)
        meta[r["id"]] = {"round": r, "rule_text_zh": schedule.describe(rule, "zh"),
                         "rule_text_en": schedule.describe(rule, "en"), "walkers": walkers}
        slots += [compliance.Slot(r["id"], o.key, o.start, o.end, o.grace_end,
                                  frozenset(cps.get(r["id"], ())), walkers) for o in occs]

    keys = sorted({s.key for s in slots})
    visit_rows = await Visit.select(
        Visit.id, Visit.round, Visit.occurrence, Visit.location, Visit.user, Visit.kind, Visit.timing,
        Visit.scanned_at, Visit.received_at,
    ).where(
        Visit.round.is_in(list(meta) or [-1]) & Visit.occurrence.is_in(keys or ["-"])
    ).run() if slots else []
    facts = [compliance.VisitFact(v["round"], v["occurrence"], v["location"], v["user"], v["kind"],
                                  v["timing"], v["scanned_at"], v["received_at"]) for v in visit_rows]
    visit_ids: dict[tuple[int, str], list[int]] = {}
    for v in sorted(visit_rows, key=lambda v: v["scanned_at"]):
        visit_ids.setdefault((v["round"], v["occurrence"]), []).append(v["id"])
    beat_rows = await DeviceSeen.select().where(
        DeviceSeen.user.is_in(list(people) or [-1])
        & (DeviceSeen.last_seen >= day_start - timedelta(days=1))
    ).run()
    beats = [compliance.Heartbeat(b["user"], b["device_id"], b["last_seen"], b["pending_visits"],
                                  b["oldest_pending_at"]) for b in beat_rows]
    states = compliance.classify_all(slots, facts, beats, at, pending)

    spot_rows = await Visit.select(Visit.user).where(
        (Visit.site == site["id"]) & (Visit.kind == "spot_check")
        & (Visit.scanned_at >= day_start) & (Visit.scanned_at < day_end)
    ).run()
    spot_counts: dict[int, int] = {}
    for v in spot_rows:
        spot_counts[v["user"]] = spot_counts.get(v["user"], 0) + 1
    assigned: dict[int, int] = {}
    for s in states:
        a = meta[s.slot.round_id]["round"]["assignee"]
        if a:
            assigned[a] = assigned.get(a, 0) + 1
    roles = {uid: p["role"] for uid, p in people.items() if p["role"] in WALKER_ROLES
             and sees_department(user.role, user.department, p["department"])}
    persons = compliance.person_tallies(states, roles, assigned, spot_counts)
    departments = compliance.department_tallies(
        states, {rid: m["round"]["department"] for rid, m in meta.items()})
    return {"states": states, "meta": meta, "people": people, "persons": persons,
            "departments": departments, "counts": compliance.counts(states), "visit_ids": visit_ids}


def _hhmm(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%H:%M")


def slot_href(site_id: int, round_id: int, key: str, ids: list[int]) -> str:
    """One visit: its page; several: the site's visits of that occurrence."""
    if not ids:
        return ""
    if len(ids) == 1:
        return f"/console/visits/{ids[0]}"
    return f"/console/sites/{site_id}/visits?" + urlencode({"round": round_id, "occurrence": key})


async def today_board(user: CurrentUser, site_id: int, *, secret: str, at: datetime | None = None,
                      pending: compliance.PendingRule = compliance.DEFAULT_PENDING) -> dict:
    require(user, "board.view", site_id)
    site = await site_row(site_id)
    at = at or clock_now()
    day = schedule.local_today(at, site["timezone"])
    data = await compute(site, day, user, secret=secret, at=at, pending=pending)
    zone = ZoneInfo(site["timezone"])
    people = data["people"]
    rows = []
    by_round: dict[int, list] = {}
    for s in data["states"]:
        by_round.setdefault(s.slot.round_id, []).append(s)
    for rid, states in by_round.items():
        m = data["meta"][rid]
        rows.append({
            "round": m["round"], "rule_text_zh": m["rule_text_zh"], "rule_text_en": m["rule_text_en"],
            "slots": [{
                "key": s.slot.key, "state": s.state, "visited": s.visited, "required": s.required,
                "window": f"{_hhmm(s.slot.start, zone)}–{_hhmm(s.slot.end, zone)}",
                "previous_day": s.slot.key.split("#")[0] != day.isoformat(),
                "who": [people[u]["display_name"] for u in s.walkers if u in people],
                "synced_late": s.synced_late, "pending_devices": s.pending_devices,
                "visits": len(data["visit_ids"].get((rid, s.slot.key), [])),
                "href": slot_href(site_id, rid, s.slot.key, data["visit_ids"].get((rid, s.slot.key), [])),
            } for s in states],
        })
    disputes = await spot_checks.disagreements_by_worker(sorted(data["persons"]),
                                                         at - timedelta(days=DISPUTE_DAYS))
    persons = sorted(
        ({"user": people[uid], "tally": t, "spot_checked": disputes.get(uid, (0, 0))[0],
          "disagreed": disputes.get(uid, (0, 0))[1]} for uid, t in data["persons"].items()),
        key=lambda p: (p["tally"].ok, p["user"]["role"], p["user"]["display_name"]))
    departments = sorted(data["departments"].items())
    return {"site": site, "day": day, "at": at, "local_time": at.astimezone(zone).strftime("%H:%M"),
            "rows": rows, "counts": data["counts"], "persons": persons, "departments": departments}
