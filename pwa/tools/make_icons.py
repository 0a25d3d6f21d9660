"""Draw the Rounds app icons with Pillow. Run once; the PNGs are committed.

    .venv/bin/python pwa/tools/make_icons.py

A dark-blue tile with a white checkpoint mark (a ring with a check inside) and a
small QR-like corner square. "maskable" icons keep the mark inside the 80 % safe zone.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "icons"
BG = (11, 61, 145)       # #0b3d91
FG = (255, 255, 255)
ACCENT = (255, 196, 0)   # #ffc400


def draw(size: int, *, maskable: bool, rounded: bool) -> Image.Image:
    scale = 4
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if maskable or not rounded:
        d.rectangle([0, 0, s, s], fill=BG)
    else:
        d.rounded_rectangle([0, 0, s - 1, s - 1], radius=int(s * 0.2), fill=BG)
    safe = 0.62 if maskable else 0.78  # share of the tile the mark may use
    m = s * (1 - safe) / 2
    box = [m, m, s - m, s - m]
    w = max(2, int(s * 0.065))
    d.ellipse(box, outline=FG, width=w)
    cx, cy, r = s / 2, s / 2, (s - 2 * m) / 2
    # check mark
    pts = [(cx - r * 0.45, cy + r * 0.02), (cx - r * 0.1, cy + r * 0.36), (cx + r * 0.5, cy - r * 0.34)]
    d.line(pts, fill=ACCENT, width=int(w * 1.25), joint="curve")
    for p in (pts[0], pts[-1]):
        rr = w * 0.62
        d.ellipse([p[0] - rr, p[1] - rr, p[0] + rr, p[1] + rr], fill=ACCENT)
    return img.resize((size, size), Image.LANCZOS)


def save(img: Image.Image, path: Path) -> None:
    """Palette PNG: flat colours, so 64 colours keep the edges smooth at a third of the size."""
    if img.mode == "RGBA":
        img = img.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
    else:
        img = img.quantize(colors=64)
    img.save(path, optimize=True)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for size in (192, 512):
        save(draw(size, maskable=False, rounded=True), OUT / f"icon-{size}.png")
        save(draw(size, maskable=True, rounded=False), OUT / f"maskable-{size}.png")
    save(draw(180, maskable=False, rounded=False).convert("RGB"), OUT / "apple-touch-icon.png")
    save(draw(48, maskable=False, rounded=True), OUT / "favicon-48.png")
    for p in sorted(OUT.glob("*.png")):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    main()
