"""No orphans, and no lost evidence: when an upload fails after its original
was written, the objects of that attempt are removed — unless a recorded photo
shares them (keys are content-addressed). On local storage and on S3."""

import asyncio
import hashlib
import uuid

import anyio

from server.db.tables import Photo
from server.services import audit
from server.services import photos as photo_service
from server.services.photo_ops import verify
from tests.api.conftest import concurrent_api
from tests.api.storage_faults import all_keys, display_writes_fail
from tests.photos.conftest import encode, synthetic_photo


async def _keys_of(uid: str) -> list[str]:
    row = await Photo.select().where(Photo.client_uuid == uuid.UUID(uid)).first().run()
    return [row["storage_key"], row["display_key"], row["thumb_key"]]


async def test_a_failed_copy_of_a_recorded_photo_leaves_the_shared_objects(backend_api):
    api = backend_api
    store = api.client.app.state.store
    await api.login("guard")
    data = encode(synthetic_photo(61), "JPEG")
    first = str(uuid.uuid4())
    assert (await api.put_photo(first, data, visit=str(uuid.uuid4()))).status_code == 201
    kept = await _keys_of(first)

    await api.login("cleaner")
    copy = str(uuid.uuid4())
    with display_writes_fail(store):
        failed = await api.put_photo(copy, data, visit=str(uuid.uuid4()))
    assert failed.status_code == 503
    assert sorted(await all_keys(store)) == sorted(kept)  # the shared original was not deleted
    assert (await verify(store)).ok == 1

    retried = await api.put_photo(copy, data, visit=str(uuid.uuid4()))
    assert retried.status_code == 201
    stored = await Photo.select(Photo.flags).where(Photo.client_uuid == uuid.UUID(copy)).output(
        load_json=True).first().run()
    assert [f["photo"] for f in stored["flags"]["reused_exact"]] == [first]


async def test_a_refused_insert_removes_what_the_attempt_wrote(settings, monkeypatch):
    """Two sends of one photo UUID with different bytes race; the database's
    unique index refuses the second insert. Its objects (another sha256, used
    by no row) must not stay behind."""
    arrived, both_here = 0, anyio.Event()
    real_flags = photo_service._reuse_flags

    async def rendezvous(*args):  # both attempts have written their objects by now
        nonlocal arrived
        arrived += 1
        if arrived == 2:
            both_here.set()
        await both_here.wait()
        return await real_flags(*args)

    monkeypatch.setattr(photo_service, "_reuse_flags", rendezvous)
    async with concurrent_api(settings) as api:
        store = api.client.app.state.store
        await api.login("guard")
        uid = str(uuid.uuid4())
        a, b = encode(synthetic_photo(71), "JPEG"), encode(synthetic_photo(72), "JPEG")
        with anyio.fail_after(60):
            ra, rb = await asyncio.gather(api.put_photo(uid, a), api.put_photo(uid, b))
        assert arrived == 2  # both got past the resend check: the database settled it
        assert sorted([ra.status_code, rb.status_code]) == [201, 422]
        loser = rb if ra.status_code == 201 else ra
        assert loser.json()["code"] == "idempotency_conflict"
        assert await Photo.count().run() == 1
        assert sorted(await all_keys(store)) == sorted(await _keys_of(uid))


async def test_objects_removed_just_before_the_commit_are_put_back(backend_api, monkeypatch):
    """A concurrent failed attempt with the same bytes may delete the shared
    objects between our writes and our commit; the committed photo must still
    have them. The deletion is made to happen at the worst moment: inside our
    transaction, before it commits."""
    api = backend_api
    store = api.client.app.state.store
    data = encode(synthetic_photo(81), "JPEG")
    sha = hashlib.sha256(data).hexdigest()
    real_record = audit.record

    async def record_after_a_rival_cleanup(action, **kwargs):
        if action == "photo.create":
            for key in [k async for k in store.iter_keys("") if sha in k]:
                await store.delete(key)
        return await real_record(action, **kwargs)

    monkeypatch.setattr(audit, "record", record_after_a_rival_cleanup)
    await api.login("guard")
    uid = str(uuid.uuid4())
    response = await api.put_photo(uid, data, visit=str(uuid.uuid4()))
    assert response.status_code == 201
    for key in await _keys_of(uid):
        assert await store.exists(key), key
    assert await store.get((await _keys_of(uid))[0]) == data
