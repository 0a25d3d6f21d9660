"""Big JPEGs are decoded at reduced scale with the aspect-correct box, in the
stored (un-rotated) axes, so a sideways phone photo also gets the cheap path."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import ExifTags, Image, JpegImagePlugin

from server.photos import process
from server.photos.pipeline import scaled_size


@pytest.fixture
def draft_calls(monkeypatch):
    calls: list[tuple[tuple[int, int], tuple[int, int] | None]] = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = original(self, mode, size)
        calls.append((size, self.size))  # requested box, decode size it chose
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    return calls


def _jpeg(helpers, size, orientation=1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return helpers.encode(helpers.synthetic_photo(2, size), "JPEG", quality=85, exif=exif)


def test_landscape_4_3_is_decoded_at_half_scale(helpers, draft_calls):
    result = process(_jpeg(helpers, (1600, 1200)), display_px=400, thumb_px=100)
    assert draft_calls == [((400, 300), (400, 300))]  # 1/4 scale hits the target exactly
    assert result.display_size == (400, 300)


def test_sideways_photo_uses_box_in_stored_axes(helpers, draft_calls):
    # Stored 1600x1200 with orientation 6: upright it is 1200x1600 -> 300x400,
    # so the decoder must be asked for 400x300 (stored axes), not 300x400.
    result = process(_jpeg(helpers, (1600, 1200), orientation=6), display_px=400, thumb_px=100)
    assert draft_calls == [((400, 300), (400, 300))]
    assert (result.width, result.height) == (1200, 1600)
    assert result.display_size == (300, 400)


def test_square_box_would_have_disabled_draft(helpers):
    # The trap from the stack notes, kept as a guard: a (N, N) box on 4:3 does nothing.
    im = Image.open(BytesIO(_jpeg(helpers, (1600, 1200))))
    im.draft("RGB", (700, 700))
    assert im.size == (1600, 1200)
    im = Image.open(BytesIO(_jpeg(helpers, (1600, 1200))))
    im.draft("RGB", scaled_size(1600, 1200, 700))
    assert im.size == (800, 600)


def test_small_photos_are_not_enlarged(helpers, draft_calls):
    result = process(_jpeg(helpers, (300, 200)), display_px=1600, thumb_px=320)
    assert draft_calls == []
    assert result.display_size == (300, 200) and result.thumb_size == (300, 200)


@pytest.mark.parametrize(
    ("size", "edge", "expected"),
    [((4000, 3000), 1600, (1600, 1200)), ((3000, 4000), 1600, (1200, 1600)),
     ((1000, 10), 100, (100, 1)), ((10, 1000), 100, (1, 100)), ((50, 40), 100, (50, 40))],
)
def test_scaled_size(size, edge, expected):
    assert scaled_size(*size, edge) == expected
