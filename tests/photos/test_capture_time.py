"""DateTimeOriginal (Exif sub-IFD) becomes an ISO 8601 string; with
OffsetTimeOriginal it is timezone-aware, without it naive; junk is None."""

from __future__ import annotations

import pytest
from PIL import ExifTags, Image

from server.photos import process
from server.photos.pipeline import _parse_exif_time


def _photo(helpers, fmt="JPEG", *, original=None, offset=None, ifd0_datetime=None) -> bytes:
    exif = Image.Exif()
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    if original is not None:
        sub[ExifTags.Base.DateTimeOriginal] = original
    if offset is not None:
        sub[ExifTags.Base.OffsetTimeOriginal] = offset
    if ifd0_datetime is not None:
        exif[ExifTags.Base.DateTime] = ifd0_datetime
    # bytes, not the Exif object: an Exif holding only a sub-IFD is falsy, and
    # some savers (PNG) then silently write no EXIF at all.
    return helpers.encode(helpers.synthetic_photo(6, (128, 96)), fmt, exif=exif.tobytes())


def test_time_with_offset_is_aware(helpers):
    data = _photo(helpers, original="2026:11:20 08:15:30", offset="+08:00")
    assert process(data, thumb_px=32).exif_captured_at == "2026-11-20T08:15:30+08:00"


def test_time_without_offset_is_naive(helpers):
    data = _photo(helpers, original="2026:11:20 08:15:30")
    assert process(data, thumb_px=32).exif_captured_at == "2026-11-20T08:15:30"


@pytest.mark.parametrize("fmt", ["WEBP", "PNG", "HEIF"])
def test_other_formats_carry_the_time_too(helpers, fmt):
    data = _photo(helpers, fmt, original="2026:01:02 03:04:05", offset="-05:30")
    assert process(data, thumb_px=32).exif_captured_at == "2026-01-02T03:04:05-05:30"


def test_no_exif_means_no_time(helpers):
    data = helpers.encode(helpers.synthetic_photo(6, (128, 96)), "JPEG")
    assert process(data, thumb_px=32).exif_captured_at is None


def test_only_the_original_time_counts(helpers):
    # IFD0 DateTime is the last *edit* time, not when the photo was taken.
    data = _photo(helpers, ifd0_datetime="2026:11:20 08:15:30")
    assert process(data, thumb_px=32).exif_captured_at is None


@pytest.mark.parametrize(
    ("value", "offset", "expected"),
    [
        ("2026:11:20 08:15:30", "+08:00", "2026-11-20T08:15:30+08:00"),
        ("2026:11:20 08:15:30\x00", None, "2026-11-20T08:15:30"),
        (b"2026:11:20 08:15:30", b"+00:00", "2026-11-20T08:15:30+00:00"),
        ("2026:11:20 08:15:30", "+99:00", "2026-11-20T08:15:30"),  # impossible offset dropped
        ("2026:11:20 08:15:30", "Z", "2026-11-20T08:15:30"),
        ("0000:00:00 00:00:00", "+08:00", None),
        ("2026-11-20T08:15:30", None, None),
        ("    :  :     :  :  ", None, None),
        ("", None, None),
        (12345, None, None),
        (None, "+08:00", None),
    ],
)
def test_parse_exif_time(value, offset, expected):
    assert _parse_exif_time(value, offset) == expected


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_broken_exif_does_not_reject_the_photo(helpers):
    data = helpers.encode(helpers.synthetic_photo(6, (128, 96)), "JPEG", exif=b"Exif\x00\x00MM\x00*garbage")
    result = process(data, thumb_px=32)
    assert result.exif_captured_at is None and result.orientation == 1
