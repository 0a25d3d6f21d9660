"""Where labels go on a sheet and how big their QR code is. Millimetres, from the
top-left corner of the page. Pure geometry: server/labels draws it.

Why these numbers. A label is read by phone cameras in stairwells and plant
rooms, often in poor light, at arm's length, sometimes scuffed:
- a module (one QR square) of at least 0.6 mm on the smallest layout
  (MIN_MODULE_MM), and as large as the label allows: big modules survive
  blur, low light and cheap printers better than extra error correction;
- the quiet zone is the full 4 modules the standard asks for (QUIET_ZONE);
  labels stuck on busy surfaces fail first at the edges;
- error correction: the lowest QR version that holds the URL at level M, then
  raised to Q or H if that fits the same version (see server/labels/qr.py);
  the module size stays the same and damage tolerance goes up for free.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.domain.errors import RoundsError

QUIET_ZONE = 4  # modules, each side (ISO/IEC 18004)
MIN_MODULE_MM = 0.6
A4 = (210.0, 297.0)


@dataclass(frozen=True)
class Layout:
    name: str
    page_w: float
    page_h: float
    cols: int
    rows: int
    margin_x: float
    margin_y: float
    gap_x: float
    gap_y: float
    qr_mm: float  # side of the QR code including its quiet zone

    @property
    def cell_w(self) -> float:
        return (self.page_w - 2 * self.margin_x - (self.cols - 1) * self.gap_x) / self.cols

    @property
    def cell_h(self) -> float:
        return (self.page_h - 2 * self.margin_y - (self.rows - 1) * self.gap_y) / self.rows

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def wide(self) -> bool:
        """QR on the left and text on the right (else QR above the text)."""
        return self.cell_w > 1.5 * self.cell_h


LAYOUTS = {
    # 12 large labels (62 x 66 mm): corridors, lobbies, car parks
    "a4-12": Layout("a4-12", *A4, cols=3, rows=4, margin_x=8, margin_y=10, gap_x=4, gap_y=4, qr_mm=44),
    # 24 small labels (62 x 32 mm): extinguishers, hydrants, plant
    "a4-24": Layout("a4-24", *A4, cols=3, rows=8, margin_x=8, margin_y=10, gap_x=4, gap_y=3, qr_mm=30),
    # one label per page (62 x 80 mm) for a label printer or a single reprint
    "single": Layout("single", 62, 80, cols=1, rows=1, margin_x=0, margin_y=0, gap_x=0, gap_y=0, qr_mm=46),
}
DEFAULT_LAYOUT = "a4-12"


def get_layout(name: str) -> Layout:
    layout = LAYOUTS.get(name)
    if layout is None:
        raise RoundsError("validation_error", {"field": "layout", "allowed": sorted(LAYOUTS)})
    return layout


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class LabelGeometry:
    cell: Box
    qr: Box  # the square including the quiet zone
    module_mm: float
    text: Box


def place(layout: Layout, index: int) -> tuple[int, Box]:
    """(page number from 0, the cell) of the index-th label."""
    page, slot = divmod(index, layout.per_page)
    row, col = divmod(slot, layout.cols)
    x = layout.margin_x + col * (layout.cell_w + layout.gap_x)
    y = layout.margin_y + row * (layout.cell_h + layout.gap_y)
    return page, Box(x, y, layout.cell_w, layout.cell_h)


def pages(layout: Layout, count: int) -> int:
    return max(1, -(-count // layout.per_page))


def geometry(layout: Layout, cell: Box, modules: int) -> LabelGeometry:
    """The label's parts for a QR code of `modules` modules (without quiet zone)."""
    total = modules + 2 * QUIET_ZONE
    module = layout.qr_mm / total
    if module < MIN_MODULE_MM:
        raise RoundsError("validation_error", {
            "field": "base_url", "reason": "the label URL is too long for a readable QR code "
            f"on this layout ({module:.2f} mm modules, at least {MIN_MODULE_MM} mm needed)"})
    side = layout.qr_mm
    if layout.wide:
        qr = Box(cell.x + 1, cell.y + (cell.h - side) / 2, side, side)
        text = Box(qr.x + side, cell.y + 2, cell.w - side - 3, cell.h - 4)
    else:
        qr = Box(cell.x + (cell.w - side) / 2, cell.y + 1, side, side)
        text = Box(cell.x + 3, qr.y + side, cell.w - 6, cell.y + cell.h - (qr.y + side) - 1.5)
    return LabelGeometry(cell, qr, module, text)
