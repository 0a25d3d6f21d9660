"""A photo's three clocks side by side: camera (EXIF, often without a zone),
device and server, shown in the site's zone, the date only when it differs
from the device's day; a camera far from the device is a warning."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from server.domain.photo_times import photo_times

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEVICE = datetime(2026, 11, 22, 0, 16, tzinfo=UTC)  # 08:16 in Shanghai
RECEIVED = datetime(2026, 11, 22, 0, 40, tzinfo=UTC)


@pytest.mark.parametrize("exif,camera,mismatch", [
    ("2026-11-22T08:15:30", "08:15", False),               # camera wall clock, as written
    ("2026-11-22T08:15:30+08:00", "08:15", False),
    ("2026-11-22T00:15:30+00:00", "08:15", False),         # converted into the site's zone
    ("2026-11-22T07:30:00", "07:30", True),                # 46 min before the device: suspicious
    ("2026-11-19T08:15:30", "2026-11-19 08:15", True),     # an old photo: the date is shown
    (None, None, False),
    ("not a time", None, False),
])
def test_camera_device_and_received_side_by_side(exif, camera, mismatch):
    t = photo_times(exif=exif, device=DEVICE, received=RECEIVED, zone=SHANGHAI)
    assert (t.camera, t.device, t.received, t.day, t.zone) == (camera, "08:16", "08:40", "2026-11-22", "CST")
    assert t.camera_mismatch is mismatch


def test_received_on_another_day_and_no_device_time():
    late = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # the phone was offline overnight
    t = photo_times(exif="2026-11-22T08:15:30", device=DEVICE, received=late, zone=SHANGHAI)
    assert (t.camera, t.device, t.received) == ("08:15", "08:16", "2026-11-23 10:00")
    t = photo_times(exif="2026-11-22T08:15:30", device=None, received=RECEIVED, zone=SHANGHAI)
    assert (t.device, t.received, t.camera_mismatch) == (None, "08:40", False)
