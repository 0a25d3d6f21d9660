"""A storage failure during upload leaves no row pointing at a missing object,
and the phone's plain resend then succeeds, once."""

import uuid

from server.db.tables import Photo
from server.storage.base import StorageError
from tests.photos.conftest import encode, synthetic_photo


async def test_failure_then_resend_stores_exactly_one(api, monkeypatch):
    store = api.client.app.state.store
    real_put = store.put
    calls = {"n": 0}

    async def flaky_put(key, data, *, content_type):
        calls["n"] += 1
        if calls["n"] == 2:  # the original is written, then the derivative write fails
            raise StorageError("disk unavailable")
        return await real_put(key, data, content_type=content_type)

    monkeypatch.setattr(store, "put", flaky_put)
    await api.login("guard")
    uid, data = str(uuid.uuid4()), encode(synthetic_photo(5), "JPEG")
    failed = await api.put_photo(uid, data, visit=str(uuid.uuid4()))
    assert failed.status_code == 503 and failed.json()["code"] == "storage_unavailable"
    assert await Photo.count().run() == 0

    again = await api.put_photo(uid, data, visit=str(uuid.uuid4()))
    assert again.status_code == 201
    resend = await api.put_photo(uid, data)
    assert resend.status_code == 200
    assert await Photo.count().run() == 1
    row = await Photo.select().first().run()
    for key in (row["storage_key"], row["display_key"], row["thumb_key"]):
        assert await store.exists(key)
