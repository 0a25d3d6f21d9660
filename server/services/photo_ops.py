"""Operations on stored photos: verify that every original is present and
unaltered; rebuild derivatives from originals."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio

from server.db.tables import Photo
from server.photos.pipeline import process
from server.storage.base import BlobNotFound, BlobStore, StorageError

BATCH = 200


@dataclass
class VerifyReport:
    checked: int = 0
    ok: int = 0
    missing: list[str] = field(default_factory=list)  # photo client UUIDs
    corrupt: list[str] = field(default_factory=list)
    missing_derivatives: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"checked {self.checked}: {self.ok} ok, {len(self.missing)} missing, "
                f"{len(self.corrupt)} corrupt, {len(self.missing_derivatives)} missing derivatives")


async def _rows(after_id: int) -> list[dict]:
    return await Photo.select(
        Photo.id, Photo.client_uuid, Photo.sha256, Photo.storage_key, Photo.display_key, Photo.thumb_key
    ).where(Photo.id > after_id).order_by(Photo.id).limit(BATCH).run()


async def verify(store: BlobStore, progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Re-reads every original and checks its sha256 against the record."""
    report, last = VerifyReport(), 0
    while rows := await _rows(last):
        for row in rows:
            last = row["id"]
            report.checked += 1
            uid = str(row["client_uuid"])
            try:
                data = await store.get(row["storage_key"])
            except (BlobNotFound, StorageError):
                report.missing.append(uid)
                continue
            if hashlib.sha256(data).hexdigest() != row["sha256"]:
                report.corrupt.append(uid)
                continue
            if not (await store.exists(row["display_key"]) and await store.exists(row["thumb_key"])):
                report.missing_derivatives.append(uid)
                continue
            report.ok += 1
        if progress:
            progress(report.checked)
    return report


async def reprocess(store: BlobStore, *, max_pixels: int,
                    progress: Callable[[int], None] | None = None) -> tuple[int, list[str]]:
    """Rebuilds display and thumbnail derivatives (and the perceptual hash) from
    the originals. Returns (rebuilt, failed client UUIDs)."""
    rebuilt, failed, last, seen = 0, [], 0, 0
    while rows := await _rows(last):
        for row in rows:
            last, seen = row["id"], seen + 1
            try:
                data = await store.get(row["storage_key"])
                done = await anyio.to_thread.run_sync(lambda d=data: process(d, max_pixels=max_pixels))
                await store.put(row["display_key"], done.display, content_type="image/webp")
                await store.put(row["thumb_key"], done.thumb, content_type="image/webp")
            except Exception:  # one bad photo must not stop the rest; it is reported
                failed.append(str(row["client_uuid"]))
                continue
            await Photo.update({Photo.phash: done.phash, Photo.width: done.width,
                                Photo.height: done.height}).where(Photo.id == row["id"]).run()
            rebuilt += 1
        if progress:
            progress(seen)
    return rebuilt, failed
