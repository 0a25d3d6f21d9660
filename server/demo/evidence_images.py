"""Synthetic "phone photos" for the demo history's failed items, so the photo
review queue and visit pages have evidence to show. Each picture is drawn
from its own seed (a floor, a wall, clutter, a time stamp), so no two are
near-duplicates by perceptual hash unless the demo means them to be."""

from __future__ import annotations

import io
import random
from datetime import datetime

from PIL import ExifTags, Image, ImageDraw, ImageFilter

W, H = 1200, 900


def draw(seed: int, taken: datetime | None = None) -> bytes:
    """`taken` (aware): written as the camera's EXIF capture time, with its offset."""
    rng = random.Random(seed)
    # building colours: off-white, beige or grey walls; grey, brown or terrazzo floors
    base = rng.randint(175, 235)
    wall = (base, base - rng.randint(0, 12), base - rng.randint(5, 30))
    grey = rng.randint(95, 170)
    floor = (grey + rng.randint(0, 25), grey + rng.randint(0, 15), grey - rng.randint(0, 20))
    img = Image.new("RGB", (W, H), wall)
    d = ImageDraw.Draw(img)
    horizon = rng.randint(300, 560)
    d.rectangle([0, horizon, W, H], fill=floor)
    # tiles or planks in perspective
    for _ in range(rng.randint(5, 11)):
        x = rng.randint(-200, W + 200)
        d.line([(W // 2 + (x - W // 2) // 4, horizon), (x, H)], fill=tuple(c - 25 for c in floor), width=3)
    # a door, a pipe or a cabinet on the wall
    for _ in range(rng.randint(1, 3)):
        x0 = rng.randint(0, W - 200)
        w, h = rng.randint(80, 320), rng.randint(120, horizon - 20)
        tone = rng.randint(70, 200)
        colour = (tone, tone + rng.randint(-15, 15), tone + rng.randint(-25, 25))
        d.rectangle([x0, horizon - h, x0 + w, horizon], fill=colour, outline=(40, 40, 40), width=3)
    # the problem: litter, a puddle, stains
    for _ in range(rng.randint(3, 9)):
        cx, cy = rng.randint(0, W), rng.randint(horizon + 20, H - 20)
        r = rng.randint(10, 70)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        if rng.random() < 0.5:
            d.ellipse([cx - r, cy - r // 2, cx + r, cy + r // 2], fill=colour)
        else:
            d.polygon([(cx + rng.randint(-r, r), cy + rng.randint(-r, r)) for _ in range(5)], fill=colour)
    # light from a window or a lamp: a broad bright or dark patch somewhere
    for _ in range(rng.randint(1, 3)):
        shade = Image.new("L", (W // 8, H // 8), 0)  # drawn small and blurred, then scaled: cheap
        sd = ImageDraw.Draw(shade)
        cx, cy, r = rng.randint(0, W // 8), rng.randint(0, H // 8), rng.randint(25, 75)
        sd.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rng.randint(60, 140))
        shade = shade.filter(ImageFilter.GaussianBlur(15)).resize((W, H), Image.Resampling.BILINEAR)
        tone = (255, 255, 240) if rng.random() < 0.5 else (0, 0, 0)
        img = Image.composite(Image.new("RGB", (W, H), tone), img, shade)
    img = img.rotate(rng.uniform(-9, 9), resample=Image.Resampling.BILINEAR, expand=False, fillcolor=wall)
    if rng.random() < 0.5:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.6)))
    out = io.BytesIO()
    exif = Image.Exif()
    if taken is not None:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        sub[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
        offset = taken.strftime("%z")
        sub[ExifTags.Base.OffsetTimeOriginal] = f"{offset[:3]}:{offset[3:]}"
    img.save(out, "JPEG", quality=82, exif=exif)
    return out.getvalue()
