"""A storage failure during upload leaves no row and no object behind, and the
phone's plain resend then succeeds, once — on local storage and on S3."""

import uuid

from server.db.tables import Photo
from server.services.photo_ops import verify
from tests.api.storage_faults import all_keys, display_writes_fail
from tests.photos.conftest import encode, synthetic_photo


async def test_failure_then_resend_stores_exactly_one(backend_api):
    api = backend_api
    store = api.client.app.state.store
    await api.login("guard")
    uid, data, visit = str(uuid.uuid4()), encode(synthetic_photo(5), "JPEG"), str(uuid.uuid4())
    with display_writes_fail(store):
        failed = await api.put_photo(uid, data, visit=visit)
    assert failed.status_code == 503 and failed.json()["code"] == "storage_unavailable"
    assert await Photo.count().run() == 0
    assert await all_keys(store) == []  # the original written before the failure is gone too

    again = await api.put_photo(uid, data, visit=visit)
    assert again.status_code == 201, again.text
    resend = await api.put_photo(uid, data, visit=visit)
    assert resend.status_code == 200 and resend.json() == again.json()
    assert await Photo.count().run() == 1
    row = await Photo.select().first().run()
    assert sorted(await all_keys(store)) == sorted([row["storage_key"], row["display_key"], row["thumb_key"]])
    report = await verify(store)
    assert (report.checked, report.ok, report.unreferenced) == (1, 1, [])
