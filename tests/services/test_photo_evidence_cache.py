"""Evidence prints are cached beside the original, and the cache never
outlives what it shows: `reprocess` drops it, and a print made before the
photo's visit arrived (no place in its caption) is not kept."""

import hashlib
import uuid

import pytest

from server.db.tables import Photo
from server.services.accounts import load_user
from server.services.photo_ops import reprocess
from server.services.photo_views import evidence_image, evidence_key
from server.services.photos import ingest_photo
from server.services.visits import ingest_visit
from server.storage import LocalStore
from tests.factories import build_world, visit_body
from tests.photos.conftest import encode, synthetic_photo
from tests.supervision_support import SECRET

LIMITS = {"max_pixels": 50_000_000, "max_bytes": 10_000_000}


@pytest.fixture
async def setup(engine, tmp_path):
    world = await build_world()
    return world, await load_user(world.users["guard"]), LocalStore(tmp_path / "blobs", b"k" * 32)


async def _photo(user, store, visit: str) -> dict:
    data = encode(synthetic_photo(17), "JPEG")
    uid = str(uuid.uuid4())
    await ingest_photo(user, uid, data, declared_sha256=hashlib.sha256(data).hexdigest(), store=store,
                       visit=visit, item_id="floor", **LIMITS)
    return await Photo.select().where(Photo.client_uuid == uuid.UUID(uid)).first().run()


async def _send_visit(world, user, vid: str, pid) -> None:
    await ingest_visit(user, vid, visit_body(world, answers=[
        {"item": "floor", "value": "fail", "note": "x", "photos": [str(pid)]},
        {"item": "smell", "value": True}]), secret=SECRET)


async def test_reprocess_drops_the_cached_print(setup):
    world, guard, store = setup
    vid = str(uuid.uuid4())
    row = await _photo(guard, store, vid)
    await _send_visit(world, guard, vid, row["client_uuid"])
    first = await evidence_image(guard, str(row["client_uuid"]), store, **LIMITS)
    assert await store.get(evidence_key(row)) == first

    await store.put(evidence_key(row), b"a stale print", content_type="image/jpeg")
    assert await evidence_image(guard, str(row["client_uuid"]), store, **LIMITS) == b"a stale print"
    assert await reprocess(store, **LIMITS) == (1, [])
    assert not await store.exists(evidence_key(row))
    again = await evidence_image(guard, str(row["client_uuid"]), store, **LIMITS)
    assert again[:3] == b"\xff\xd8\xff" and await store.get(evidence_key(row)) == again


async def test_a_print_made_before_the_visit_arrived_is_not_kept(setup):
    world, guard, store = setup
    vid = str(uuid.uuid4())
    row = await _photo(guard, store, vid)
    early = await evidence_image(guard, str(row["client_uuid"]), store, **LIMITS)
    assert early[:3] == b"\xff\xd8\xff"
    assert not await store.exists(evidence_key(row))

    await _send_visit(world, guard, vid, row["client_uuid"])
    late = await evidence_image(guard, str(row["client_uuid"]), store, **LIMITS)
    assert late != early  # the caption now names the place and kind
    assert await store.get(evidence_key(row)) == late
