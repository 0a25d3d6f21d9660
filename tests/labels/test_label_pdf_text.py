"""A label's words are real PDF text: the short code, the location's names in
Chinese and English, where it is and the site read back from the PDF's text
layer (pypdfium2), and the font that draws them is embedded in the file,
made from the CJK font when one is installed (fonts-noto-cjk here)."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from server.labels import Label, render_labels
from server.labels.fonts import cjk_path, has_cjk

LABELS = [Label(url=f"https://rounds.example.com/t/code{i}", short_code=f"7KQ2M{'ACDEF'[i]}",
                name_zh=f"{i + 1}F男卫生间", name_en=f"{i + 1}F men's toilet", where_zh="主楼 / 办公层",
                where_en="Main building", site_zh="锦程大厦", site_en="Jincheng Tower") for i in range(5)]


def _text(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def _fonts(pdf: bytes) -> list[tuple[bool, str]]:
    doc = pdfium.PdfDocument(pdf)
    out = []
    for i in range(len(doc)):
        for obj in doc[i].get_objects():
            if obj.type != raw.FPDF_PAGEOBJ_TEXT:
                continue
            font = raw.FPDFTextObj_GetFont(obj.raw)
            buf = ctypes.create_string_buffer(256)
            raw.FPDFFont_GetBaseFontName(font, buf, 256)
            out.append((bool(raw.FPDFFont_GetIsEmbedded(font)), buf.value.decode()))
    return out


@pytest.mark.parametrize("layout", ["a4-12", "single"])
def test_every_label_field_is_in_the_text_layer(layout):
    labels = LABELS if layout != "single" else LABELS[:2]
    pages = _text(render_labels(labels, layout))
    text = "\n".join(pages)
    for label in labels:
        assert label.short_code[:3] + " " + label.short_code[3:] in text  # printed in two groups
        assert label.name_zh in text and label.name_en in text
    assert "主楼 / 办公层 / Main building" in text and "锦程大厦 · Jincheng Tower" in text
    if layout == "single":
        assert len(pages) == 2 and LABELS[1].name_zh in pages[1] and LABELS[1].name_zh not in pages[0]


def test_the_fonts_are_embedded_and_come_from_the_cjk_font():
    fonts = _fonts(render_labels(LABELS[:1], "single"))
    assert fonts and all(embedded for embedded, _ in fonts)
    names = {name for _, name in fonts}
    if has_cjk():
        assert cjk_path()[0].endswith((".ttc", ".ttf", ".otf"))
        assert any("CJK" in name for name in names), names
    assert any("Mono" in name or "CJK" in name for name in names)


def test_a_sheet_with_more_glyphs_than_one_type3_font_holds_reads_back_whole():
    # ~300 distinct Chinese characters: more than the 255 codes of one simple font
    chars = [chr(0x4E00 + i * 7) for i in range(300)]
    labels = [Label(url=f"https://x.example/t/{i}", short_code="AAAAAA", name_zh="".join(chars[i * 20:(i + 1) * 20]),
                    name_en="x", site_zh="", site_en="") for i in range(15)]
    text = "".join(_text(render_labels(labels, "a4-12"))).replace("\n", "").replace("\r", "")
    for label in labels:
        assert label.name_zh[:10] in text
