"""First gate for uploaded photo bytes: decide the format by magic bytes only
(never by file name or the client's Content-Type) and refuse the rest."""

from __future__ import annotations

import struct

from server.domain.errors import RoundsError

DEFAULT_MAX_BYTES = 15 * 1024 * 1024  # same default as Settings.max_photo_bytes

# sniffed name -> (Pillow format name, MIME type)
FORMATS: dict[str, tuple[str, str]] = {
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "webp": ("WEBP", "image/webp"),
    "heif": ("HEIF", "image/heic"),
}

# ISO-BMFF brands that mean an HEVC-coded HEIF image (or sequence). AVIF
# (avif/avis) shares the container but is refused: not a phone camera format
# we promise to support.
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_GENERIC_HEIF_BRANDS = {b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def _ftyp_brands(data: bytes) -> set[bytes]:
    if len(data) < 16 or data[4:8] != b"ftyp":
        return set()
    (box_size,) = struct.unpack(">I", data[:4])
    end = min(max(box_size, 16), len(data), 256)
    brands = {data[8:12]}
    brands.update(data[i : i + 4] for i in range(16, end - 3, 4))
    return brands


def sniff(data: bytes) -> str | None:
    """'jpeg' | 'png' | 'webp' | 'heif' from the first bytes, else None."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    brands = _ftyp_brands(data)
    if brands & _HEIC_BRANDS:
        return "heif"
    if brands & _GENERIC_HEIF_BRANDS and not brands & _AVIF_BRANDS:
        return "heif"
    return None


def check_upload(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The sniffed format of an acceptable upload, or a RoundsError:
    photo_empty, photo_too_large, unsupported_media_type."""
    if not data:
        raise RoundsError("photo_empty")
    if len(data) > max_bytes:
        raise RoundsError("photo_too_large", {"max_bytes": max_bytes, "bytes": len(data)})
    fmt = sniff(data)
    if fmt is None:
        raise RoundsError("unsupported_media_type", {"accepted": sorted(FORMATS)})
    return fmt
