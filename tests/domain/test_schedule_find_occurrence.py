"""find_occurrence: which occurrence a scan at a given instant counts for."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from server.domain.errors import RoundsError
from server.domain.schedule import find_occurrence, occurrences_on, parse_rule

SH = ZoneInfo("Asia/Shanghai")
NIGHT_PATROL = parse_rule(
    {
        "type": "every",
        "every_minutes": 120,
        "from": "22:00",
        "to": "06:00",
        "window_minutes": 60,
        "grace_minutes": 30,
    }
)


def at(day, hh, mm):
    return datetime(2026, 11, day, hh, mm, tzinfo=SH)


def test_scan_at_2330_is_late_for_the_2200_window():
    occ = find_occurrence(NIGHT_PATROL, at(22, 23, 20), "Asia/Shanghai")
    assert occ is not None and occ.key == "2026-11-22#1"


def test_scan_at_2330_after_grace_matches_nothing():
    assert find_occurrence(NIGHT_PATROL, at(22, 23, 30), "Asia/Shanghai") is None


def test_scan_at_0030_counts_for_the_previous_nights_series():
    occ = find_occurrence(NIGHT_PATROL, at(23, 0, 30), "Asia/Shanghai")
    assert occ is not None
    assert occ.key == "2026-11-22#2"
    assert occ.start == at(23, 0, 0)


def test_scan_at_2200_starts_a_new_nights_series():
    occ = find_occurrence(NIGHT_PATROL, at(23, 22, 0), "Asia/Shanghai")
    assert occ is not None and occ.key == "2026-11-23#1"


def test_daytime_scan_outside_any_window_matches_nothing():
    assert find_occurrence(NIGHT_PATROL, at(23, 12, 0), "Asia/Shanghai") is None


def test_start_is_inclusive_and_grace_end_exclusive():
    daily = parse_rule({"type": "daily", "windows": [{"start": "08:00", "end": "10:00"}]})
    assert find_occurrence(daily, at(22, 8, 0), "Asia/Shanghai").key == "2026-11-22#1"
    assert find_occurrence(daily, at(22, 9, 59), "Asia/Shanghai").key == "2026-11-22#1"
    assert find_occurrence(daily, at(22, 10, 0), "Asia/Shanghai") is None
    assert find_occurrence(daily, at(22, 7, 59), "Asia/Shanghai") is None


def test_any_offset_of_the_scan_time_is_the_same_instant():
    in_utc = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)  # 00:30 on the 23rd in Shanghai
    occ = find_occurrence(NIGHT_PATROL, in_utc, "Asia/Shanghai")
    assert occ is not None and occ.key == "2026-11-22#2"


def test_overlap_prefers_the_window_still_running_over_one_in_grace():
    rule = parse_rule(
        {
            "type": "daily",
            "windows": [{"start": "08:00", "end": "09:00"}, {"start": "08:50", "end": "10:00"}],
            "grace_minutes": 30,
        }
    )
    # at 09:10 the first is in its grace, the second is running
    assert find_occurrence(rule, at(22, 9, 10), "Asia/Shanghai").key == "2026-11-22#2"
    # at 08:55 both are running: the earliest start wins
    assert find_occurrence(rule, at(22, 8, 55), "Asia/Shanghai").key == "2026-11-22#1"


def test_overlap_of_two_windows_in_grace_takes_the_earliest():
    rule = parse_rule(
        {
            "type": "daily",
            "windows": [{"start": "08:00", "end": "09:00"}, {"start": "08:30", "end": "09:10"}],
            "grace_minutes": 60,
        }
    )
    assert find_occurrence(rule, at(22, 9, 30), "Asia/Shanghai").key == "2026-11-22#1"


def test_random_daily_is_found_with_its_own_seed_only():
    rule = parse_rule({"type": "random_daily", "from": "08:00", "to": "18:00", "window_minutes": 5})
    (a,) = occurrences_on(rule, at(22, 0, 0).date(), "Asia/Shanghai", seed="a")
    (b,) = occurrences_on(rule, at(22, 0, 0).date(), "Asia/Shanghai", seed="b")
    assert a.start != b.start  # 5-minute windows at different times do not overlap
    assert find_occurrence(rule, a.start, "Asia/Shanghai", seed="a") == a
    assert find_occurrence(rule, a.start, "Asia/Shanghai", seed="b") is None


def test_naive_scan_time_is_refused():
    with pytest.raises(RoundsError) as err:
        find_occurrence(NIGHT_PATROL, datetime(2026, 11, 22, 23, 0), "Asia/Shanghai")
    assert err.value.code == "invalid_time"
