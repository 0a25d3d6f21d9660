"""Uploaded photo bytes -> checked, upright, metadata-free WebP derivatives,
a perceptual hash and the EXIF capture time. The original bytes are only read.

`process` is plain synchronous CPU work: callers run it in a worker thread
(`anyio.to_thread.run_sync`); Pillow releases the GIL inside its codecs.

Cost model (12 MP JPEG, bench/photos.py): the decode is made cheap by JPEG
draft mode (DCT scaling) aimed at the *display* size, everything after works
on the display-sized image: resize, rotate, then thumbnail and pHash from the
display image rather than from a second full decode."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from io import BytesIO
from typing import Any, NamedTuple

import imagehash
from PIL import ExifTags, Image, ImageCms, ImageFile, UnidentifiedImageError

from server.domain.errors import RoundsError
from server.photos.hashing import to_signed64
from server.photos.intake import DEFAULT_MAX_BYTES, FORMATS, check_upload

# Chosen by measurement on a 1600x1200 photo-like image (bench/photos.py):
# method 2 is ~3-4x faster than method 4 for ~6% more bytes (37 vs 35 kB);
# method 0 saves another ~10 ms but is 30% bigger. q80 keeps signage legible.
# For the 320 px thumbnail method 2 saves ~3 ms for ~400 bytes.
DISPLAY_WEBP: dict[str, Any] = {"quality": 80, "method": 2}
THUMB_WEBP: dict[str, Any] = {"quality": 75, "method": 2}

_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError)

# EXIF Orientation -> the transpose that makes the pixels upright
# (the same table as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = {5, 6, 7, 8}

_TAG_ORIENTATION = 0x0112
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_OFFSET_TIME_ORIGINAL = 0x9011
_OFFSET_RE = re.compile(r"^([+-])(\d\d):(\d\d)$")


@dataclass(frozen=True)
class Processed:
    format: str  # "jpeg" | "png" | "webp" | "heif"
    width: int  # of the original, upright (after EXIF orientation)
    height: int
    display: bytes  # WebP, long edge <= display_px, no metadata
    display_size: tuple[int, int]  # (width, height) in pixels
    thumb: bytes  # WebP, long edge <= thumb_px, no metadata
    thumb_size: tuple[int, int]
    phash: int  # signed 64-bit, compare with hashing.phash_distance
    exif_captured_at: str | None  # ISO 8601; with offset only if the camera wrote one
    sha256: str  # hex, of the original bytes as received
    orientation: int = 1  # EXIF orientation that was applied (1 = none)
    byte_size: int = 0  # of the original

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]


@functools.cache
def _register_openers() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def scaled_size(width: int, height: int, long_edge: int) -> tuple[int, int]:
    """(w, h) scaled so the long edge is at most `long_edge`; never enlarged."""
    if max(width, height) <= long_edge:
        return width, height
    scale = long_edge / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def open_checked(
    data: bytes, *, max_pixels: int = 50_000_000, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str, ImageFile.ImageFile]:
    """Sniff, open with only the sniffed decoder, and check the declared pixel
    count from the header. Nothing is decoded yet."""
    fmt = check_upload(data, max_bytes=max_bytes)
    _register_openers()
    # A truncated file must fail, not come out half grey.
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    try:
        im = Image.open(BytesIO(data), formats=[FORMATS[fmt][0]])
    except Image.DecompressionBombError:  # declared > 2x MAX_IMAGE_PIXELS
        raise RoundsError("image_too_many_pixels", {"max_pixels": max_pixels}) from None
    except (UnidentifiedImageError, *_DECODE_ERRORS):
        raise RoundsError("image_corrupt") from None
    width, height = im.size
    # Pillow only *warns* between MAX_IMAGE_PIXELS and 2x; we refuse. (A
    # warnings filter would be process-global and racy across worker threads,
    # so the check is done here, explicitly, before any pixel is decoded.)
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    if width < 1 or height < 1 or width * height > limit:
        im.close()
        raise RoundsError(
            "image_too_many_pixels", {"max_pixels": limit, "width": width, "height": height}
        )
    return fmt, im


def _parse_exif_time(value: Any, offset: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.strptime(value.strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:  # "0000:00:00 00:00:00", blanks, garbage
        return None
    if isinstance(offset, bytes):
        offset = offset.decode("ascii", "replace")
    if isinstance(offset, str) and (m := _OFFSET_RE.match(offset.strip("\x00 ").strip())):
        sign = -1 if m[1] == "-" else 1
        delta = timedelta(hours=int(m[2]), minutes=int(m[3]))
        if delta <= timedelta(hours=14):
            moment = moment.replace(tzinfo=timezone(sign * delta))
    return moment.isoformat()


def read_exif(im: Image.Image) -> tuple[int, str | None]:
    """(orientation 1-8, DateTimeOriginal as ISO 8601 or None). Broken EXIF
    is ignored: metadata must never block evidence from being accepted."""
    try:
        exif = im.getexif()
    except Exception:
        return 1, None
    orientation = exif.get(_TAG_ORIENTATION, 1)
    if not isinstance(orientation, int) or orientation not in range(1, 9):
        orientation = 1
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        captured = _parse_exif_time(
            sub.get(_TAG_DATETIME_ORIGINAL), sub.get(_TAG_OFFSET_TIME_ORIGINAL)
        )
    except Exception:
        captured = None
    return orientation, captured


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode == "RGB":
        return im
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit PNG greyscale
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        # Transparent pixels become white rather than whatever colour they hide.
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Bake an embedded colour profile (e.g. Display P3 from phones) into sRGB
    pixels so derivatives can go out without any profile attached."""
    if not icc:
        return im
    try:
        src = ImageCms.ImageCmsProfile(BytesIO(icc))
        out = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return im  # a broken profile is not worth rejecting the photo
    return out if out is not None else im


