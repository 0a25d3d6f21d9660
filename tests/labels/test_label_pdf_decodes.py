"""Label sheets decode back to the right URLs: rendered from the PDF, and
under harsh conditions (printed small, poor light, blur, noise)."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageEnhance, ImageFilter

from server.domain.label_layout import (
    LAYOUTS,
    MIN_MODULE_MM,
    QUIET_ZONE,
    geometry,
    get_layout,
    place,
)
from server.labels import Label, render_labels
from server.labels import qr as qrmod

BASE = "https://rounds.example-property.com"


def _labels(n: int) -> list[Label]:
    return [Label(url=f"{BASE}/t/Zx9-k3J9_aB7cD1eF2gH{i:02d}", short_code=f"7KQ2M{'ACDEFGHJKMNPQRTUVWXY'[i % 20]}",
                  name_zh=f"{i}F男卫生间", name_en=f"{i}F men's toilet", where_zh="主楼 / 办公层",
                  where_en="Main building / office floor", site_zh="锦程大厦", site_en="Jincheng Tower")
            for i in range(n)]


def _pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]


def _decoded(img: Image.Image) -> set[str]:
    return {r.text for r in zxingcpp.read_barcodes(img)}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_label_of_every_layout_decodes_to_its_url(layout):
    labels = _labels(14 if layout != "single" else 3)
    pdf = render_labels(labels, layout)
    pages = _pages(pdf, 200)
    per_page = get_layout(layout).per_page
    assert len(pages) == -(-len(labels) // per_page)
    found = set().union(*(_decoded(p) for p in pages))
    assert found == {label.url for label in labels}


def test_small_print_in_poor_light_still_decodes():
    """The small layout printed on a cheap 150 dpi printer, photographed dim,
    low-contrast, slightly out of focus and noisy."""
    labels = _labels(6)
    page = _pages(render_labels(labels, "a4-24"), 150)[0]
    dim = ImageEnhance.Brightness(ImageEnhance.Contrast(page).enhance(0.35)).enhance(0.45)
    blurred = dim.filter(ImageFilter.GaussianBlur(0.8))
    noisy = ImageChops.add(blurred, Image.effect_noise(blurred.size, 10), scale=1.0, offset=-128)
    low, high = noisy.getextrema()
    assert high - low < 140  # really dim: well under the 255 levels of a good scan
    assert _decoded(noisy) == {label.url for label in labels}


def test_a_scuffed_label_still_decodes():
    """A stripe across the code (a scratch, tape, a bolt head) is covered by
    the error correction."""
    label = _labels(1)[0]
    page = _pages(render_labels([label], "single"), 200)[0]
    layout = get_layout("single")
    geo = geometry(layout, place(layout, 0)[1], qrmod.make(label.url).size)
    px = 200 / 25.4
    x0 = int((geo.qr.x + (QUIET_ZONE + 12) * geo.module_mm) * px)
    y0, y1 = int(geo.qr.y * px), int((geo.qr.y + geo.qr.h) * px)
    damaged = page.copy()
    damaged.paste(255, (x0, y0 + int(12 * geo.module_mm * px), x0 + int(2.2 * geo.module_mm * px), y1))
    assert _decoded(damaged) == {label.url}


def test_qr_choice_is_the_lowest_version_at_level_m_or_better_with_a_full_quiet_zone():
    matrix = qrmod.make(_labels(1)[0].url)
    assert matrix.error in ("M", "Q", "H")
    assert matrix.version <= 5
    for layout in LAYOUTS.values():
        geo = geometry(layout, place(layout, 0)[1], matrix.size)
        assert geo.module_mm >= MIN_MODULE_MM
        # the quiet zone lies inside the QR box, clear of the text
        assert geo.qr.w == pytest.approx((matrix.size + 2 * QUIET_ZONE) * geo.module_mm)
        if layout.wide:
            assert geo.text.x >= geo.qr.x + geo.qr.w - 1e-9
        else:
            assert geo.text.y >= geo.qr.y + geo.qr.h - 1e-9
