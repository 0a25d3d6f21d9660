"""timing() classifies a scan against its occurrence."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.errors import RoundsError
from server.domain.schedule import occurrences_on, parse_rule, timing

SH = ZoneInfo("Asia/Shanghai")
RULE = parse_rule(
    {"type": "daily", "windows": [{"start": "08:00", "end": "10:00"}], "grace_minutes": 15}
)
OCC = occurrences_on(RULE, datetime(2026, 11, 22).date(), "Asia/Shanghai")[0]


def at(hh, mm):
    return datetime(2026, 11, 22, hh, mm, tzinfo=SH)


@pytest.mark.parametrize(
    ("scan", "expected"),
    [
        (at(7, 59), "early"),
        (at(8, 0), "on_time"),
        (at(9, 59), "on_time"),
        (at(10, 0), "late"),
        (at(10, 14), "late"),
        (at(10, 15), "outside"),
        (at(23, 0), "outside"),
    ],
)
def test_timing(scan, expected):
    assert timing(OCC, scan) == expected


def test_without_grace_the_end_is_outside():
    no_grace = parse_rule({"type": "daily", "windows": [{"start": "08:00", "end": "10:00"}]})
    occ = occurrences_on(no_grace, datetime(2026, 11, 22).date(), "Asia/Shanghai")[0]
    assert timing(occ, at(10, 0)) == "outside"
    assert timing(occ, at(10, 0) - timedelta(seconds=1)) == "on_time"


def test_naive_time_is_refused():
    with pytest.raises(RoundsError) as err:
        timing(OCC, datetime(2026, 11, 22, 9, 0))
    assert err.value.code == "invalid_time"
