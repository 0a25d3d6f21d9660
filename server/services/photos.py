"""Ingest of a photo's bytes from a phone: checked, processed off the event loop,
stored (original unaltered + derivatives), then recorded. A storage failure
leaves no row, so the phone simply resends."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

import anyio

from server.db.tables import FindingEvent, Incident, Photo, Visit
from server.domain.errors import RoundsError
from server.domain.submission import parse_uuid
from server.lib.clock import now
from server.photos.hashing import NEAR_DUPLICATE_MAX, phash_distance
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.idempotency import create_once
from server.storage.base import BlobStore, StorageError, key_for

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
REUSE_LOOKBACK = timedelta(days=90)


def photo_result(row: dict) -> dict:
    return {
        "id": row["id"],
        "client_uuid": str(row["client_uuid"]),
        "sha256": row["sha256"],
        "size_bytes": row["size_bytes"],
        "format": row["format"],
        "width": row["width"],
        "height": row["height"],
        "visit_uuid": str(row["visit_uuid"]) if row["visit_uuid"] else None,
        "incident_uuid": str(row["incident_uuid"]) if row["incident_uuid"] else None,
        "fix_uuid": str(row["fix_uuid"]) if row.get("fix_uuid") else None,
        "item_id": row["item_id"],
        "received_at": row["received_at"].isoformat(),
        "flags": row["flags"],
    }


async def _stored(uid) -> dict | None:
    return await Photo.select().where(Photo.client_uuid == uid).output(load_json=True).first().run()


def _replay(row: dict, user: CurrentUser, sha: str) -> dict:
    if row["user"] != user.id or row["sha256"] != sha:
        raise RoundsError("idempotency_conflict", {"client_uuid": str(row["client_uuid"])})
    return photo_result(row)


def _parse_time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise RoundsError("invalid_time", {"field": "captured_at"}) from None
    if value.tzinfo is None:
        raise RoundsError("invalid_time", {"field": "captured_at", "reason": "no time zone offset"})
    return value


async def _reuse_flags(user: CurrentUser, sha: str, phash: int | None, visit_uuid) -> dict:
    """Flags an exact or near copy of a photo already submitted for another
    visit, so a supervisor sees "this photo was also used on ..."."""
    flags: dict = {}
    exact = await Photo.select(Photo.client_uuid, Photo.visit_uuid, Photo.received_at).where(
        Photo.sha256 == sha
    ).order_by(Photo.received_at).limit(5).run()
    exact = [p for p in exact if p["visit_uuid"] != visit_uuid]
    if exact:
        flags["reused_exact"] = [
            {"photo": str(p["client_uuid"]), "visit": str(p["visit_uuid"]) if p["visit_uuid"] else None,
             "received_at": p["received_at"].isoformat()}
            for p in exact
        ]
    if phash is not None:
        candidates = await Photo.select(
            Photo.client_uuid, Photo.visit_uuid, Photo.received_at, Photo.phash, Photo.sha256
        ).where(
            (Photo.user == user.id) & (Photo.received_at > now() - REUSE_LOOKBACK) & Photo.phash.is_not_null()
        ).order_by(Photo.received_at, ascending=False).limit(5000).run()
        near = [
            p for p in candidates
            if p["sha256"] != sha and p["visit_uuid"] != visit_uuid
            and phash_distance(p["phash"], phash) <= NEAR_DUPLICATE_MAX
        ]
        if near:
            flags["reused_near"] = [
                {"photo": str(p["client_uuid"]), "visit": str(p["visit_uuid"]) if p["visit_uuid"] else None,
                 "received_at": p["received_at"].isoformat(),
                 "distance": phash_distance(p["phash"], phash)}
                for p in near[:5]
            ]
    return flags


async def ingest_photo(
    user: CurrentUser,
    client_uuid: str,
    data: bytes,
    *,
    declared_sha256: str | None,
    store: BlobStore,
    max_bytes: int,
    max_pixels: int,
    visit: str | None = None,
    incident: str | None = None,
    fix: str | None = None,
    item_id: str | None = None,
    captured_at: str | None = None,
    content_type: str = "",
) -> tuple[bool, dict]:
    uid = parse_uuid(client_uuid, "client_uuid")
    if not declared_sha256:
        raise RoundsError("missing_header", {"header": "X-Content-SHA256"})
    declared = declared_sha256.strip().lower()
    if not _HEX64.match(declared):
        raise RoundsError("malformed_body", {"header": "X-Content-SHA256", "reason": "64 hex digits"})
    stored = await _stored(uid)
    if stored is not None:
        return False, _replay(stored, user, declared)

    if len(data) > max_bytes:
        raise RoundsError("photo_too_large", {"max_bytes": max_bytes})
    if not data:
        raise RoundsError("photo_empty")
    sha = hashlib.sha256(data).hexdigest()
    if sha != declared:
        raise RoundsError("photo_checksum_mismatch", {"received": sha})
    visit_uuid = parse_uuid(visit, "visit") if visit else None
    incident_uuid = parse_uuid(incident, "incident") if incident else None
    fix_uuid = parse_uuid(fix, "fix") if fix else None
    if item_id is not None and (len(item_id) > 32 or not re.fullmatch(r"[A-Za-z0-9_-]*", item_id)):
        raise RoundsError("malformed_body", {"field": "item"})
    shot_at = _parse_time(captured_at)
    # A photo may arrive before its visit; if the visit is already here it must be the sender's.
    if visit_uuid:
        owner = await Visit.select(Visit.user).where(Visit.client_uuid == visit_uuid).first().run()
        if owner is not None and owner["user"] != user.id:
            raise RoundsError("forbidden", {"reason": "visit belongs to someone else"})
    if incident_uuid:
        owner = await Incident.select(Incident.user).where(Incident.client_uuid == incident_uuid).first().run()
        if owner is not None and owner["user"] != user.id:
            raise RoundsError("forbidden", {"reason": "incident belongs to someone else"})
    if fix_uuid:  # an after-photo of a finding's fix (it may arrive before the fix)
        owner = await FindingEvent.select(FindingEvent.actor).where(FindingEvent.client_uuid == fix_uuid).first().run()
        if owner is not None and owner["actor"] != user.id:
            raise RoundsError("forbidden", {"reason": "fix belongs to someone else"})

    from server.photos.pipeline import process

    # Pillow is CPU-bound: keep it off the event loop.
    processed = await anyio.to_thread.run_sync(lambda: process(data, max_pixels=max_pixels))

    original_key = key_for("originals", sha)
    display_key = key_for("display", sha, ".webp")
    thumb_key = key_for("thumbs", sha, ".webp")
    try:
        # Content-addressed keys: a resend or a reused photo rewrites the same objects.
        await store.put(original_key, data, content_type=content_type or f"image/{processed.format}")
        await store.put(display_key, processed.display, content_type="image/webp")
        await store.put(thumb_key, processed.thumb, content_type="image/webp")
    except StorageError as exc:
        raise RoundsError("storage_unavailable", {"reason": str(exc)[:200]}) from exc

    flags = await _reuse_flags(user, sha, processed.phash, visit_uuid)
    received = now()
    async def write() -> None:
        photo_id = (
            await Photo.insert(
                Photo(
                    client_uuid=uid,
                    user=user.id,
                    visit_uuid=visit_uuid,
                    incident_uuid=incident_uuid,
                    fix_uuid=fix_uuid,
                    item_id=item_id or "",
                    sha256=sha,
                    size_bytes=len(data),
                    content_type=content_type[:64],
                    format=processed.format,
                    width=processed.width,
                    height=processed.height,
                    storage_key=original_key,
                    display_key=display_key,
                    thumb_key=thumb_key,
                    phash=processed.phash,
                    captured_at=shot_at,
                    exif_captured_at=processed.exif_captured_at,
                    received_at=received,
                    flags=flags,
                )
            ).run()
        )[0]["id"]
        await audit.record(
            "photo.create", actor_id=user.id, object_type="photo", object_id=photo_id,
            detail={"client_uuid": str(uid), "sha256": sha, "flags": sorted(flags)},
        )

    return await create_once(write, load=lambda: _stored(uid), replay=lambda row: _replay(row, user, sha),
                             shape=photo_result)
