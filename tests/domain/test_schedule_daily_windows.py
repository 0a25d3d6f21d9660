"""A daily rule makes one occurrence per window, in the site's zone, keyed by day."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.schedule import occurrences_on, parse_rule

SH = ZoneInfo("Asia/Shanghai")
FOUR_A_DAY = parse_rule(
    {
        "type": "daily",
        "windows": [
            {"start": "14:00", "end": "16:00"},
            {"start": "08:00", "end": "10:00"},
            {"start": "19:00", "end": "21:00"},
            {"start": "10:30", "end": "12:00"},
        ],
    }
)


def test_four_windows_make_four_occurrences_in_start_order():
    occs = occurrences_on(FOUR_A_DAY, date(2026, 11, 22), "Asia/Shanghai")
    assert [o.key for o in occs] == [f"2026-11-22#{i}" for i in (1, 2, 3, 4)]
    assert [o.index for o in occs] == [1, 2, 3, 4]
    assert [o.start.astimezone(SH).strftime("%H:%M") for o in occs] == [
        "08:00", "10:30", "14:00", "19:00",
    ]  # fmt: skip
    assert all(o.day == date(2026, 11, 22) for o in occs)


def test_times_are_site_wall_times_carried_in_utc():
    first = occurrences_on(FOUR_A_DAY, date(2026, 11, 22), "Asia/Shanghai")[0]
    # 08:00 in Shanghai (UTC+8) is midnight UTC
    assert first.start == datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
    assert first.end == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    assert first.start.utcoffset() == timedelta(0)


def test_same_rule_in_another_zone_moves_the_instants():
    sh = occurrences_on(FOUR_A_DAY, date(2026, 11, 22), "Asia/Shanghai")[0]
    utc = occurrences_on(FOUR_A_DAY, date(2026, 11, 22), "UTC")[0]
    assert utc.start - sh.start == timedelta(hours=8)
    assert utc.key == sh.key


def test_grace_extends_the_end():
    rule = parse_rule({**FOUR_A_DAY.to_dict(), "grace_minutes": 30})
    occ = occurrences_on(rule, date(2026, 11, 22), "Asia/Shanghai")[0]
    assert occ.grace_end - occ.end == timedelta(minutes=30)


def test_no_grace_means_grace_end_is_end():
    occ = occurrences_on(FOUR_A_DAY, date(2026, 11, 22), "Asia/Shanghai")[0]
    assert occ.grace_end == occ.end
