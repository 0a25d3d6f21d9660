"""Label sheet geometry: cells inside the page, no overlaps, pages counted."""

import pytest

from server.domain.errors import RoundsError
from server.domain.label_layout import LAYOUTS, geometry, get_layout, pages, place


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_cells_stay_on_the_page_and_do_not_overlap(name):
    layout = LAYOUTS[name]
    boxes = [place(layout, i)[1] for i in range(layout.per_page)]
    for b in boxes:
        assert 0 <= b.x and b.x + b.w <= layout.page_w + 1e-9
        assert 0 <= b.y and b.y + b.h <= layout.page_h + 1e-9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a.x + a.w <= b.x + 1e-9 or b.x + b.w <= a.x + 1e-9 or a.y + a.h <= b.y + 1e-9 or b.y + b.h <= a.y + 1e-9
    assert place(layout, layout.per_page)[0] == 1
    assert pages(layout, layout.per_page + 1) == 2 and pages(layout, 0) == 1


def test_qr_and_text_fit_in_their_cell():
    for layout in LAYOUTS.values():
        cell = place(layout, 0)[1]
        geo = geometry(layout, cell, 33)
        for box in (geo.qr, geo.text):
            assert box.x >= cell.x - 1e-9 and box.x + box.w <= cell.x + cell.w + 1e-9
            assert box.y >= cell.y - 1e-9 and box.y + box.h <= cell.y + cell.h + 1e-9


def test_a_url_too_long_for_a_readable_code_is_refused():
    layout = get_layout("a4-24")
    with pytest.raises(RoundsError) as exc:
        geometry(layout, place(layout, 0)[1], 97)  # version 20
    assert exc.value.code == "validation_error"
    with pytest.raises(RoundsError):
        get_layout("letter")
