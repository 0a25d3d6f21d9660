"""The round editor's schedule fields become (and come back from) rules."""

import pytest

from server.domain.errors import RoundsError
from server.domain.schedule_form import form_from_rule, rule_from_form


def test_n_per_day_with_windows():
    rule = rule_from_form({"type": "daily", "windows": "08:00-10:00\n14:00 – 16:00\n9:00至9:30", "grace_minutes": "15"})
    assert rule["windows"] == [{"start": "08:00", "end": "10:00"}, {"start": "09:00", "end": "09:30"},
                               {"start": "14:00", "end": "16:00"}]
    assert rule["grace_minutes"] == 15


def test_weekly_monthly_every_random_and_not_before():
    assert rule_from_form({"type": "weekly", "windows": "08:00-09:00"}, ["0", "3"])["weekdays"] == [0, 3]
    assert rule_from_form({"type": "monthly", "windows": "08:00-09:00", "days": "1, 15，31"})["days"] == [1, 15, 31]
    every = rule_from_form({"type": "every", "from": "22:00", "to": "06:00", "window_minutes": "30",
                            "every_minutes": "120"})
    assert every["every_minutes"] == 120 and every["from"] == "22:00"
    rnd = rule_from_form({"type": "random_daily", "from": "09:00", "to": "17:00", "window_minutes": "30",
                          "not_before": "2026-12-01"})
    assert rnd["not_before"] == "2026-12-01"
    assert rule_from_form(form_from_rule(rnd) | {"not_before": "2026-12-01"}) == rnd


@pytest.mark.parametrize("values,field", [
    ({"type": "daily", "windows": "8 to 10"}, "windows"),
    ({"type": "daily", "windows": ""}, "windows"),
    ({"type": "weekly", "windows": "08:00-09:00"}, "weekdays"),
    ({"type": "monthly", "windows": "08:00-09:00", "days": "first"}, "days"),
    ({"type": "every", "from": "08:00", "to": "09:00", "window_minutes": "x", "every_minutes": "5"}, "window_minutes"),
    ({"type": "daily", "windows": "08:00-09:00", "grace_minutes": "-5"}, "grace_minutes"),
    ({"type": "hourly"}, "type"),
])
def test_bad_fields_are_named(values, field):
    with pytest.raises(RoundsError) as exc:
        rule_from_form(values, [])
    assert exc.value.code == "invalid_schedule" and exc.value.detail["field"] == field
