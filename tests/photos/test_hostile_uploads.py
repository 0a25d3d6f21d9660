"""Hostile or broken files are refused with their code, before any expensive decode."""

from __future__ import annotations

import time

import pytest
from PIL import Image, ImageFile

from server.domain.errors import RoundsError
from server.photos import process, render_evidence


def _jpeg(h) -> bytes:
    return h.encode(h.synthetic_photo(5, (640, 480)), "JPEG", quality=90)


def _photo(h):
    return h.synthetic_photo(5, (640, 480))


# name -> (builder(helpers) -> bytes, expected code)
CORPUS = {
    "jpeg bomb 30000x30000": (lambda h: h.jpeg_with_header(30000, 30000), "image_too_many_pixels"),
    "png bomb 30000x30000": (lambda h: h.png_with_header(30000, 30000), "image_too_many_pixels"),
    "png declaring 2^31-1 squared": (
        lambda h: h.png_with_header(2**31 - 1, 2**31 - 1),
        "image_too_many_pixels",
    ),
    "png 63 MP, under Pillow's own limit": (lambda h: h.png_with_header(9000, 7000), "image_too_many_pixels"),
    "png whose data does not match its header": (lambda h: h.png_with_header(640, 480), "image_corrupt"),
    "truncated jpeg (60%)": (lambda h: _jpeg(h)[: len(_jpeg(h)) * 6 // 10], "image_corrupt"),
    "truncated jpeg (99%)": (lambda h: _jpeg(h)[: len(_jpeg(h)) * 99 // 100], "image_corrupt"),
    "truncated jpeg (header only)": (lambda h: _jpeg(h)[:200], "image_corrupt"),
    "truncated png": (lambda h: h.encode(_photo(h), "PNG")[:5000], "image_corrupt"),
    "truncated webp": (lambda h: h.encode(_photo(h), "WEBP")[:3000], "image_corrupt"),
    "truncated heic": (lambda h: h.encode(_photo(h), "HEIF")[:3000], "image_corrupt"),
    "jpeg magic then garbage": (lambda h: b"\xff\xd8\xff" + b"\x00" * 100, "image_corrupt"),
    "text file": (lambda h: b"Inspection notes\nall fine\n", "unsupported_media_type"),
    "svg": (
        lambda h: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        "unsupported_media_type",
    ),
    "gif": (lambda h: h.encode(_photo(h), "GIF"), "unsupported_media_type"),
    "pdf": (lambda h: b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "unsupported_media_type"),
    "avif": (lambda h: h.encode(_photo(h), "AVIF"), "unsupported_media_type"),
    "zero bytes": (lambda h: b"", "photo_empty"),
}
STATUS = {"image_too_many_pixels": 422, "image_corrupt": 422, "unsupported_media_type": 415, "photo_empty": 422}


@pytest.fixture(scope="module")
def corpus(helpers) -> dict[str, tuple[bytes, str]]:
    return {name: (build(helpers), code) for name, (build, code) in CORPUS.items()}


@pytest.mark.parametrize("name", list(CORPUS))
@pytest.mark.parametrize("display_px", [1600, 100])  # 100: the JPEG draft path
def test_hostile_file_gets_its_code(corpus, name, display_px):
    data, code = corpus[name]
    with pytest.raises(RoundsError) as info:
        process(data, display_px=display_px, thumb_px=32)
    assert info.value.code == code
    assert info.value.status == STATUS[code]


@pytest.mark.parametrize("name", ["text file", "truncated jpeg (60%)", "png bomb 30000x30000"])
def test_evidence_render_refuses_the_same_way(corpus, name):
    data, code = corpus[name]
    with pytest.raises(RoundsError) as info:
        render_evidence(data, ["x"])
    assert info.value.code == code


def test_oversized_upload_is_refused_before_decoding(helpers):
    data = helpers.encode(helpers.synthetic_photo(5, (640, 480)), "JPEG")
    with pytest.raises(RoundsError) as info:
        process(data, max_bytes=len(data) - 1)
    assert (info.value.code, info.value.status) == ("photo_too_large", 413)


def test_bombs_are_refused_from_the_header_without_decoding(corpus, monkeypatch):
    def no_decode(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decode)
    for name in ("jpeg bomb 30000x30000", "png 63 MP, under Pillow's own limit"):
        started = time.perf_counter()
        with pytest.raises(RoundsError) as info:
            process(corpus[name][0])
        assert info.value.code == "image_too_many_pixels"
        assert time.perf_counter() - started < 0.5


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_between_pillow_warning_and_error_is_an_error(helpers):
    # 96 MP: Pillow only warns (limit 89 MP, error at 2x); we refuse.
    with pytest.raises(RoundsError) as info:
        process(helpers.png_with_header(12000, 8000), max_pixels=400_000_000)
    assert info.value.code == "image_too_many_pixels"
    assert info.value.detail["max_pixels"] == Image.MAX_IMAGE_PIXELS


def test_max_pixels_is_configurable(helpers):
    data = helpers.encode(helpers.synthetic_photo(5, (640, 480)), "JPEG")
    with pytest.raises(RoundsError) as info:
        process(data, max_pixels=640 * 480 - 1)
    assert info.value.detail == {"max_pixels": 640 * 480 - 1, "width": 640, "height": 480}
    assert process(data, max_pixels=640 * 480).width == 640


def test_truncated_images_are_never_tolerated():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
