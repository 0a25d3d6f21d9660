import hashlib
import io
import uuid

from PIL import Image

from server.db.tables import Photo


def jpeg(color=(200, 30, 30), size=(640, 480)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=85)
    return buf.getvalue()


async def test_photo_is_stored_once_and_resend_is_answered_from_the_record(api, settings):
    await api.login("guard")
    uid, data = str(uuid.uuid4()), jpeg()
    visit = str(uuid.uuid4())
    first = await api.put_photo(uid, data, visit=visit, item="floor", captured_at="2026-11-22T09:00:00+08:00")
    assert first.status_code == 201, first.text
    photo = first.json()["photo"]
    assert photo["sha256"] == hashlib.sha256(data).hexdigest()
    assert photo["size_bytes"] == len(data) and photo["visit_uuid"] == visit
    again = await api.put_photo(uid, data, visit=visit, item="floor", captured_at="2026-11-22T09:00:00+08:00")
    assert again.status_code == 200 and again.json() == first.json()
    assert await Photo.count().run() == 1
    row = await Photo.select().first().run()
    stored = await api.client.app.state.store.get(row["storage_key"])
    assert stored == data  # the original bytes, unaltered


async def test_same_uuid_other_bytes_conflicts(api):
    await api.login("guard")
    uid = str(uuid.uuid4())
    assert (await api.put_photo(uid, jpeg())).status_code == 201
    response = await api.put_photo(uid, jpeg(color=(0, 0, 255)))
    assert response.status_code == 422 and response.json()["code"] == "idempotency_conflict"
    assert await Photo.count().run() == 1
