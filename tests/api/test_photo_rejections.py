import uuid

import pytest

from server.db.tables import Photo
from tests.api.test_photo_upload import jpeg


async def _nothing_stored(api):
    assert await Photo.count().run() == 0
    keys = [k async for k in api.client.app.state.store.iter_keys("")]
    assert keys == []


async def test_checksum_mismatch(api):
    await api.login("guard")
    response = await api.put_photo(str(uuid.uuid4()), jpeg(), sha="0" * 64)
    assert response.status_code == 422
    assert response.json()["code"] == "photo_checksum_mismatch"
    await _nothing_stored(api)


async def test_photo_too_large_by_content_length(api, settings):
    await api.login("guard")
    big = b"\xff\xd8\xff" + b"0" * (settings.max_photo_bytes + 10)
    response = await api.put_photo(str(uuid.uuid4()), big)
    assert response.status_code == 413
    assert response.json()["code"] == "photo_too_large"
    await _nothing_stored(api)


@pytest.mark.parametrize("headers,code,status", [
    ({}, "missing_header", 400),
    ({"X-Content-SHA256": "abc"}, "malformed_body", 400),
])
async def test_bad_checksum_header(api, headers, code, status):
    await api.login("guard")
    response = await api.client.put(f"/api/v1/photos/{uuid.uuid4()}", content=jpeg(),
                                    headers={"X-Rounds-Client": "pwa", **headers})
    assert response.status_code == status
    assert response.json()["code"] == code
    await _nothing_stored(api)


async def test_not_an_image(api):
    await api.login("guard")
    response = await api.put_photo(str(uuid.uuid4()), b"hello, this is text pretending to be a jpeg")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    await _nothing_stored(api)
