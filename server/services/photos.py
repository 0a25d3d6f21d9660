"""Ingest of a photo's bytes from a phone: checked, processed off the event loop,
stored (original unaltered + derivatives), then recorded. A failure at any step
leaves no row and no object of its own behind, so the phone simply resends."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from datetime import datetime, timedelta

import anyio

from server.db.tables import FindingEvent, Incident, Photo, Visit
from server.domain.errors import RoundsError
from server.domain.submission import parse_uuid
from server.lib.clock import now
from server.photos.hashing import NEAR_DUPLICATE_MAX, phash_distance, quarter_neighbours, quarters
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.idempotency import create_once, replay_or_refuse
from server.services.photo_views import flags_for
from server.storage.base import BlobStore, StorageError, key_for

log = logging.getLogger("rounds.photos")

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# Near copies are looked for among photos received this recently (exact
# copies: no time limit, sha256 is indexed). At most REUSE_LISTED of each are
# kept on the flag, closest (then newest) first.
REUSE_LOOKBACK = timedelta(days=90)
REUSE_LISTED = 5


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
    return replay_or_refuse(row, photo_result, sender="user", user_id=user.id, key="sha256", value=sha)


async def _as_seen_by(user: CurrentUser, reply: dict) -> dict:
    """The reply's reuse flags name only photos the sender may see (the stored
    flags keep every id, for the supervisors who may)."""
    return {**reply, "flags": (await flags_for(user, [reply["flags"]]))[0]}


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


def _elsewhere(uid, visit_uuid, incident_uuid):
    """Photos that document something else than the new photo does.

    What counts as "used for another visit or another day": a photo documents
    one record, its visit, else its incident, else only itself (a loose
    photo). A copy found on any other record is a reuse, whoever sent it and
    however many days apart; a copy inside the same visit or incident is not
    (one shot attached to two items, or a visit's photos trickling in over
    several days from an offline phone). So incident photos and loose photos,
    which have no visit to compare, are flagged whenever their copy belongs
    to anything else. NULL never equals anything in SQL, hence the explicit
    IS NULL arms."""
    where = Photo.client_uuid != uid
    if visit_uuid is not None:
        return where & (Photo.visit_uuid.is_null() | (Photo.visit_uuid != visit_uuid))
    if incident_uuid is not None:
        return where & (Photo.incident_uuid.is_null() | (Photo.incident_uuid != incident_uuid))
    return where


def _ref(p: dict, **extra) -> dict:
    return {"photo": str(p["client_uuid"]), "visit": str(p["visit_uuid"]) if p["visit_uuid"] else None,
            "incident": str(p["incident_uuid"]) if p["incident_uuid"] else None,
            "received_at": p["received_at"].isoformat(), **extra}


# Near copies by multi-index hashing (photos/hashing.py): the rows sharing a
# quarter-neighbourhood with the new hash come from the four quarter indexes;
# the exact distance, the "another record" filter and the limit are applied
# to those few. Integer literals only are inlined (computed here, never taken
# from the request); the rest are parameters.
_NEAR_SQL = """
SELECT p.id, p.phash, p.received_at FROM photo p
WHERE p.id IN (/*quarters*/)
  AND p.received_at > {} AND p.phash IS NOT NULL AND p.sha256 <> {} AND p.client_uuid <> {} /*elsewhere*/
