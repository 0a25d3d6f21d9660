"""describe() gives short UI text in English and Chinese."""

import pytest

from server.domain.schedule import describe, parse_rule

W = [{"start": "08:00", "end": "10:00"}]
W2 = W + [{"start": "14:00", "end": "16:00"}]
W4 = W2 + [{"start": "17:00", "end": "18:00"}, {"start": "20:00", "end": "21:00"}]

CASES = [
    ({"type": "daily", "windows": W4}, "4 times a day", "每天4次"),
    ({"type": "daily", "windows": W}, "once a day", "每天1次"),
    ({"type": "daily", "windows": W2}, "twice a day", "每天2次"),
    (
        {
            "type": "every",
            "every_minutes": 120,
            "from": "22:00",
            "to": "06:00",
            "window_minutes": 60,
        },
        "every 120 min 22:00–06:00",
        "每120分钟 22:00–06:00",
    ),
    ({"type": "weekly", "weekdays": [3, 0], "windows": W}, "every Mon, Thu", "每周一、四"),
    (
        {"type": "weekly", "weekdays": [6], "windows": W2},
        "every Sun, twice a day",
        "每周日，每天2次",
    ),
    (
        {"type": "monthly", "days": [15, 1], "windows": W},
        "monthly on the 1st, 15th",
        "每月1日、15日",
    ),
    (
        {"type": "monthly", "days": [2, 3, 11, 22, 31], "windows": W},
        "monthly on the 2nd, 3rd, 11th, 22nd, last day",
        "每月2日、3日、11日、22日、月末",
    ),
    (
        {"type": "random_daily", "from": "08:00", "to": "18:00", "window_minutes": 60},
        "once a day at a random time 08:00–18:00",
        "每日不定时一次 08:00–18:00",
    ),
]


@pytest.mark.parametrize(("raw", "en", "zh"), CASES, ids=[c[1] for c in CASES])
def test_describe(raw, en, zh):
    rule = parse_rule(raw)
    assert describe(rule, "en") == en
    assert describe(rule, "zh") == zh


def test_zh_cn_and_unknown_languages():
    rule = parse_rule(CASES[0][0])
    assert describe(rule, "zh-CN") == "每天4次"
    assert describe(rule, "fr") == "4 times a day"
