"""Derivatives carry pixels only: no EXIF (so no GPS, no device), no XMP, no
ICC profile; the original's bytes are untouched."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageCms

from server.photos import process


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "FieldPhone"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (31.0, 14.0, 2.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (121.0, 28.0, 9.1),
    }
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:11:22 08:15:30"
    return exif


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG", "HEIF"])
def test_derivatives_have_no_metadata(helpers, fmt):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    options = {"exif": _exif_with_gps(), "icc_profile": srgb}
    if fmt in ("JPEG", "WEBP"):
        options["xmp"] = XMP
    data = helpers.encode(helpers.synthetic_photo(8, (640, 480)), fmt, **options)
    source = Image.open(BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the input really has GPS"

    before = hashlib.sha256(data).hexdigest()
    result = process(data, display_px=320, thumb_px=64)
    assert hashlib.sha256(data).hexdigest() == before == result.sha256

    for blob in (result.display, result.thumb):
        out = Image.open(BytesIO(blob))
        assert out.format == "WEBP"
        assert len(out.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(out.info)
        assert b"GPS" not in blob and b"FieldPhone" not in blob


def test_colour_profile_is_baked_in_not_attached(helpers):
    pure = helpers.quadrant_image((200, 150))
    plain = process(helpers.encode(pure, "PNG"), thumb_px=32)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tagged = process(helpers.encode(pure, "PNG", icc_profile=srgb), thumb_px=32)
    # sRGB -> sRGB is (close to) the identity: same picture, and no profile attached.
    a = Image.open(BytesIO(plain.display)).getpixel((10, 10))
    b = Image.open(BytesIO(tagged.display)).getpixel((10, 10))
    assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 3
    assert "icc_profile" not in Image.open(BytesIO(tagged.display)).info


def test_broken_colour_profile_does_not_reject_the_photo(helpers):
    data = helpers.encode(helpers.quadrant_image((200, 150)), "JPEG", icc_profile=b"not a profile" * 10)
    result = process(data, thumb_px=32)
    assert "icc_profile" not in Image.open(BytesIO(result.display)).info
