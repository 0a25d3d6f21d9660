"""`rounds photos verify` finds missing and altered originals; `reprocess`
rebuilds derivatives from the originals."""

import uuid

import pytest

from server.db.tables import Photo
from server.services.accounts import load_user
from server.services.photo_ops import reprocess, verify
from server.services.photos import ingest_photo
from server.storage.local import LocalStore
from tests.factories import build_world
from tests.photos.conftest import encode, synthetic_photo


@pytest.fixture
async def stored(engine, tmp_path):
    world = await build_world()
    user = await load_user(world.users["guard"])
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    uids = []
    for seed in (1, 2, 3):
        uid = str(uuid.uuid4())
        import hashlib

        data = encode(synthetic_photo(seed), "JPEG")
        await ingest_photo(user, uid, data, declared_sha256=hashlib.sha256(data).hexdigest(), store=store,
                           max_bytes=10_000_000, max_pixels=50_000_000)
        uids.append(uid)
    return store, uids


async def _row(uid):
    return await Photo.select().where(Photo.client_uuid == uuid.UUID(uid)).first().run()


async def test_verify_reports_missing_and_corrupt_originals(stored):
    store, uids = stored
    report = await verify(store)
    assert (report.checked, report.ok) == (3, 3)

    corrupt, missing = await _row(uids[0]), await _row(uids[1])
    store.path_for(corrupt["storage_key"]).write_bytes(b"tampered")
    await store.delete(missing["storage_key"])
    report = await verify(store)
    assert report.corrupt == [uids[0]] and report.missing == [uids[1]] and report.ok == 1


async def test_reprocess_rebuilds_lost_derivatives(stored):
    store, uids = stored
    row = await _row(uids[2])
    await store.delete(row["thumb_key"])
    assert (await verify(store)).missing_derivatives == [uids[2]]
    rebuilt, failed = await reprocess(store, max_pixels=50_000_000, max_bytes=10_000_000)
    assert (rebuilt, failed) == (3, [])
    assert (await verify(store)).ok == 3
