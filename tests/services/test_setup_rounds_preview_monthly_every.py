"""The seven-day preview for the two rules the other preview tests leave out:
monthly days (a day past the month's end falls on its last day) and a series
every N minutes that runs past midnight (it belongs to the day it starts)."""

from datetime import UTC, datetime

from server.services import setup_rounds

AT = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # Friday 27 Nov, 09:00 in Shanghai


def _times(days: list[dict]) -> dict[str, list[tuple[str, str, str]]]:
    return {d["day"].isoformat(): [(o["start"].strftime("%m-%d %H:%M"), o["end"].strftime("%H:%M"),
                                    o["grace_end"].strftime("%H:%M")) for o in d["occurrences"]] for d in days}


def test_monthly_on_the_1st_and_31st_across_a_month_end():
    rule = {"type": "monthly", "days": [1, 31], "windows": [{"start": "09:00", "end": "11:00"}], "grace_minutes": 15}
    days = setup_rounds.preview(rule, tz="Asia/Shanghai", at=AT, secret="s", round_id=1)
    assert [d["day"].isoformat() for d in days] == ["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30",
                                                    "2026-12-01", "2026-12-02", "2026-12-03"]
    got = {k: v for k, v in _times(days).items() if v}
    # November has 30 days: "31" is the 30th; then 1 December
    assert got == {"2026-11-30": [("11-30 09:00", "11:00", "11:15")], "2026-12-01": [("12-01 09:00", "11:00", "11:15")]}
    assert [o["key"] for d in days for o in d["occurrences"]] == ["2026-11-30#1", "2026-12-01#1"]


def test_every_two_hours_through_the_night():
    rule = {"type": "every", "every_minutes": 120, "from": "22:00", "to": "06:00", "window_minutes": 30}
    days = setup_rounds.preview(rule, tz="Asia/Shanghai", at=AT, secret="s", round_id=1)
    times = _times(days)
    assert len(times) == 7 and all(len(v) == 4 for v in times.values())
    # 06:00 itself is not a start: its 30-minute window would end after "to"
    assert times["2026-11-27"] == [("11-27 22:00", "22:30", "22:30"), ("11-28 00:00", "00:30", "00:30"),
                                   ("11-28 02:00", "02:30", "02:30"), ("11-28 04:00", "04:30", "04:30")]
    assert [o["key"] for o in days[0]["occurrences"]] == [f"2026-11-27#{n}" for n in (1, 2, 3, 4)]
    assert not any(o["hidden"] for d in days for o in d["occurrences"])
