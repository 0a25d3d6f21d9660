"""A window whose end <= start ends on the next day and belongs to the day it starts."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.schedule import find_occurrence, occurrences_on, parse_rule, timing

SH = ZoneInfo("Asia/Shanghai")
NIGHT = parse_rule(
    {
        "type": "daily",
        "windows": [{"start": "23:00", "end": "01:00"}, {"start": "20:00", "end": "21:00"}],
        "grace_minutes": 20,
    }
)


def at(day, hh, mm):
    return datetime(2026, 11, day, hh, mm, tzinfo=SH)


def test_crossing_window_ends_next_day():
    occs = occurrences_on(NIGHT, date(2026, 11, 22), "Asia/Shanghai")
    last = occs[-1]
    assert last.key == "2026-11-22#2"
    assert last.start == at(22, 23, 0)
    assert last.end == at(23, 1, 0)
    assert last.end - last.start == timedelta(hours=2)


def test_a_day_has_only_the_windows_it_starts():
    # 23 Nov 00:00-01:00 is covered by the 22nd's window, not by one of its own
    occs = occurrences_on(NIGHT, date(2026, 11, 23), "Asia/Shanghai")
    assert [o.start for o in occs] == [at(23, 20, 0), at(23, 23, 0)]


def test_scan_after_midnight_counts_for_previous_day():
    occ = find_occurrence(NIGHT, at(23, 0, 30), "Asia/Shanghai")
    assert occ is not None and occ.key == "2026-11-22#2"
    assert timing(occ, at(23, 0, 30)) == "on_time"


def test_grace_after_a_crossing_window_runs_into_the_next_day():
    occ = find_occurrence(NIGHT, at(23, 1, 10), "Asia/Shanghai")
    assert occ is not None and occ.key == "2026-11-22#2"
    assert timing(occ, at(23, 1, 10)) == "late"
    assert find_occurrence(NIGHT, at(23, 1, 20), "Asia/Shanghai") is None


def test_whole_day_window_in_grace_is_found_two_days_later():
    # Sundays only: 22 Nov 18:00 -> 23 Nov 18:00, then grace until 24 Nov 06:00
    rule = parse_rule(
        {
            "type": "weekly",
            "weekdays": [6],
            "windows": [{"start": "18:00", "end": "18:00"}],
            "grace_minutes": 720,
        }
    )
    occ = find_occurrence(rule, at(24, 5, 0), "Asia/Shanghai")
    assert occ is not None and occ.key == "2026-11-22#1"
    assert timing(occ, at(24, 5, 0)) == "late"
