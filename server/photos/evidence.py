"""An "evidence print": the upright photo with a caption band underneath
(location, time, person, visit). The band sits *below* the image so nothing in
the photo is covered. Stored by the caller as a separate derivative; the
original bytes are only read."""

from __future__ import annotations

import functools
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from server.photos.intake import DEFAULT_MAX_BYTES
from server.photos.pipeline import decode_upright, open_checked

# (path, face index). Index 2 of the Noto CJK collection is Simplified Chinese,
# so shared Han characters get the mainland glyph forms.
FONT_CANDIDATES: list[tuple[str, int]] = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
]
BAND_BG = (20, 20, 20)
BAND_FG = (255, 255, 255)
MAX_CAPTION_CHARS = 400


@functools.lru_cache(maxsize=16)
def caption_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            try:
                return ImageFont.truetype(path, size, index=index)
            except OSError:
                continue
    return ImageFont.load_default(size=size)


def _wrap(text: str, font, max_width: int) -> list[str]:
    """Greedy wrap by measured width; breaks at a space when there is one,
    anywhere otherwise (Chinese has no spaces)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for ch in paragraph:
            if not current or font.getlength(current + ch) <= max_width:
                current += ch
                continue
            cut = current.rfind(" ")
            if cut > 0:
                lines.append(current[:cut])
                current = current[cut + 1 :] + ch
            else:
                lines.append(current)
                current = ch
        lines.append(current)
    return lines


def render_evidence(
    original: bytes,
    caption_lines: list[str],
    *,
    long_edge: int = 1600,
    max_pixels: int = 50_000_000,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> bytes:
    """JPEG bytes: the photo (long edge <= long_edge) above a caption band.
    Raises the same RoundsError codes as pipeline.process for bad input."""
    _, im = open_checked(original, max_pixels=max_pixels, max_bytes=max_bytes)
    with im:
        photo = decode_upright(im, long_edge).image

    width, height = photo.size
    size = max(12, round(max(width, 480) / 45))  # ~36 px on a 1600 px photo
    font = caption_font(size)
    pad = size // 2
    text_lines = [
        line
        for caption in caption_lines
        for line in _wrap(caption[:MAX_CAPTION_CHARS], font, width - 2 * pad)
    ]
    ascent_descent = font.getbbox("国Agy")
    line_height = round((ascent_descent[3] - min(ascent_descent[1], 0)) * 1.25)
    band = 2 * pad + line_height * len(text_lines) if text_lines else 0

    canvas = Image.new("RGB", (width, height + band), BAND_BG)
    canvas.paste(photo, (0, 0))
    draw = ImageDraw.Draw(canvas)
    for i, line in enumerate(text_lines):
        draw.text((pad, height + pad + i * line_height), line, font=font, fill=BAND_FG)

    buf = BytesIO()
    # No exif=: the print carries no GPS or device data; the caption says what matters.
    canvas.save(buf, "JPEG", quality=88, optimize=True, progressive=True)
    return buf.getvalue()
