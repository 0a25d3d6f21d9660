"""An "every" rule repeats a window from `from` while the start is before `to`."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.schedule import occurrences_between, occurrences_on, parse_rule

SH = ZoneInfo("Asia/Shanghai")
NIGHT_PATROL = parse_rule(
    {"type": "every", "every_minutes": 120, "from": "22:00", "to": "06:00", "window_minutes": 60}
)


def local(occ):
    return occ.start.astimezone(SH).strftime("%d %H:%M"), occ.end.astimezone(SH).strftime(
        "%d %H:%M"
    )


def test_night_patrol_every_two_hours_across_midnight():
    occs = occurrences_on(NIGHT_PATROL, date(2026, 11, 22), "Asia/Shanghai")
    assert [local(o) for o in occs] == [
        ("22 22:00", "22 23:00"),
        ("23 00:00", "23 01:00"),
        ("23 02:00", "23 03:00"),
        ("23 04:00", "23 05:00"),
    ]
    # the series belongs to the night it starts
    assert [o.key for o in occs] == [f"2026-11-22#{i}" for i in (1, 2, 3, 4)]


def test_start_equal_to_to_is_excluded():
    rule = parse_rule(
        {
            "type": "every",
            "every_minutes": 120,
            "from": "22:00",
            "to": "04:00",
            "window_minutes": 30,
        }
    )
    starts = [
        o.start.astimezone(SH).hour
        for o in occurrences_on(rule, date(2026, 11, 22), "Asia/Shanghai")
    ]
    assert starts == [22, 0, 2]


def test_uneven_step_stops_before_to():
    rule = parse_rule(
        {"type": "every", "every_minutes": 90, "from": "08:00", "to": "12:00", "window_minutes": 30}
    )
    occs = occurrences_on(rule, date(2026, 11, 22), "Asia/Shanghai")
    assert [o.start.astimezone(SH).strftime("%H:%M") for o in occs] == ["08:00", "09:30", "11:00"]


def test_from_equal_to_runs_round_the_clock():
    rule = parse_rule(
        {
            "type": "every",
            "every_minutes": 240,
            "from": "06:00",
            "to": "06:00",
            "window_minutes": 60,
        }
    )
    occs = occurrences_on(rule, date(2026, 11, 22), "Asia/Shanghai")
    assert len(occs) == 6
    assert occs[-1].start == datetime(2026, 11, 23, 2, 0, tzinfo=SH)


def test_consecutive_nights_do_not_overlap_or_duplicate():
    occs = occurrences_between(
        NIGHT_PATROL, date(2026, 11, 22), date(2026, 11, 24), "Asia/Shanghai"
    )
    starts = [o.start for o in occs]
    assert len(starts) == len(set(starts)) == 12
    assert starts == sorted(starts)


def test_overlapping_windows_are_allowed():
    rule = parse_rule(
        {"type": "every", "every_minutes": 30, "from": "08:00", "to": "09:00", "window_minutes": 45}
    )
    first, second = occurrences_on(rule, date(2026, 11, 22), "Asia/Shanghai")
    assert first.end - second.start == timedelta(minutes=15)