"""


async def _near_copies(uid, sha: str, phash: int, visit_uuid, incident_uuid) -> list[dict]:
    """[{id, distance}] of the closest photos of other records, within the
    lookback and NEAR_DUPLICATE_MAX bits, closest then newest first; every
    filter is applied before the limit."""
    lookups = " UNION ALL ".join(
        f"SELECT id FROM photo WHERE phash_q{k} IN ({','.join(map(str, quarter_neighbours(q)))})"
        for k, q in enumerate(quarters(phash)))
    clause, extra = "", []
    if visit_uuid is not None:
        clause, extra = "AND (p.visit_uuid IS NULL OR p.visit_uuid <> {})", [visit_uuid]
    elif incident_uuid is not None:
        clause, extra = "AND (p.incident_uuid IS NULL OR p.incident_uuid <> {})", [incident_uuid]
    sql = _NEAR_SQL.replace("/*quarters*/", lookups).replace("/*elsewhere*/", clause)
    rows = await Photo.raw(sql, now() - REUSE_LOOKBACK, sha, uid, *extra).run()
    close = [(d, r) for r in rows if (d := phash_distance(r["phash"], phash)) <= NEAR_DUPLICATE_MAX]
    close.sort(key=lambda c: (c[0], -c[1]["received_at"].timestamp(), c[1]["id"]))
    return [{"id": r["id"], "distance": d} for d, r in close[:REUSE_LISTED]]


async def _reuse_flags(uid, sha: str, phash: int | None, visit_uuid, incident_uuid) -> dict:
    """Flags an exact or near copy of a photo already submitted, by anyone, for
    another record (see `_elsewhere`), so a supervisor sees "this photo was
    also used on ...". Filters run in SQL, before the limits."""
    flags: dict = {}
    cols = (Photo.client_uuid, Photo.visit_uuid, Photo.incident_uuid, Photo.received_at)
    exact = await Photo.select(*cols).where(
        (Photo.sha256 == sha) & _elsewhere(uid, visit_uuid, incident_uuid)
    ).order_by(Photo.received_at).limit(REUSE_LISTED).run()
    if exact:
        flags["reused_exact"] = [_ref(p) for p in exact]
    if phash is not None:
        near = await _near_copies(uid, sha, phash, visit_uuid, incident_uuid)
        if near:
            rows = {r["id"]: r for r in await Photo.select(Photo.id, *cols).where(
                Photo.id.is_in([n["id"] for n in near])).run()}
            flags["reused_near"] = [_ref(rows[n["id"]], distance=int(n["distance"])) for n in near
                                    if n["id"] in rows]
    return flags


def _first_failure(group: BaseExceptionGroup) -> BaseException:
    """The failure to report from a group: a storage failure if there is one."""
    leaves = []

    def walk(exc: BaseException) -> None:
        if isinstance(exc, BaseExceptionGroup):
            for inner in exc.exceptions:
                walk(inner)
        else:
            leaves.append(exc)

    walk(group)
    return next((e for e in leaves if isinstance(e, StorageError)), leaves[0])


def _quarter_columns(phash: int | None) -> dict:
    q = quarters(phash) if phash is not None else (None,) * 4
    return {f"phash_q{k}": q[k] for k in range(4)}


def _check_and_process(data: bytes, declared: str, max_pixels: int, max_bytes: int):
    """The CPU part, run in a worker thread: hash, compare, then the pipeline."""
    from server.photos.pipeline import process

    sha = hashlib.sha256(data).hexdigest()
    if sha != declared:
        raise RoundsError("photo_checksum_mismatch", {"received": sha})
    return process(data, max_pixels=max_pixels, max_bytes=max_bytes, sha256=sha)


async def _sha_referenced(sha: str) -> bool:
    return await Photo.exists().where(Photo.sha256 == sha).run()


async def _discard(store: BlobStore, sha: str, objects: dict[str, tuple[bytes, str]]) -> None:
    """Remove what a failed attempt wrote, unless a recorded photo shares the
    (content-addressed) keys. A concurrent upload of the same bytes may commit
    between our check and our delete: re-check afterwards and put the objects
    back, so its row never points at nothing. (That upload also re-checks
    after its commit, see `_ensure_present`.) A failure here leaves an orphan,
    which `rounds photos verify` lists; never a dangling row."""
    try:
        if await _sha_referenced(sha):
            return
        for key in objects:
            await store.delete(key)
        if await _sha_referenced(sha):
            await _ensure_present(store, objects)
    except Exception:  # the attempt already failed; report that, not this
        log.warning("could not clean up after a failed photo upload %s", sha, exc_info=True)


