"""Label sheets: each label holds a large QR code of BASE_URL/t/<code>, the
typed short code, the location's name in Chinese and English and the site.
The text is real PDF text (selectable, searchable) in fonts embedded from the
label fonts (server/labels/type3.py)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from server.domain.label_layout import QUIET_ZONE, Box, geometry, get_layout, place
from server.labels import fonts, qr
from server.labels.pdf import PdfDocument
from server.labels.type3 import GLYPH_EM

TEXT_DPI = 600
_PX_PER_MM = TEXT_DPI / 25.4
_SEAM_MM = 0.02  # rows overlap a hair so no white seam shows between them


@dataclass(frozen=True)
class Label:
    url: str
    short_code: str
    name_zh: str
    name_en: str
    where_zh: str = ""  # the parent path, e.g. "主楼 / 3F"
    where_en: str = ""
    site_zh: str = ""
    site_en: str = ""


def spaced(short_code: str) -> str:
    """7KQ2MX -> 7KQ 2MX: two groups are easier to read off and type."""
    half = (len(short_code) + 1) // 2
    return f"{short_code[:half]} {short_code[half:]}".strip()


def _qr_boxes(matrix: qr.QrMatrix, box: Box, module: float) -> list[tuple[float, float, float, float]]:
    origin_x = box.x + QUIET_ZONE * module
    origin_y = box.y + QUIET_ZONE * module
    boxes = []
    for r, row in enumerate(matrix.rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            boxes.append((origin_x + start * module, origin_y + r * module,
                          (c - start) * module, module + _SEAM_MM))
    return boxes


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for ch in text:
        trial = current + ch
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
            continue
        # break at the last space for Latin text, else between characters
        cut = current.rfind(" ")
        if ch != " " and cut > 0 and current[cut + 1:].isascii():
            lines.append(current[:cut])
            current = current[cut + 1:] + ch
        else:
            lines.append(current.rstrip())
            current = ch.lstrip()
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def _face(maker) -> tuple[str, object, str]:
    """(registry key, the font at the glyph size, its family name)."""
    em = maker(GLYPH_EM)
    name = em.getname()[0] if hasattr(em, "getname") else "Pillow"
    return maker.__name__, em, name


def _text_lines(label: Label, box: Box, wide: bool) -> list[tuple[str, object, int, float, float]]:
    """The label's text laid out in the box: (line, font maker, size px,
    x px, top px), in TEXT_DPI pixels from the box's top-left corner. Blocks
    shrink together until they fit."""
    w, h = max(1, round(box.w * _PX_PER_MM)), max(1, round(box.h * _PX_PER_MM))
    # (text, font maker, size in mm, max lines, gap after in mm)
    where = " / ".join(p for p in (label.where_zh, label.where_en) if p)
    site = " · ".join(p for p in dict.fromkeys((label.site_zh, label.site_en)) if p)
    blocks = [
        (spaced(label.short_code), fonts.mono, 6.0 if not wide else 4.6, 1, 1.2),
        (label.name_zh, fonts.cjk, 4.2 if not wide else 3.2, 2, 0.6),
        (label.name_en, fonts.cjk, 3.0 if not wide else 2.4, 2, 0.8),
        (where, fonts.cjk, 2.2 if not wide else 1.9, 1, 0.4),
        (site, fonts.cjk, 2.2 if not wide else 1.9, 1, 0.0),
    ]
    blocks = [b for b in blocks if b[0]]
    draw = ImageDraw.Draw(Image.new("1", (1, 1), 1))  # measuring only
    scale = 1.0
    while True:
        y = 0.0
        layout = []
        for text, make_font, size_mm, max_lines, gap in blocks:
            size = max(8, round(size_mm * scale * _PX_PER_MM))
            font = make_font(size)
            for line in _wrap(draw, text, font, w, max_lines):
                layout.append((line, make_font, size, y))
                y += size * 1.18
            y += gap * scale * _PX_PER_MM
        if y <= h or scale <= 0.55:
            break
        scale -= 0.05
    out = []
    for line, make_font, size, top in layout:
        if top > h:
            break
        width = draw.textlength(line, font=make_font(size))
        out.append((line, make_font, size, 0.0 if wide else max(0.0, (w - width) / 2), top))
    return out


def _draw_text(doc: PdfDocument, label: Label, box: Box, wide: bool) -> None:
    for line, make_font, size, x, top in _text_lines(label, box, wide):
        key, em, face = _face(make_font)
        ascent = make_font(size).getmetrics()[0] if hasattr(make_font(size), "getmetrics") else size
        doc.text(key, em, face, line, box.x + x / _PX_PER_MM, box.y + (top + ascent) / _PX_PER_MM,
                 size * 72 / TEXT_DPI)


def render_labels(labels: list[Label], layout_name: str = "a4-12", title: str = "Rounds labels") -> bytes:
    """The labels as a PDF, in order, as many pages as needed."""
    layout = get_layout(layout_name)
    doc = PdfDocument(title)
    current_page = -1
    if not labels:
        doc.add_page(layout.page_w, layout.page_h)
    for index, label in enumerate(labels):
        page, cell = place(layout, index)
        if page != current_page:
            doc.add_page(layout.page_w, layout.page_h)
            current_page = page
        matrix = qr.make(label.url)
        geo = geometry(layout, cell, matrix.size)
        if layout.per_page > 1:
            doc.outline(cell.x, cell.y, cell.w, cell.h, gray=0.7, width_mm=0.2, dash_mm=1.5)
        doc.rects(_qr_boxes(matrix, geo.qr, geo.module_mm))
        _draw_text(doc, label, geo.text, layout.wide)
    return doc.output()
