"""Reference photos of checklist items: an admin uploads a picture of how a
checkpoint should look; the field app shows it on the item, the reviewer sees
it beside the submitted photo.

Intake goes through the photo pipeline (server/photos: format sniffing,
decompression-bomb limits, EXIF orientation, no metadata in derivatives), the
same functions as field photos. Only the derivatives are stored: a reference
photo is an illustration, not evidence, and its original may carry GPS.
Keys are content-addressed, so uploading the same picture twice stores it once.
See server/domain/reference_photo.py for how items refer to it."""

from __future__ import annotations

import anyio

from server.domain import reference_photo
from server.domain.errors import RoundsError
from server.photos.pipeline import Processed, process
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.storage.base import BlobNotFound, BlobStore, StorageError, key_for

DISPLAY_PX = 1280  # enough to judge "clean" on a phone or beside a review photo
THUMB_PX = 320


def blob_key(ref: str, size: str) -> str:
    return key_for("reference-thumbs" if size == "thumb" else "reference", ref, "webp")


async def store_image(data: bytes, *, store: BlobStore, max_bytes: int, max_pixels: int) -> tuple[str, Processed]:
    """Check, derive and store an image (no authorisation: callers check).
    Refusals: photo_empty, photo_too_large, unsupported_media_type,
    image_too_many_pixels, image_corrupt, storage_unavailable."""
    processed = await anyio.to_thread.run_sync(lambda: process(
        data, max_pixels=max_pixels, max_bytes=max_bytes, display_px=DISPLAY_PX, thumb_px=THUMB_PX))
    ref = processed.sha256
    try:
        await store.put(blob_key(ref, "display"), processed.display, content_type="image/webp")
        await store.put(blob_key(ref, "thumb"), processed.thumb, content_type="image/webp")
    except StorageError as exc:
        raise RoundsError("storage_unavailable", {"reason": str(exc)[:200]}) from exc
    return ref, processed


async def upload(site_id: int, data: bytes, *, actor: CurrentUser, store: BlobStore, max_bytes: int,
                 max_pixels: int, template_id: int | None = None) -> str:
    """An admin's upload for a checklist of `site_id`; returns its reference id."""
    await require_site(actor, site_id)
    ref, processed = await store_image(data, store=store, max_bytes=max_bytes, max_pixels=max_pixels)
    await audit.record("setup.reference_photo.upload", actor_id=actor.id, site_id=site_id,
                       object_type="template", object_id=template_id or "",
                       detail={"ref": ref, "bytes": len(data), "format": processed.format,
                               "size": list(processed.display_size)})
    return ref


async def image(name: str, store: BlobStore) -> bytes:
    """The WebP bytes for a URL name ("<ref>.webp" or "<ref>-thumb.webp")."""
    parsed = reference_photo.parse_name(name)
    if parsed is None:
        raise RoundsError("not_found")
    try:
        return await store.get(blob_key(*parsed))
    except BlobNotFound:
        raise RoundsError("not_found") from None
    except StorageError as exc:
        raise RoundsError("storage_unavailable") from exc
