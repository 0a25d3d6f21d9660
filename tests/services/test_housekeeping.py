"""Housekeeping purges dead session rows and login attempts past the throttle
window, keeps live ones, and deletes orphaned photo objects only with
`apply` and only past the grace period; a dry run deletes nothing. Both
engines; orphans on local and S3 (moto) storage."""

import hashlib
import time
import uuid
from datetime import timedelta

from server.db.tables import LoginAttempt, Photo, SessionRecord
from server.lib.clock import now
from server.services.accounts import load_user
from server.services.housekeeping import orphan_blobs, purge_login_attempts
from server.services.photos import ingest_photo
from server.services.sessions import TOMBSTONE_SECONDS, purge_sessions
from server.storage import key_for
from tests.factories import build_world
from tests.photos.conftest import encode, synthetic_photo

DAY = 86400


async def _session(key: str, expires_at: int | None, revoked: bool = False) -> None:
    await SessionRecord.insert(SessionRecord(key=key, data=b"" if revoked else b'{"uid": 1}',
                                             expires_at=expires_at, revoked=revoked)).run()


async def _keys() -> dict[str, int | None]:
    return {r["key"]: r["expires_at"] for r in await SessionRecord.select().run()}


async def test_sessions_expired_and_revoked_are_purged_live_ones_kept(engine):
    ts = int(time.time())
    await _session("live", ts + 2 * DAY)
    await _session("expired", ts - 1)
    await _session("revoked-expired", ts - 1, revoked=True)
    await _session("revoked-no-expiry", None, revoked=True)
    await _session("revoked-recent", ts + 14 * DAY, revoked=True)

    first = await purge_sessions(now=ts)
    assert (first.expired, first.revoked, first.tombstones_shortened) == (1, 2, 1)
    # The recent tombstone stays a while (a request of it may be in flight), but not 14 days.
    assert await _keys() == {"live": ts + 2 * DAY, "revoked-recent": ts + TOMBSTONE_SECONDS}

    later = await purge_sessions(now=ts + TOMBSTONE_SECONDS + 1)
    assert (later.expired, later.revoked) == (0, 1)
    assert await _keys() == {"live": ts + 2 * DAY}


async def test_login_attempts_past_the_window_are_purged(engine):
    t = now()
    for minutes, name in ((120, "old"), (16, "just-past"), (14, "recent"), (0, "now")):
        await LoginAttempt.insert(LoginAttempt(username=name, ip="10.0.0.1", ok=False,
                                               at=t - timedelta(minutes=minutes))).run()
    assert await purge_login_attempts(900, now=t) == 2
    left = sorted(r["username"] for r in await LoginAttempt.select(LoginAttempt.username).run())
    assert left == ["now", "recent"]


async def test_orphans_dry_run_grace_and_apply(engine, store):
    guard = await load_user((await build_world()).users["guard"])
    data = encode(synthetic_photo(3), "JPEG")
    await ingest_photo(guard, str(uuid.uuid4()), data, declared_sha256=hashlib.sha256(data).hexdigest(),
                       store=store, max_bytes=10_000_000, max_pixels=50_000_000, visit=str(uuid.uuid4()))
    photo = await Photo.select().first().run()
    referenced = [photo["storage_key"], photo["display_key"], photo["thumb_key"]]
    orphan_sha = hashlib.sha256(b"left by a crash").hexdigest()
    orphans = sorted([key_for("originals", orphan_sha), key_for("display", orphan_sha, "webp")])
    for key in orphans:
        await store.put(key, b"x", content_type="application/octet-stream")
    await store.put("reference/ab/item.webp", b"another feature's", content_type="image/webp")
    t = time.time()

    young = await orphan_blobs(store, grace_days=2, apply=True, now=t + 1 * DAY)
    assert (young.old, young.young, young.deleted) == ([], 2, 0)

    dry = await orphan_blobs(store, grace_days=2, now=t + 3 * DAY)
    assert (sorted(dry.old), dry.young, dry.deleted) == (orphans, 0, 0)
    assert all([await store.exists(k) for k in orphans])

    applied = await orphan_blobs(store, grace_days=2, apply=True, now=t + 3 * DAY)
    assert applied.deleted == 2 and not applied.errors
    assert not any([await store.exists(k) for k in orphans])
    assert all([await store.exists(k) for k in referenced]) and await store.exists("reference/ab/item.webp")
