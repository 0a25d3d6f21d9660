"""JPEG, PNG (any mode), WebP and HEIC all produce the same kind of derivatives."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from server.photos import process


def _check(result, fmt, size=(640, 480)):
    assert result.format == fmt
    assert (result.width, result.height) == size
    display = Image.open(BytesIO(result.display))
    thumb = Image.open(BytesIO(result.thumb))
    assert display.format == thumb.format == "WEBP"
    assert display.mode == thumb.mode == "RGB"
    assert display.size == result.display_size and max(display.size) <= 320
    assert thumb.size == result.thumb_size and max(thumb.size) <= 64
    assert -(2**63) <= result.phash < 2**63
    assert len(result.sha256) == 64


@pytest.mark.parametrize(
    ("pil_format", "fmt", "content_type"),
    [("JPEG", "jpeg", "image/jpeg"), ("PNG", "png", "image/png"), ("WEBP", "webp", "image/webp"),
     ("HEIF", "heif", "image/heic")],
)
def test_each_format_is_processed(helpers, pil_format, fmt, content_type):
    data = helpers.encode(helpers.synthetic_photo(4), pil_format)
    result = process(data, display_px=320, thumb_px=64)
    _check(result, fmt)
    assert result.content_type == content_type and result.byte_size == len(data)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "L", "P", "I;16", "1", "CMYK"])
def test_unusual_modes_become_rgb(helpers, mode):
    im = helpers.synthetic_photo(4)
    if mode == "I;16":
        im = im.convert("L").point(lambda v: v * 256, "I").convert("I;16")
    else:
        im = im.convert(mode)
    pil_format = "JPEG" if mode == "CMYK" else "PNG"
    _check(process(helpers.encode(im, pil_format), display_px=320, thumb_px=64),
           pil_format.lower())


def test_transparent_pixels_become_white(helpers):
    im = Image.new("RGBA", (100, 80), (255, 0, 0, 0))  # fully transparent red
    result = process(helpers.encode(im, "PNG"), thumb_px=32)
    r, g, b = Image.open(BytesIO(result.display)).getpixel((50, 40))
    assert min(r, g, b) > 240


def test_16_bit_greyscale_keeps_its_tones(helpers):
    ramp = Image.fromarray(np.tile(np.arange(256, dtype=np.uint16) * 257, (64, 1)))
    assert ramp.mode == "I;16"
    result = process(helpers.encode(ramp, "PNG"), thumb_px=32)
    out = Image.open(BytesIO(result.display)).convert("L")
    assert out.getpixel((5, 32)) < 40 and out.getpixel((250, 32)) > 215
