"""Every malformed rule is refused with invalid_schedule, naming the field."""

import pytest

from server.domain.errors import RoundsError
from server.domain.schedule import parse_rule

W = [{"start": "08:00", "end": "10:00"}]
DAILY = {"type": "daily", "windows": W}
EVERY = {
    "type": "every",
    "every_minutes": 120,
    "from": "22:00",
    "to": "06:00",
    "window_minutes": 60,
}
RANDOM = {"type": "random_daily", "from": "08:00", "to": "18:00", "window_minutes": 60}

CASES = [
    ("not a dict", ["daily"], ""),
    ("none", None, ""),
    ("no type", {"windows": W}, "type"),
    ("unknown type", {"type": "hourly", "windows": W}, "type"),
    ("unhashable type", {"type": ["daily"], "windows": W}, "type"),
    ("unknown key", {**DAILY, "colour": "red"}, "colour"),
    ("key of another type", {**DAILY, "weekdays": [0]}, "weekdays"),
    ("missing windows", {"type": "daily"}, "windows"),
    ("empty windows", {"type": "daily", "windows": []}, "windows"),
    ("windows not a list", {"type": "daily", "windows": {"start": "08:00"}}, "windows"),
    ("window not a dict", {"type": "daily", "windows": ["08:00-10:00"]}, "windows[0]"),
    ("window missing end", {"type": "daily", "windows": [{"start": "08:00"}]}, "windows[0]"),
    (
        "bad start",
        {"type": "daily", "windows": [{"start": "8h", "end": "10:00"}]},
        "windows[0].start",
    ),
    (
        "hour 24",
        {"type": "daily", "windows": [{"start": "24:00", "end": "10:00"}]},
        "windows[0].start",
    ),
    (
        "minute 60",
        {"type": "daily", "windows": [{"start": "08:00", "end": "10:60"}]},
        "windows[0].end",
    ),
    (
        "seconds",
        {"type": "daily", "windows": [{"start": "08:00:00", "end": "10:00"}]},
        "windows[0].start",
    ),
    (
        "time as number",
        {"type": "daily", "windows": [{"start": 800, "end": "10:00"}]},
        "windows[0].start",
    ),
    ("duplicate window", {"type": "daily", "windows": W + W}, "windows"),
    (
        "too many windows",
        {
            "type": "daily",
            "windows": [
                {"start": f"{m // 60:02d}:{m % 60:02d}", "end": "23:59"} for m in range(289)
            ],
        },
        "windows",
    ),
    ("every 0", {**EVERY, "every_minutes": 0}, "every_minutes"),
    ("every negative", {**EVERY, "every_minutes": -60}, "every_minutes"),
    ("every as float", {**EVERY, "every_minutes": 120.0}, "every_minutes"),
    ("every as bool", {**EVERY, "every_minutes": True}, "every_minutes"),
    (
        "every too often",
        {**EVERY, "every_minutes": 1, "from": "00:00", "to": "00:00"},
        "every_minutes",
    ),
    ("every missing from", {k: v for k, v in EVERY.items() if k != "from"}, "from"),
    ("every bad to", {**EVERY, "to": "6"}, "to"),
    ("window_minutes 0", {**EVERY, "window_minutes": 0}, "window_minutes"),
    ("window_minutes > a day", {**EVERY, "window_minutes": 1441}, "window_minutes"),
    ("weekday 7", {"type": "weekly", "weekdays": [7], "windows": W}, "weekdays"),
    ("weekday -1", {"type": "weekly", "weekdays": [-1], "windows": W}, "weekdays"),
    ("weekday as string", {"type": "weekly", "weekdays": ["mon"], "windows": W}, "weekdays"),
    ("no weekdays", {"type": "weekly", "weekdays": [], "windows": W}, "weekdays"),
    ("day 0", {"type": "monthly", "days": [0], "windows": W}, "days"),
    ("day 32", {"type": "monthly", "days": [32], "windows": W}, "days"),
    ("no days", {"type": "monthly", "days": [], "windows": W}, "days"),
    ("random window longer than range", {**RANDOM, "window_minutes": 601}, "window_minutes"),
    (
        "random no 5-minute start fits",
        {**RANDOM, "from": "08:01", "to": "08:04", "window_minutes": 2},
        "window_minutes",
    ),
    ("grace negative", {**DAILY, "grace_minutes": -1}, "grace_minutes"),
    ("grace over 12 h", {**DAILY, "grace_minutes": 721}, "grace_minutes"),
    ("grace as string", {**DAILY, "grace_minutes": "10"}, "grace_minutes"),
    ("not_before not a date", {**DAILY, "not_before": "tomorrow"}, "not_before"),
    ("not_before impossible date", {**DAILY, "not_before": "2026-02-30"}, "not_before"),
    ("not_before with time", {**DAILY, "not_before": "2026-02-01T00:00"}, "not_before"),
    ("not_before as number", {**DAILY, "not_before": 20260201}, "not_before"),
]


@pytest.mark.parametrize(("raw", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_invalid_schedule(raw, field):
    with pytest.raises(RoundsError) as err:
        parse_rule(raw)
    assert err.value.code == "invalid_schedule"
    assert err.value.status == 422
    assert err.value.detail["field"] == field
    assert err.value.detail["reason"]
