"""The evidence print: upright photo above a caption band in a CJK-capable
font; a new JPEG, the original bytes untouched."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from PIL import ExifTags, Image

from server.photos import render_evidence
from server.photos.evidence import FONT_CANDIDATES, caption_font

CAPTION = [
    "位置：A座 3层 男卫生间 (A-3F-WC-M)",
    "时间：2026-11-22 08:15:30 +08:00 (设备) / 08:16:02 (服务器)",
    "人员：张三 · 保洁部",
    "巡查 visit 1f2e3d4c-0000-4000-8000-000000000001",
]


def test_band_is_added_below_and_original_untouched(helpers):
    upright = helpers.quadrant_image((800, 600))
    data = helpers.encode(upright, "JPEG", quality=92)
    before = hashlib.sha256(data).hexdigest()
    frozen = bytes(data)

    out = Image.open(BytesIO(render_evidence(data, CAPTION)))
    assert hashlib.sha256(data).hexdigest() == before and data == frozen
    assert out.format == "JPEG"
    assert out.width == 800 and out.height > 600
    # the photo keeps its place at the top; the band is dark, below it
    assert helpers.quadrant_colours(out.crop((0, 0, 800, 600))) == ["red", "green", "blue", "yellow"]
    band = out.crop((0, 600, 800, out.height)).convert("L")
    assert band.getextrema()[0] < 40 and band.getextrema()[1] > 200  # dark band, white text
    assert len(out.getexif()) == 0


def test_orientation_is_applied_before_captioning(helpers):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    stored = helpers.quadrant_image((800, 600)).transpose(Image.Transpose.ROTATE_90)
    out = Image.open(BytesIO(render_evidence(helpers.encode(stored, "JPEG", exif=exif), ["x"])))
    assert out.width == 800
    assert helpers.quadrant_colours(out.crop((0, 0, 800, 600))) == ["red", "green", "blue", "yellow"]


def test_long_edge_is_respected(helpers):
    data = helpers.encode(helpers.synthetic_photo(9, (2000, 1500)), "JPEG")
    out = Image.open(BytesIO(render_evidence(data, CAPTION, long_edge=1000)))
    assert out.width == 1000 and out.height > 750


def test_long_captions_wrap_instead_of_running_off(helpers):
    data = helpers.encode(helpers.synthetic_photo(9, (640, 480)), "JPEG")
    short = Image.open(BytesIO(render_evidence(data, ["备注"])))
    long = Image.open(BytesIO(render_evidence(data, ["备注：" + "地面湿滑需要放置警示牌" * 12])))
    assert long.width == short.width == 640
    assert long.height - 480 > 2 * (short.height - 480)


def test_no_caption_means_no_band(helpers):
    data = helpers.encode(helpers.synthetic_photo(9, (640, 480)), "JPEG")
    assert Image.open(BytesIO(render_evidence(data, []))).size == (640, 480)


def test_font_can_draw_chinese():
    font = caption_font(24)
    if any(path.endswith(".ttc") and __import__("os").path.exists(path) for path, _ in FONT_CANDIDATES):
        assert font.getname()[0] == "Noto Sans CJK SC"
    # a CJK glyph is wider than a Latin one in any CJK-capable font (tofu boxes are not)
    assert font.getlength("巡") > font.getlength("i")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_every_accepted_format_can_be_printed(helpers, fmt):
    data = helpers.encode(helpers.synthetic_photo(9, (320, 240)), fmt)
    out = Image.open(BytesIO(render_evidence(data, ["x"])))
    assert out.format == "JPEG" and out.width == 320
