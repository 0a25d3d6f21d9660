"""Time zones: local_today, and refusal of unknown zones and naive times."""

from datetime import UTC, date, datetime

import pytest

from server.domain.errors import RoundsError
from server.domain.schedule import (
    find_occurrence,
    local_today,
    occurrences_between,
    occurrences_on,
    parse_rule,
)

RULE = parse_rule({"type": "daily", "windows": [{"start": "08:00", "end": "10:00"}]})


def test_local_today_in_shanghai_runs_eight_hours_ahead_of_utc():
    assert local_today(datetime(2026, 11, 22, 15, 59, tzinfo=UTC), "Asia/Shanghai") == date(
        2026, 11, 22
    )
    assert local_today(datetime(2026, 11, 22, 16, 0, tzinfo=UTC), "Asia/Shanghai") == date(
        2026, 11, 23
    )


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "../../etc/passwd", "asia/shanghai?", None])
def test_unknown_time_zone_is_invalid_schedule(tz):
    calls = [
        lambda: occurrences_on(RULE, date(2026, 11, 22), tz),
        lambda: occurrences_between(RULE, date(2026, 11, 22), date(2026, 11, 23), tz),
        lambda: find_occurrence(RULE, datetime(2026, 11, 22, tzinfo=UTC), tz),
        lambda: local_today(datetime(2026, 11, 22, tzinfo=UTC), tz),
    ]
    for call in calls:
        with pytest.raises(RoundsError) as err:
            call()
        assert err.value.code == "invalid_schedule"
        assert err.value.detail["field"] == "tz"


def test_local_today_refuses_a_naive_time():
    with pytest.raises(RoundsError) as err:
        local_today(datetime(2026, 11, 22, 12, 0), "Asia/Shanghai")
    assert err.value.code == "invalid_time"
