"""Operations on stored photos: verify that every original is present and
unaltered (and list objects no photo refers to); rebuild derivatives from
originals."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio

from server.db.tables import Photo
from server.domain.errors import RoundsError
from server.photos.hashing import quarters
from server.photos.pipeline import process
from server.services.photo_views import evidence_key
from server.storage.base import BlobNotFound, BlobStore, StorageError

BATCH = 200
# The prefixes photo ingest writes under (server.services.photos, photo_views).
# Other prefixes belong to other features and are never listed as unreferenced.
PHOTO_PREFIXES = ("originals/", "display/", "thumbs/", "evidence/")
_SHA_IN_KEY = re.compile(r"^[a-z]+/[0-9a-f]{2}/([0-9a-f]{64})(?:[.-]|$)")


@dataclass
class VerifyReport:
    checked: int = 0
    ok: int = 0
    missing: list[str] = field(default_factory=list)  # photo client UUIDs: the original is gone
    corrupt: list[str] = field(default_factory=list)  # the original's bytes no longer match sha256
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (uuid, error): the backend failed
    missing_derivatives: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)  # keys under PHOTO_PREFIXES no photo uses
    listing_error: str | None = None  # the key listing failed: `unreferenced` is incomplete

    @property
    def backend_failed(self) -> bool:
        return bool(self.unreadable or self.listing_error)

    def summary(self) -> str:
        return (f"checked {self.checked}: {self.ok} ok, {len(self.missing)} missing, "
                f"{len(self.corrupt)} corrupt, {len(self.unreadable)} unreadable (storage error), "
                f"{len(self.missing_derivatives)} missing derivatives, "
                f"{len(self.unreferenced)} unreferenced objects"
                + (" (listing failed)" if self.listing_error else ""))


async def _rows(after_id: int) -> list[dict]:
    return await Photo.select(
        Photo.id, Photo.client_uuid, Photo.sha256, Photo.storage_key, Photo.display_key, Photo.thumb_key
    ).where(Photo.id > after_id).order_by(Photo.id).limit(BATCH).run()


async def verify(store: BlobStore, progress: Callable[[int], None] | None = None, *,
                 list_unreferenced: bool = True) -> VerifyReport:
    """Re-reads every original and checks its sha256 against the record. A
    missing object (the backend answered "no such key") is told apart from a
    backend that failed to answer."""
    report, last = VerifyReport(), 0
    while rows := await _rows(last):
        for row in rows:
            last = row["id"]
            report.checked += 1
            uid = str(row["client_uuid"])
            try:
                data = await store.get(row["storage_key"])
            except BlobNotFound:
                report.missing.append(uid)
                continue
            except StorageError as exc:
                report.unreadable.append((uid, str(exc)[:200]))
                continue
            if hashlib.sha256(data).hexdigest() != row["sha256"]:
                report.corrupt.append(uid)
                continue
            try:
                present = await store.exists(row["display_key"]) and await store.exists(row["thumb_key"])
            except StorageError as exc:
                report.unreadable.append((uid, str(exc)[:200]))
                continue
            if not present:
                report.missing_derivatives.append(uid)
                continue
            report.ok += 1
        if progress:
            progress(report.checked)
    if list_unreferenced:
        try:
            for prefix in PHOTO_PREFIXES:
                batch: list[str] = []
                async for key in store.iter_keys(prefix):
                    batch.append(key)
                    if len(batch) >= BATCH:
                        report.unreferenced += await unreferenced(batch)
                        batch = []
                report.unreferenced += await unreferenced(batch)
        except StorageError as exc:
            report.listing_error = str(exc)[:200]
    return report


async def unreferenced(keys: list[str]) -> list[str]:
    """The keys of `keys` that no photo row refers to. Keys are content-addressed,
    so only rows with the sha256 in the key can refer to them."""
    if not keys:
        return []
    shas = sorted({m[1] for k in keys if (m := _SHA_IN_KEY.match(k))})
    used: set[str] = set()
    if shas:
        for row in await Photo.select(Photo.id, Photo.sha256, Photo.storage_key, Photo.display_key,
                                      Photo.thumb_key).where(Photo.sha256.is_in(shas)).run():
            used.update((row["storage_key"], row["display_key"], row["thumb_key"], evidence_key(row)))
    return [k for k in keys if k not in used]


async def reprocess(store: BlobStore, *, max_pixels: int, max_bytes: int,
                    progress: Callable[[int], None] | None = None) -> tuple[int, list[tuple[str, str]]]:
    """Rebuilds display and thumbnail derivatives (and the perceptual hash) from
    the originals, and drops cached evidence prints so they are made again from
    the rebuilt images. An original that is missing or no longer matches its
    sha256 is reported, never used. Returns (rebuilt, [(client UUID, reason)])."""
    rebuilt, failed, last, seen = 0, [], 0, 0
    while rows := await _rows(last):
        for row in rows:
            last, seen = row["id"], seen + 1
            uid = str(row["client_uuid"])
            try:
                data = await store.get(row["storage_key"])
                if hashlib.sha256(data).hexdigest() != row["sha256"]:
                    failed.append((uid, "original altered (sha256 mismatch)"))
                    continue
                done = await anyio.to_thread.run_sync(
                    lambda d=data, sha=row["sha256"]: process(d, max_pixels=max_pixels, max_bytes=max_bytes,
                                                             sha256=sha))
                await store.put(row["display_key"], done.display, content_type="image/webp")
                await store.put(row["thumb_key"], done.thumb, content_type="image/webp")
                await store.delete(evidence_key(row))
            except BlobNotFound:
                failed.append((uid, "original missing"))
                continue
            except StorageError as exc:
                failed.append((uid, f"storage error: {exc}"[:200]))
                continue
            except RoundsError as exc:
                failed.append((uid, f"cannot decode: {exc.code}"))
                continue
            except Exception as exc:  # one bad photo must not stop the rest; it is reported
                failed.append((uid, f"error: {type(exc).__name__}: {exc}"[:200]))
                continue
            q = quarters(done.phash)
            await Photo.update({Photo.phash: done.phash, Photo.phash_q0: q[0], Photo.phash_q1: q[1],
                                Photo.phash_q2: q[2], Photo.phash_q3: q[3], Photo.width: done.width,
                                Photo.height: done.height}).where(Photo.id == row["id"]).run()
            rebuilt += 1
        if progress:
            progress(seen)
    return rebuilt, failed
