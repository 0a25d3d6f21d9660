"""The format is decided by magic bytes only; the upload gate refuses the rest."""

from __future__ import annotations

import pytest

from server.domain.errors import RoundsError
from server.photos import check_upload, sniff


def test_real_encodings_are_recognised(helpers):
    im = helpers.synthetic_photo(3, (64, 48))
    assert sniff(helpers.encode(im, "JPEG")) == "jpeg"
    assert sniff(helpers.encode(im, "PNG")) == "png"
    assert sniff(helpers.encode(im, "WEBP")) == "webp"
    assert sniff(helpers.encode(im, "HEIF")) == "heif"


@pytest.mark.parametrize(
    ("major", "compatible", "expected"),
    [
        (b"heic", b"mif1heic", "heif"),
        (b"heix", b"mif1", "heif"),
        (b"mif1", b"heic", "heif"),
        (b"mif1", b"miaf", "heif"),
        (b"msf1", b"hevc", "heif"),
        (b"avif", b"mif1miaf", None),
        (b"mif1", b"avifmiaf", None),  # AVIF hiding behind the generic brand
        (b"isom", b"mp42", None),  # an MP4 video
        (b"qt  ", b"", None),
    ],
)
def test_iso_bmff_brands(major, compatible, expected):
    box = major + b"\x00\x00\x00\x00" + compatible
    data = (8 + len(box)).to_bytes(4, "big") + b"ftyp" + box + b"\x00" * 64
    assert sniff(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"hello",
        b"GIF89a\x01\x00\x01\x00",
        b"%PDF-1.7",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<?xml version='1.0'?><svg/>",
        b"BM\x00\x00",
        b"II*\x00",  # TIFF
        b"RIFF\x00\x00\x00\x00WAVE",
        b"\xff\xd8",  # too short to be a JPEG
        b"\x00" * 32,
    ],
)
def test_other_bytes_are_unknown(data):
    assert sniff(data) is None


def test_gate_codes():
    with pytest.raises(RoundsError) as empty:
        check_upload(b"")
    assert (empty.value.code, empty.value.status) == ("photo_empty", 422)
    with pytest.raises(RoundsError) as unknown:
        check_upload(b"GIF89a")
    assert (unknown.value.code, unknown.value.status) == ("unsupported_media_type", 415)
    with pytest.raises(RoundsError) as big:
        check_upload(b"\xff\xd8\xff" + b"\x00" * 2000, max_bytes=1000)
    assert (big.value.code, big.value.status) == ("photo_too_large", 413)
    assert big.value.detail == {"max_bytes": 1000, "bytes": 2003}
    assert check_upload(b"\xff\xd8\xff\xe0") == "jpeg"
