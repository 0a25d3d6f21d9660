"""Fonts for label text. Chinese needs a CJK font: Noto Sans CJK (Debian
`fonts-noto-cjk`) or WenQuanYi; without one the Chinese name prints as boxes,
so the label service warns (see docs/setup.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

CJK_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]
MONO_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf",
]


@lru_cache(maxsize=1)
def cjk_path() -> tuple[str, int] | None:
    """(path, index of the Simplified Chinese face) of the first CJK font found."""
    for candidate in CJK_CANDIDATES:
        if not Path(candidate).exists():
            continue
        for index in range(12):
            try:
                font = ImageFont.truetype(candidate, 12, index=index)
            except OSError:
                break
            if "SC" in " ".join(font.getname()) or not candidate.endswith(".ttc"):
                return candidate, index
        return candidate, 0
    return None


@lru_cache(maxsize=64)
def cjk(size_px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = cjk_path()
    if found is None:
        return ImageFont.load_default(size=size_px)
    return ImageFont.truetype(found[0], size_px, index=found[1])


@lru_cache(maxsize=64)
def mono(size_px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in MONO_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size_px)
    return cjk(size_px)


def has_cjk() -> bool:
    return cjk_path() is not None
