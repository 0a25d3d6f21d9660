"""The three clocks behind a photo, side by side for a supervisor:

- camera: EXIF DateTimeOriginal, as the camera wrote it (often without a time
  zone: then it is the camera's wall clock and is shown as written);
- device: the phone's clock when the photo was taken in the app (untrusted);
- received: the server's clock when the bytes arrived (trusted, but late for
  an offline phone).

None is trusted over the others; a camera time far from the device time is
shown as a warning (an old photo picked from the gallery looks like that)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

# Further apart than this and the camera time is marked as not matching.
CAMERA_MISMATCH = timedelta(minutes=30)


@dataclass(frozen=True)
class PhotoTimes:
    day: str  # YYYY-MM-DD of the reference time (device, else received), in the zone
    camera: str | None  # "08:15", or "2026-11-20 08:15" when on another day; None if no EXIF time
    device: str | None
    received: str
    camera_mismatch: bool  # camera and device clocks disagree by more than CAMERA_MISMATCH
    zone: str  # abbreviation of the zone the times are shown in, e.g. "CST"


def parse_exif_time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def photo_times(*, exif: str | None, device: datetime | None, received: datetime, zone: tzinfo) -> PhotoTimes:
    device_local = device.astimezone(zone) if device else None
    received_local = received.astimezone(zone)
    reference = device_local or received_local
    camera = parse_exif_time(exif)
    if camera is not None and camera.tzinfo is not None:
        camera = camera.astimezone(zone)
    # A camera time without a zone is read as the site's wall clock.
    camera_wall = camera.replace(tzinfo=None) if camera else None

    def show(value: datetime | None) -> str | None:
        if value is None:
            return None
        same_day = value.date() == reference.date()
        return value.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")

    mismatch = bool(camera_wall and device_local
                    and abs(camera_wall - device_local.replace(tzinfo=None)) > CAMERA_MISMATCH)
    return PhotoTimes(
        day=reference.strftime("%Y-%m-%d"),
        camera=show(camera_wall),
        device=show(device_local.replace(tzinfo=None)) if device_local else None,
        received=show(received_local.replace(tzinfo=None)) or "",
        camera_mismatch=mismatch,
        zone=received_local.tzname() or "",
    )
