"""occurrences_between: the inclusive multi-day list used for the 7-day preview."""

from datetime import date

from server.domain.schedule import occurrences_between, parse_rule

RULE = parse_rule(
    {
        "type": "daily",
        "windows": [{"start": "08:00", "end": "10:00"}, {"start": "20:00", "end": "21:00"}],
    }
)


def test_seven_days_inclusive_by_day_then_index():
    occs = occurrences_between(RULE, date(2026, 11, 22), date(2026, 11, 28), "Asia/Shanghai")
    assert len(occs) == 14
    assert occs[0].key == "2026-11-22#1"
    assert occs[-1].key == "2026-11-28#2"
    assert [o.start for o in occs] == sorted(o.start for o in occs)


def test_single_day_and_reversed_range():
    assert len(occurrences_between(RULE, date(2026, 11, 22), date(2026, 11, 22), "UTC")) == 2
    assert occurrences_between(RULE, date(2026, 11, 23), date(2026, 11, 22), "UTC") == []


def test_crosses_month_and_year_ends():
    occs = occurrences_between(RULE, date(2026, 12, 30), date(2027, 1, 2), "Asia/Shanghai")
    assert sorted({o.day for o in occs}) == [
        date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2),
    ]  # fmt: skip
