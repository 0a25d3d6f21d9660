"""not_before suppresses every occurrence of earlier days, for every rule type."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from server.domain.schedule import find_occurrence, occurrences_between, occurrences_on, parse_rule

W = [{"start": "08:00", "end": "10:00"}]
RULES = [
    {"type": "daily", "windows": W},
    {"type": "every", "every_minutes": 120, "from": "22:00", "to": "06:00", "window_minutes": 60},
    {"type": "weekly", "weekdays": list(range(7)), "windows": W},
    {"type": "monthly", "days": list(range(1, 32)), "windows": W},
    {"type": "random_daily", "from": "08:00", "to": "18:00", "window_minutes": 60},
]


@pytest.mark.parametrize("raw", RULES, ids=lambda r: r["type"])
def test_days_before_not_before_have_no_occurrences(raw):
    rule = parse_rule({**raw, "not_before": "2026-12-01"})
    assert occurrences_on(rule, date(2026, 11, 30), "Asia/Shanghai") == []
    assert occurrences_on(rule, date(2026, 12, 1), "Asia/Shanghai") != []


def test_preview_starts_on_not_before():
    rule = parse_rule({**RULES[0], "not_before": "2026-12-03"})
    occs = occurrences_between(rule, date(2026, 12, 1), date(2026, 12, 7), "Asia/Shanghai")
    assert [o.day.day for o in occs] == [3, 4, 5, 6, 7]


def test_scan_before_not_before_matches_nothing():
    rule = parse_rule({**RULES[0], "not_before": "2026-12-03"})
    at = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert find_occurrence(rule, at, "Asia/Shanghai") is None
