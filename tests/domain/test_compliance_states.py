"""Compliance states of round occurrences, from schedule rules."""

from datetime import UTC, date, datetime, timedelta

from server.domain import compliance, schedule
from server.domain.compliance import Heartbeat, Slot, VisitFact

TZ = "Asia/Shanghai"
DAY = date(2026, 11, 22)
CPS = frozenset({1, 2})


def slots(rule: dict, day: date = DAY, tz: str = TZ, walkers=frozenset({7})) -> list[Slot]:
    occs = schedule.occurrences_on(schedule.parse_rule(rule), day, tz)
    return [Slot(1, o.key, o.start, o.end, o.grace_end, CPS, walkers) for o in occs]


def local(hhmm: str, day: date = DAY, tz: str = TZ) -> datetime:
    from zoneinfo import ZoneInfo

    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def visit(slot: Slot, loc: int, at: datetime, *, timing="on_time", user=7, received=None) -> VisitFact:
    return VisitFact(1, slot.key, loc, user, "patrol", timing, at, received or at + timedelta(seconds=5))


DAILY = {"type": "daily", "windows": [{"start": "08:00", "end": "09:00"}, {"start": "14:00", "end": "15:00"}],
         "grace_minutes": 30}


def test_upcoming_due_in_progress_done():
    s = slots(DAILY)[0]
    assert compliance.classify(s, [], [], local("07:59")).state == "upcoming"
    assert compliance.classify(s, [], [], local("08:10")).state == "due"
    one = [visit(s, 1, local("08:05"))]
    assert compliance.classify(s, one, [], local("08:10")).state == "in_progress"
    both = one + [visit(s, 2, local("08:08"))]
    state = compliance.classify(s, both, [], local("08:10"))
    assert state.state == "done" and state.visited == 2 and state.required == 2


def test_done_late_when_a_checkpoint_was_scanned_in_grace_time():
    s = slots(DAILY)[0]
    vs = [visit(s, 1, local("08:50")), visit(s, 2, local("09:10"), timing="late")]
    assert compliance.classify(s, vs, [], local("09:20")).state == "late"


def test_missed_after_grace_with_no_device_activity():
    s = slots(DAILY)[0]
    assert compliance.classify(s, [], [], local("09:31")).state == "missed"
    # still due inside the grace time
    assert compliance.classify(s, [], [], local("09:29")).state == "due"


def test_partial_round_after_grace_is_missed():
    s = slots(DAILY)[0]
    st = compliance.classify(s, [visit(s, 1, local("08:05"))], [], local("10:00"))
    assert st.state == "missed" and st.visited == 1


def test_visits_of_other_occurrences_do_not_count():
    first, second = slots(DAILY)
    vs = [visit(second, 1, local("14:05")), visit(second, 2, local("14:06"))]
    assert compliance.classify(first, vs, [], local("15:00")).state == "missed"
    assert compliance.classify(second, vs, [], local("15:00")).state == "done"


def test_offline_round_synced_later_counts_by_scan_time():
    s = slots(DAILY)[0]
    vs = [visit(s, 1, local("08:05"), received=local("13:00")), visit(s, 2, local("08:09"), received=local("13:00"))]
    st = compliance.classify(s, vs, [], local("13:05"))
    assert st.state == "done" and st.synced_late


def test_night_window_crossing_midnight_belongs_to_the_day_it_starts():
    rule = {"type": "daily", "windows": [{"start": "22:00", "end": "02:00"}], "grace_minutes": 15}
    (s,) = slots(rule)
    assert s.key == "2026-11-22#1"
    after_midnight = local("01:30", DAY + timedelta(days=1))
    assert compliance.classify(s, [], [], after_midnight).state == "due"
    assert compliance.classify(s, [], [], local("02:14", DAY + timedelta(days=1))).state == "due"
    assert compliance.classify(s, [], [], local("02:16", DAY + timedelta(days=1))).state == "missed"
    vs = [visit(s, 1, local("23:50")), visit(s, 2, after_midnight)]
    assert compliance.classify(s, vs, [], after_midnight).state == "done"


def test_every_series_over_midnight():
    rule = {"type": "every", "every_minutes": 120, "from": "22:00", "to": "06:00", "window_minutes": 60,
            "grace_minutes": 0}
    ss = slots(rule)
    assert [x.key for x in ss] == [f"2026-11-22#{i}" for i in range(1, 5)]
    at = local("02:30", DAY + timedelta(days=1))
    states = [compliance.classify(x, [], [], at).state for x in ss]
    assert states == ["missed", "missed", "due", "upcoming"]


def test_site_time_zone_moves_the_window():
    rule = {"type": "daily", "windows": [{"start": "08:00", "end": "09:00"}], "grace_minutes": 0}
    (berlin,) = slots(rule, tz="Europe/Berlin")
    (shanghai,) = slots(rule, tz=TZ)
    at = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)  # 08:30 Berlin, 15:30 Shanghai
    assert compliance.classify(berlin, [], [], at).state == "due"
    assert compliance.classify(shanghai, [], [], at).state == "missed"


def test_weekly_monthly_random_daily_and_not_before_produce_slots_to_judge():
    monday = date(2026, 11, 23)
    weekly = {"type": "weekly", "weekdays": [0], "windows": [{"start": "10:00", "end": "11:00"}]}
    assert slots(weekly, DAY) == [] and len(slots(weekly, monday)) == 1
    monthly = {"type": "monthly", "days": [22], "windows": [{"start": "10:00", "end": "11:00"}]}
    assert len(slots(monthly)) == 1 and slots(monthly, monday) == []
    rnd = {"type": "random_daily", "from": "09:00", "to": "17:00", "window_minutes": 60}
    (r,) = slots(rnd)
    assert compliance.classify(r, [], [], r.start - timedelta(minutes=1)).state == "upcoming"
    assert compliance.classify(r, [], [], r.start).state == "due"
    later = {**DAILY, "not_before": "2026-11-23"}
    assert slots(later) == []


def test_counts_cover_every_state():
    s = slots(DAILY)
    got = compliance.counts(compliance.classify_all(s, [], [], local("10:00")))
    assert got["missed"] == 1 and got["upcoming"] == 1 and sum(got.values()) == 2


def test_a_round_without_checkpoints_needs_one_visit():
    s = slots(DAILY)[0]
    bare = Slot(1, s.key, s.start, s.end, s.grace_end, frozenset(), frozenset())
    assert compliance.classify(bare, [visit(s, 9, local("08:05"))], [], local("08:06")).state == "done"


def test_heartbeat_type_is_used_by_classify():
    s = slots(DAILY)[0]
    beat = Heartbeat(7, "d1", local("08:20"))
    assert compliance.classify(s, [], [beat], local("10:00")).state == "pending_sync"
