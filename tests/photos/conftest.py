"""Synthetic photos and hostile files are made here, in memory: no binary
fixtures in the repository."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter


def synthetic_photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Gradient sky + random shapes + sensor noise: compresses and hashes like
    a photo, and different seeds give unrelated scenes."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * x / w + np.sin(angle) * y / h + 1) / 2
    lo, hi = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    base = lo + (hi - lo) * ramp[..., None]
    im = Image.fromarray(base.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(8, 20))):
        x0, y0 = int(rng.integers(-w // 4, w)), int(rng.integers(-h // 4, h))
        s = int(rng.integers(w // 10, w // 2))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        shape = rng.integers(0, 3)
        if shape == 0:
            draw.ellipse((x0, y0, x0 + s, y0 + s * 3 // 4), fill=colour)
        elif shape == 1:
            draw.rectangle((x0, y0, x0 + s, y0 + s // 2), fill=colour)
        else:
            draw.polygon([(x0, y0), (x0 + s, y0 + s // 3), (x0 + s // 3, y0 + s)], fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(1.5))
    noisy = np.asarray(im).astype(np.int16) + rng.normal(0, 6, (h, w, 3)).astype(np.int16)
    return Image.fromarray(noisy.clip(0, 255).astype(np.uint8))


def encode(im: Image.Image, fmt: str, **options) -> bytes:
    buf = BytesIO()
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def png_with_header(width: int, height: int) -> bytes:
    """A valid-looking PNG whose IHDR declares width x height, with almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def jpeg_with_header(width: int, height: int) -> bytes:
    """A real tiny JPEG whose SOF0 header is patched to declare width x height."""
    data = bytearray(encode(Image.new("RGB", (16, 16), "gray"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    # marker(2) length(2) precision(1) height(2) width(2)
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.fixture(scope="session")
def photo_jpeg() -> bytes:
    return encode(synthetic_photo(1), "JPEG", quality=90)


def quadrant_image(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """Upright reference: red top-left, green top-right, blue bottom-left,
    yellow bottom-right. Any wrong rotation or flip moves red away from top-left."""
    w, h = size
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, w // 2 - 1, h // 2 - 1), fill=(255, 0, 0))
    draw.rectangle((w // 2, 0, w - 1, h // 2 - 1), fill=(0, 255, 0))
    draw.rectangle((0, h // 2, w // 2 - 1, h - 1), fill=(0, 0, 255))
    draw.rectangle((w // 2, h // 2, w - 1, h - 1), fill=(255, 255, 0))
    return im


def quadrant_colours(im: Image.Image) -> list[str]:
    """Name the dominant colour at the centre of each quadrant (TL, TR, BL, BR)."""
    w, h = im.size
    names = {(1, 0, 0): "red", (0, 1, 0): "green", (0, 0, 1): "blue", (1, 1, 0): "yellow"}
    out = []
    for fx, fy in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)):
        r, g, b = im.convert("RGB").getpixel((int(w * fx), int(h * fy)))
        out.append(names.get((int(r > 128), int(g > 128), int(b > 128)), f"?{(r, g, b)}"))
    return out


@pytest.fixture(scope="session")
def helpers() -> SimpleNamespace:
    """The builders above, for tests (test modules cannot import conftest)."""
    return SimpleNamespace(
        synthetic_photo=synthetic_photo,
        encode=encode,
        png_with_header=png_with_header,
        jpeg_with_header=jpeg_with_header,
        quadrant_image=quadrant_image,
        quadrant_colours=quadrant_colours,
    )