class Decoded(NamedTuple):
    image: Image.Image  # upright RGB, long edge <= the requested long edge, info cleared
    width: int  # upright size of the full original
    height: int
    orientation: int  # EXIF orientation that was applied (1 = none)
    captured_at: str | None  # EXIF DateTimeOriginal, ISO 8601


def decode_upright(im: ImageFile.ImageFile, long_edge: int) -> Decoded:
    """Decode `im` straight to an upright RGB image whose long edge is at most
    `long_edge`, and read its EXIF facts."""
    stored = im.size  # header size; draft() below shrinks im.size
    if im.format == "JPEG":
        # JPEG EXIF (APP1) is parsed at open, so the orientation is known before
        # decoding and the draft box can be given in the stored axes. Draft only
        # scales while BOTH sides stay >= the box, so the box must be the
        # aspect-correct target, not (long_edge, long_edge): for a 4:3 photo the
        # square box disables it (stack notes D, "Draft-mode trap").
        orientation, _ = read_exif(im)
        box = _stored_target(stored, orientation, long_edge)
        if box != stored:
            im.draft("RGB", box)
    icc = im.info.get("icc_profile")
    try:
        im.load()
    except _DECODE_ERRORS:
        raise RoundsError("image_corrupt") from None
    # After load(): PNG may keep eXIf after the image data, and its getexif()
    # would otherwise trigger a full decode outside our error handling.
    orientation, captured_at = read_exif(im)
    raw_w, raw_h = stored
    width, height = (raw_h, raw_w) if orientation in _SWAPS_AXES else (raw_w, raw_h)
    # Resize before the transpose (fewer pixels to rotate), in the stored axes.
    box = _stored_target(stored, orientation, long_edge)
    out = _to_rgb(im)
    if out.size != box:
        out = out.resize(box, Image.Resampling.LANCZOS)
    if method := _TRANSPOSE.get(orientation):
        out = out.transpose(method)
    out = _to_srgb(out, icc)
    out.info.clear()  # derived images inherit info (exif, xmp, icc): drop it all
    return Decoded(out, width, height, orientation, captured_at)


def _stored_target(stored: tuple[int, int], orientation: int, long_edge: int) -> tuple[int, int]:
    """The target size in the stored (un-rotated) axes."""
    w, h = stored
    if orientation in _SWAPS_AXES:
        tw, th = scaled_size(h, w, long_edge)
        return th, tw
    return scaled_size(w, h, long_edge)


def encode_webp(im: Image.Image, options: dict[str, Any]) -> bytes:
    buf = BytesIO()
    # No exif=/xmp=/icc_profile=: derivatives carry pixels only (no GPS, no device).
    im.save(buf, "WEBP", **options)
    return buf.getvalue()


def perceptual_hash(im: Image.Image) -> int:
    """64-bit pHash as a signed int (fits BIGINT)."""
    return to_signed64(int(str(imagehash.phash(im)), 16))


def process(
    data: bytes,
    *,
    max_pixels: int = 50_000_000,
    display_px: int = 1600,
    thumb_px: int = 320,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sha256: str | None = None,
) -> Processed:
    """Check and derive one uploaded photo. Raises RoundsError with one of
    photo_empty, photo_too_large, unsupported_media_type, image_too_many_pixels,
    image_corrupt. `sha256`: the caller's hash of `data`, to avoid hashing twice."""
    if not 16 <= thumb_px <= display_px:
        raise ValueError("need 16 <= thumb_px <= display_px")
    fmt, im = open_checked(data, max_pixels=max_pixels, max_bytes=max_bytes)
    with im:
        decoded = decode_upright(im, display_px)
    display_im = decoded.image

    display = encode_webp(display_im, DISPLAY_WEBP)
    # Thumbnail and hash from the display image: no second decode of the original.
    # reducing_gap: a cheap integer box-reduce first, LANCZOS for the last
    # <=1.5x step; at 320 px it is indistinguishable and ~2x faster.
    thumb_im = display_im.resize(
        scaled_size(*display_im.size, thumb_px), Image.Resampling.LANCZOS, reducing_gap=1.5
    )
    thumb = encode_webp(thumb_im, THUMB_WEBP)

    return Processed(
        format=fmt,
        width=decoded.width,
        height=decoded.height,
        display=display,
        display_size=display_im.size,
        thumb=thumb,
        thumb_size=thumb_im.size,
        phash=perceptual_hash(thumb_im),
        exif_captured_at=decoded.captured_at,
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
        orientation=decoded.orientation,
        byte_size=len(data),
    )
