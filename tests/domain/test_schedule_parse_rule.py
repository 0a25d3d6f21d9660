"""parse_rule accepts every documented rule type, normalises it, and round-trips."""

from datetime import date, time

import pytest

from server.domain.schedule import ScheduleRule, Window, parse_rule

RULES = [
    {"type": "daily", "windows": [{"start": "08:00", "end": "10:00"}]},
    {"type": "every", "every_minutes": 120, "from": "22:00", "to": "06:00", "window_minutes": 60},
    {"type": "weekly", "weekdays": [0, 3], "windows": [{"start": "09:00", "end": "11:00"}]},
    {"type": "monthly", "days": [1, 15, 31], "windows": [{"start": "09:00", "end": "17:00"}]},
    {"type": "random_daily", "from": "08:00", "to": "18:00", "window_minutes": 60},
]


@pytest.mark.parametrize("raw", RULES, ids=lambda r: r["type"])
def test_to_dict_round_trips(raw):
    rule = parse_rule(raw)
    assert isinstance(rule, ScheduleRule)
    assert parse_rule(rule.to_dict()) == rule
    assert rule.to_dict() == {**raw, "grace_minutes": 0}


def test_normalises_times_order_and_sets():
    rule = parse_rule(
        {
            "type": "weekly",
            "weekdays": [3, 0, 3],
            "windows": [{"start": "14:00", "end": "15:00"}, {"start": "8:05", "end": "9:00"}],
            "grace_minutes": 15,
            "not_before": "2026-12-01",
        }
    )
    assert rule.weekdays == (0, 3)
    assert rule.windows == (Window(time(8, 5), time(9, 0)), Window(time(14), time(15)))
    assert rule.grace_minutes == 15
    assert rule.not_before == date(2026, 12, 1)
    assert rule.to_dict() == {
        "type": "weekly",
        "weekdays": [0, 3],
        "windows": [{"start": "08:05", "end": "09:00"}, {"start": "14:00", "end": "15:00"}],
        "grace_minutes": 15,
        "not_before": "2026-12-01",
    }


def test_null_not_before_means_none():
    rule = parse_rule({**RULES[0], "not_before": None})
    assert rule.not_before is None
    assert "not_before" not in rule.to_dict()


def test_window_end_before_start_crosses_midnight():
    rule = parse_rule({"type": "daily", "windows": [{"start": "23:00", "end": "01:00"}]})
    (window,) = rule.windows
    assert window.crosses_midnight
    assert window.minutes == 120


def test_window_with_equal_start_and_end_lasts_a_whole_day():
    rule = parse_rule({"type": "daily", "windows": [{"start": "06:00", "end": "06:00"}]})
    assert rule.windows[0].minutes == 1440


def test_grace_bounds_are_inclusive():
    assert parse_rule({**RULES[0], "grace_minutes": 0}).grace_minutes == 0
    assert parse_rule({**RULES[0], "grace_minutes": 720}).grace_minutes == 720
