"""Europe/Berlin changes clocks (29 Mar 2026 02:00 -> 03:00, 25 Oct 2026 03:00 -> 02:00).
Windows keep their wall times; durations follow the real clock."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.schedule import find_occurrence, local_today, occurrences_on, parse_rule, timing

BERLIN = ZoneInfo("Europe/Berlin")
SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)


def rule(*windows, **extra):
    return parse_rule(
        {"type": "daily", "windows": [{"start": s, "end": e} for s, e in windows], **extra}
    )


def test_wall_time_stays_put_across_the_change():
    morning = rule(("08:00", "10:00"))
    before = occurrences_on(morning, SPRING - timedelta(days=1), "Europe/Berlin")[0]
    after = occurrences_on(morning, SPRING, "Europe/Berlin")[0]
    assert before.start == datetime(2026, 3, 28, 7, 0, tzinfo=UTC)  # CET, UTC+1
    assert after.start == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # CEST, UTC+2
    assert after.start.astimezone(BERLIN).hour == 8


def test_night_window_is_an_hour_shorter_in_spring_and_longer_in_autumn():
    night = rule(("22:00", "06:00"))
    normal = occurrences_on(night, date(2026, 3, 20), "Europe/Berlin")[0]
    spring = occurrences_on(night, SPRING - timedelta(days=1), "Europe/Berlin")[0]
    autumn = occurrences_on(night, AUTUMN - timedelta(days=1), "Europe/Berlin")[0]
    assert normal.end - normal.start == timedelta(hours=8)
    assert spring.end - spring.start == timedelta(hours=7)
    assert autumn.end - autumn.start == timedelta(hours=9)


def test_window_inside_the_spring_gap_is_not_empty():
    (occ,) = occurrences_on(rule(("02:00", "03:00")), SPRING, "Europe/Berlin")
    assert occ.end - occ.start == timedelta(hours=1)
    assert occ.start.astimezone(BERLIN).strftime("%H:%M") == "03:00"


def test_hourly_series_in_spring_has_no_twin_occurrences():
    hourly = parse_rule(
        {"type": "every", "every_minutes": 60, "from": "00:00", "to": "06:00", "window_minutes": 60}
    )
    occs = occurrences_on(hourly, SPRING, "Europe/Berlin")
    # 02:00 does not exist that night; it falls on 03:00, which is kept once
    assert len({o.start for o in occs}) == len(occs) == 5
    assert [o.index for o in occs] == [1, 2, 3, 4, 5]


def test_hourly_series_in_autumn_covers_the_repeated_hour():
    hourly = parse_rule(
        {"type": "every", "every_minutes": 60, "from": "00:00", "to": "06:00", "window_minutes": 60}
    )
    occs = occurrences_on(hourly, AUTUMN, "Europe/Berlin")
    assert len(occs) == 6
    # 02:00-03:00 wall time lasts two real hours that night; no instant is left uncovered
    assert occs[2].end - occs[2].start == timedelta(hours=2)
    assert all(a.end == b.start for a, b in zip(occs, occs[1:], strict=False))


def test_scan_in_the_repeated_autumn_hour_is_found():
    r = rule(("02:00", "03:00"))
    first_pass = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)  # CEST, 00:30 UTC
    second_pass = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN)  # CET, 01:30 UTC
    assert second_pass.astimezone(UTC) - first_pass.astimezone(UTC) == timedelta(hours=1)
    for scan in (first_pass, second_pass):
        occ = find_occurrence(r, scan, "Europe/Berlin")
        assert occ is not None and occ.key == "2026-10-25#1"
        assert timing(occ, scan) == "on_time"


def test_local_today_right_after_midnight_in_winter_time():
    # 23:30 UTC on 28 Mar is already 00:30 on the 29th in Berlin
    assert local_today(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "Europe/Berlin") == SPRING
