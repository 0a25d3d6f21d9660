"""A weekly rule fires only on its weekdays (0 = Monday)."""

from datetime import date, timedelta

from server.domain.schedule import occurrences_between, occurrences_on, parse_rule

MON_THU = parse_rule(
    {
        "type": "weekly",
        "weekdays": [0, 3],
        "windows": [{"start": "09:00", "end": "11:00"}, {"start": "15:00", "end": "17:00"}],
    }
)


def test_only_listed_weekdays_have_occurrences():
    monday = date(2026, 11, 23)
    assert monday.weekday() == 0
    week = [monday + timedelta(days=i) for i in range(7)]
    counts = [len(occurrences_on(MON_THU, d, "Asia/Shanghai")) for d in week]
    assert counts == [2, 0, 0, 2, 0, 0, 0]


def test_sunday_is_six():
    rule = parse_rule({**MON_THU.to_dict(), "weekdays": [6]})
    occs = occurrences_between(rule, date(2026, 11, 23), date(2026, 12, 6), "Asia/Shanghai")
    assert sorted({o.day for o in occs}) == [date(2026, 11, 29), date(2026, 12, 6)]


def test_weekday_is_the_local_day_not_the_utc_day():
    # Monday 01:00 in Shanghai is still Sunday in UTC
    rule = parse_rule(
        {"type": "weekly", "weekdays": [0], "windows": [{"start": "01:00", "end": "02:00"}]}
    )
    (occ,) = occurrences_on(rule, date(2026, 11, 23), "Asia/Shanghai")
    assert occ.start.date() == date(2026, 11, 22)
    assert occ.day == date(2026, 11, 23)
