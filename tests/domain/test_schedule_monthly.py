"""A monthly rule fires on its days; a day past the month's end means the last day."""

from datetime import date

from server.domain.schedule import occurrences_between, parse_rule

W = [{"start": "09:00", "end": "17:00"}]


def days_in(rule, first, last):
    return [o.day for o in occurrences_between(rule, first, last, "Asia/Shanghai")]


def test_first_fifteenth_and_last():
    rule = parse_rule({"type": "monthly", "days": [1, 15, 31], "windows": W})
    assert days_in(rule, date(2026, 1, 1), date(2026, 4, 30)) == [
        date(2026, 1, 1), date(2026, 1, 15), date(2026, 1, 31),
        date(2026, 2, 1), date(2026, 2, 15), date(2026, 2, 28),
        date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 31),
        date(2026, 4, 1), date(2026, 4, 15), date(2026, 4, 30),
    ]  # fmt: skip


def test_thirty_first_in_a_leap_february_is_the_29th():
    rule = parse_rule({"type": "monthly", "days": [31], "windows": W})
    assert days_in(rule, date(2028, 2, 1), date(2028, 2, 29)) == [date(2028, 2, 29)]


def test_days_collapsing_onto_the_last_day_occur_once():
    rule = parse_rule({"type": "monthly", "days": [29, 30, 31], "windows": W})
    occs = occurrences_between(rule, date(2026, 2, 1), date(2026, 2, 28), "Asia/Shanghai")
    assert [o.key for o in occs] == ["2026-02-28#1"]


def test_thirtieth_in_a_31_day_month_is_just_the_30th():
    rule = parse_rule({"type": "monthly", "days": [30], "windows": W})
    assert days_in(rule, date(2026, 1, 1), date(2026, 1, 31)) == [date(2026, 1, 30)]
