"""`verify` lists stored objects no photo refers to (orphans) under the photo
prefixes, leaves other features' prefixes alone, and tells a missing object
apart from a storage backend that fails to answer. Local and S3 (moto)."""

import hashlib
import os
import uuid

import pytest

from server.db.tables import Photo
from server.services.accounts import load_user
from server.services.photo_ops import verify
from server.services.photo_views import evidence_key
from server.services.photos import ingest_photo
from server.storage import LocalStore, S3Store, key_for
from tests.factories import build_world
from tests.photos.conftest import encode, synthetic_photo
from tests.storage.conftest import DUMMY


@pytest.fixture
async def guard(engine):
    return await load_user((await build_world()).users["guard"])


async def _ingest(store, user, seed: int) -> dict:
    data = encode(synthetic_photo(seed), "JPEG")
    uid = str(uuid.uuid4())
    await ingest_photo(user, uid, data, declared_sha256=hashlib.sha256(data).hexdigest(), store=store,
                       max_bytes=10_000_000, max_pixels=50_000_000, visit=str(uuid.uuid4()))
    return await Photo.select().where(Photo.client_uuid == uuid.UUID(uid)).first().run()


async def test_orphans_are_listed_referenced_and_foreign_objects_are_not(guard, store):
    first, second = await _ingest(store, guard, 1), await _ingest(store, guard, 2)
    await store.put(evidence_key(first), b"a cached print", content_type="image/jpeg")
    orphan_sha = hashlib.sha256(os.urandom(16)).hexdigest()
    orphans = sorted([
        key_for("originals", orphan_sha),                         # left by a crash mid-upload
        key_for("display", orphan_sha, "webp"),
        evidence_key({"sha256": second["sha256"], "id": 999999}),  # a print of a photo id that does not exist
        f"thumbs/{second['sha256'][:2]}/not-a-photo-key.webp",
    ])
    for key in orphans:
        await store.put(key, b"x", content_type="application/octet-stream")
    await store.put("references/ab/item-photo.webp", b"another feature's", content_type="image/webp")

    report = await verify(store)
    assert (report.checked, report.ok) == (2, 2)
    assert sorted(report.unreferenced) == orphans
    assert report.listing_error is None and not report.backend_failed
    assert (await verify(store, list_unreferenced=False)).unreferenced == []


async def test_a_failing_backend_is_not_reported_as_missing_photos(guard, store, tmp_path):
    await _ingest(store, guard, 1)
    await _ingest(store, guard, 2)
    # The same records read through a store that is not there: a moved or
    # unmounted folder, a bucket that does not exist.
    if isinstance(store, LocalStore):
        store.root.rename(tmp_path / "moved-away")
        broken = store
    else:
        assert isinstance(store, S3Store)
        broken = S3Store("rounds-no-such-bucket", endpoint_url=store._client.meta.endpoint_url, **DUMMY)
    report = await verify(broken)
    assert report.checked == 2 and report.missing == [] and report.corrupt == []
    assert len(report.unreadable) == 2 and report.backend_failed
    if isinstance(store, S3Store):
        assert report.listing_error and "NoSuchBucket" in report.listing_error
        await broken.close()
