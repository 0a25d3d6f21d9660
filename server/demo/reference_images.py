"""Simple illustrative reference photos for a few demo checklist items, drawn
with Pillow (no photos ship with the project). Deterministic: the same bytes
on every run, so loading the demo twice publishes no new version."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageDraw

from server.labels import fonts

W, H = 960, 720
Painter = Callable[[ImageDraw.ImageDraw], None]


def _tiles(d: ImageDraw.ImageDraw, colour=(222, 226, 230), grout=(190, 196, 202), size=120, top=0) -> None:
    d.rectangle([0, top, W, H], fill=colour)
    for x in range(0, W, size):
        d.line([x, top, x, H], fill=grout, width=3)
    for y in range(top, H, size):
        d.line([0, y, W, y], fill=grout, width=3)


def _basin(d: ImageDraw.ImageDraw) -> None:
    d.rectangle([0, 0, W, 300], fill=(236, 240, 243))
    _tiles(d, top=300)
    d.rounded_rectangle([300, 180, 660, 300], radius=30, fill=(250, 252, 253), outline=(170, 178, 186), width=4)
    d.ellipse([360, 200, 600, 280], fill=(228, 236, 242), outline=(170, 178, 186), width=3)
    d.rectangle([455, 120, 505, 185], fill=(176, 184, 192))  # tap
    d.rectangle([505, 120, 560, 140], fill=(176, 184, 192))
    d.rectangle([330, 40, 630, 160], outline=(150, 160, 170), width=5, fill=(214, 228, 238))  # mirror


def _drain(d: ImageDraw.ImageDraw) -> None:
    _tiles(d, colour=(214, 218, 222))
    d.ellipse([360, 250, 600, 490], fill=(160, 166, 172), outline=(120, 126, 132), width=6)
    for x in range(390, 580, 24):
        d.line([x, 280, x, 460], fill=(110, 116, 122), width=8)


def _floor(d: ImageDraw.ImageDraw) -> None:
    d.rectangle([0, 0, W, 260], fill=(240, 236, 228))
    d.polygon([(0, H), (W, H), (W * 0.7, 260), (W * 0.3, 260)], fill=(226, 220, 210))
    for i in range(1, 8):
        y = 260 + (H - 260) * (i / 8) ** 1.6
        d.line([0, y, W, y], fill=(205, 198, 186), width=2)


def _gauge(d: ImageDraw.ImageDraw) -> None:
    d.rectangle([0, 0, W, H], fill=(210, 214, 205))
    d.ellipse([280, 120, 680, 520], fill=(250, 250, 246), outline=(60, 64, 70), width=14)
    d.pieslice([310, 150, 650, 490], 200, 260, fill=(235, 120, 110))
    d.pieslice([310, 150, 650, 490], 260, 300, fill=(130, 200, 140))
    d.pieslice([310, 150, 650, 490], 300, 340, fill=(235, 120, 110))
    d.ellipse([350, 190, 610, 450], fill=(250, 250, 246))
    d.line([480, 320, 520, 200], fill=(30, 30, 30), width=8)  # needle in the green band
    d.ellipse([462, 302, 498, 338], fill=(30, 30, 30))
    d.rectangle([455, 520, 505, 640], fill=(120, 126, 132))  # pipe


# (template key, item id) -> (painter, caption zh, caption en)
REFERENCES: dict[tuple[str, str], tuple[Painter, str, str]] = {
    ("toilet", "c1"): (_basin, "示例：洁具干净、无水迹", "Example: fixtures clean, no water marks"),
    ("toilet", "c10"): (_drain, "示例：地漏无积水", "Example: no standing water at the drain"),
    ("corridor_entrance", "c1"): (_floor, "示例：地面无污迹、无纸屑", "Example: floor clean, no scraps"),
    ("plant_room", "c2"): (_gauge, "示例：压力表齐全，指针在绿区", "Example: gauge present, needle in the green"),
}


def render(key: tuple[str, str]) -> bytes:
    painter, zh, en = REFERENCES[key]
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    painter(d)
    d.rectangle([0, H - 96, W, H], fill=(32, 40, 48))
    d.text((24, H - 88), zh, font=fonts.cjk(36), fill=(255, 255, 255))
    d.text((24, H - 42), en, font=fonts.cjk(26), fill=(210, 220, 230))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()
