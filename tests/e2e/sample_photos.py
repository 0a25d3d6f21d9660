"""Camera-like test pictures, made with Pillow and numpy (no binary fixtures).
Shared by the e2e tests and bench/pwa_shell.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


def detailed_photo(path: Path, size: tuple[int, int] = (4000, 3000), seed: int = 12) -> Path:
    """A 12-megapixel JPEG with the detail of a real photo of a tiled granite
    floor: texture at every scale from 4 px to 400 px, grout lines, sensor
    noise. It weighs what a phone's 12 MP picture weighs (about 4–5 MB at
    q 92) and does not shrink to nothing like a flat gradient would."""
    w, h = size
    rng = np.random.default_rng(seed)
    texture = np.zeros((h, w), np.float32)
    for cell, amp in ((400, 1.0), (100, 0.8), (25, 0.9), (8, 1.0), (4, 0.8)):
        gw, gh = w // cell + 2, h // cell + 2
        small = Image.fromarray(rng.normal(0, 1, (gh, gw)).astype(np.float32))
        texture += amp * np.asarray(small.resize((gw * cell, gh * cell), Image.BILINEAR))[:h, :w]
    texture *= 40 / texture.std()
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([120 + 60 * np.sin(x / 700 + 1), 110 + 50 * np.cos(y / 500),
                     100 + 40 * np.sin((x + y) / 900)], -1)
    pixels = base + texture[..., None] * np.array([1.0, 0.85, 0.7], np.float32)
    pixels += rng.normal(0, 5, (h, w, 1)).astype(np.float32)
    img = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for gx in range(0, w, 250):
        draw.line([(gx, 0), (gx + 120, h)], fill=(50, 50, 50), width=6)
    for gy in range(0, h, 250):
        draw.line([(0, gy), (w, gy + 80)], fill=(50, 50, 50), width=6)
    img.save(path, quality=92)
    return path