async def _ensure_present(store: BlobStore, objects: dict[str, tuple[bytes, str]]) -> None:
    for key, (body, content_type) in objects.items():
        if not await store.exists(key):
            await store.put(key, body, content_type=content_type)


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
    limiter: anyio.CapacityLimiter | None = None,
    content_type: str = "",
) -> tuple[bool, dict]:
    """`limiter` caps how many photos are decoded at once (each holds a decoded
    image in memory); without one, anyio's default thread limiter applies.
    `content_type`, the client's declared type, is accepted from callers and
    ignored: the type stored is the one sniffed from the bytes."""
    del content_type
    uid = parse_uuid(client_uuid, "client_uuid")
    if not declared_sha256:
        raise RoundsError("missing_header", {"header": "X-Content-SHA256"})
    declared = declared_sha256.strip().lower()
    if not _HEX64.match(declared):
        raise RoundsError("malformed_body", {"header": "X-Content-SHA256", "reason": "64 hex digits"})
    stored = await _stored(uid)
    if stored is not None:
        return False, await _as_seen_by(user, _replay(stored, user, declared))

    if len(data) > max_bytes:
        raise RoundsError("photo_too_large", {"max_bytes": max_bytes})
    if not data:
        raise RoundsError("photo_empty")
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

    # sha256 and Pillow are CPU-bound: keep both off the event loop.
    processed = await anyio.to_thread.run_sync(
        _check_and_process, data, declared, max_pixels, max_bytes, limiter=limiter)
    sha = processed.sha256

    # Content-addressed keys: a resend or a reused photo rewrites the same objects.
    objects = {
        key_for("originals", sha): (data, processed.content_type),  # sniffed, not the client's word
        key_for("display", sha, ".webp"): (processed.display, "image/webp"),
        key_for("thumbs", sha, ".webp"): (processed.thumb, "image/webp"),
    }
    original_key, display_key, thumb_key = objects
    attempted: dict[str, tuple[bytes, str]] = {}
    found: dict[str, dict] = {}
    try:
        # The three writes and the reuse lookup overlap (their fsyncs and round
        # trips are the wait); the task group returns only when all are done,
        # so a failure is cleaned up after the last write, never before it.
        async def flags_of() -> None:
            found["flags"] = await _reuse_flags(uid, sha, processed.phash, visit_uuid, incident_uuid)

        try:
            async with anyio.create_task_group() as tg:
                for key, (body, content_type) in objects.items():
                    attempted[key] = (body, content_type)  # before the put: a put that raised may have landed
                    tg.start_soon(functools.partial(store.put, key, body, content_type=content_type))
                tg.start_soon(flags_of)
        except BaseExceptionGroup as group:
            raise _first_failure(group) from None
        flags = found["flags"]
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
                        content_type=processed.content_type,
                        format=processed.format,
                        width=processed.width,
                        height=processed.height,
                        storage_key=original_key,
                        display_key=display_key,
                        thumb_key=thumb_key,
                        phash=processed.phash,
                        **_quarter_columns(processed.phash),
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

        result = await create_once(write, load=lambda: _stored(uid),
                                   replay=lambda row: _replay(row, user, sha), shape=photo_result)
    except BaseException as exc:
        # Shielded: a client that hangs up (cancellation) must not leave orphans either.
        with anyio.CancelScope(shield=True):
            await _discard(store, sha, attempted)
        if isinstance(exc, StorageError):
            raise RoundsError("storage_unavailable", {"reason": str(exc)[:200]}) from exc
        raise
    # A concurrent failed upload of the same bytes may have removed the shared
    # objects just before our commit (see `_discard`); the row is committed, so
    # put them back rather than answer with an error.
    try:
        await _ensure_present(store, objects)
    except StorageError:
        log.warning("photo %s recorded but its objects could not be re-checked", uid, exc_info=True)
    created, reply = result
    return created, await _as_seen_by(user, reply)
