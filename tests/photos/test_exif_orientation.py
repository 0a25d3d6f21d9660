"""Every EXIF orientation (1-8) comes out upright in both derivatives."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import ExifTags, Image

from server.photos import process

T = Image.Transpose
# How to store an upright picture so that orientation N turns it upright again.
STORE_AS = {
    1: None,
    2: T.FLIP_LEFT_RIGHT,
    3: T.ROTATE_180,
    4: T.FLIP_TOP_BOTTOM,
    5: T.TRANSPOSE,
    6: T.ROTATE_90,
    7: T.TRANSVERSE,
    8: T.ROTATE_270,
}
UPRIGHT = ["red", "green", "blue", "yellow"]  # TL, TR, BL, BR


def _stored(helpers, orientation: int, fmt: str = "JPEG") -> bytes:
    upright = helpers.quadrant_image((400, 300))
    raw = upright.transpose(STORE_AS[orientation]) if STORE_AS[orientation] else upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    # pillow_heif only turns orientation into the HEIF irot box when given EXIF
    # *bytes*; HEIF readers (libheif, Apple) ignore the EXIF tag itself.
    exif_arg = exif.tobytes() if fmt == "HEIF" else exif
    return helpers.encode(raw, fmt, exif=exif_arg, **({"quality": 92} if fmt == "JPEG" else {}))


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("display_px", [1600, 100])  # 100 -> JPEG draft + resize path
def test_jpeg_orientations_come_out_upright(helpers, orientation, display_px):
    result = process(_stored(helpers, orientation), display_px=display_px, thumb_px=40)
    assert (result.width, result.height) == (400, 300)
    assert result.orientation == orientation
    display = Image.open(BytesIO(result.display))
    thumb = Image.open(BytesIO(result.thumb))
    assert display.size == result.display_size == ((400, 300) if display_px == 1600 else (100, 75))
    assert thumb.size == result.thumb_size == (40, 30)
    assert helpers.quadrant_colours(display) == UPRIGHT
    assert helpers.quadrant_colours(thumb) == UPRIGHT


@pytest.mark.parametrize("orientation", [3, 6, 8])
@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_webp_and_png_orientation_is_honoured(helpers, fmt, orientation):
    result = process(_stored(helpers, orientation, fmt), thumb_px=40)
    assert (result.width, result.height) == (400, 300)
    assert helpers.quadrant_colours(Image.open(BytesIO(result.display))) == UPRIGHT


def test_heic_orientation_is_honoured(helpers):
    # libheif applies the irot/imir transform on decode and pillow_heif then
    # reports orientation 1, so the pipeline must not rotate a second time.
    result = process(_stored(helpers, 6, "HEIF"), thumb_px=40)
    assert (result.width, result.height) == (400, 300)
    assert helpers.quadrant_colours(Image.open(BytesIO(result.display))) == UPRIGHT


def test_nonsense_orientation_is_ignored(helpers):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 42
    data = helpers.encode(helpers.quadrant_image((400, 300)), "JPEG", exif=exif)
    result = process(data, thumb_px=40)
    assert result.orientation == 1
    assert helpers.quadrant_colours(Image.open(BytesIO(result.display))) == UPRIGHT
