import uuid

import pytest

from server.db.tables import Photo
from server.domain.errors import RoundsError
from tests.api.test_photo_upload import jpeg


def _refused(response, status: int, code: str) -> None:
    """The stable code, and the message in both languages (the user's one on top)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    expected = RoundsError(code)
    assert body["messages"] == {"en": expected.message_en, "zh-CN": expected.message_zh}
    assert expected.message_en and expected.message_zh and expected.message_en != expected.message_zh
    assert body["message"] == expected.message_en  # the guard's language is English


async def _nothing_stored(api):
    assert await Photo.count().run() == 0
    keys = [k async for k in api.client.app.state.store.iter_keys("")]
    assert keys == []


async def test_checksum_mismatch(api):
    await api.login("guard")
    response = await api.put_photo(str(uuid.uuid4()), jpeg(), sha="0" * 64)
    _refused(response, 422, "photo_checksum_mismatch")
    await _nothing_stored(api)


async def test_photo_too_large_by_content_length(api, settings):
    await api.login("guard")
    big = b"\xff\xd8\xff" + b"0" * (settings.max_photo_bytes + 10)
    response = await api.put_photo(str(uuid.uuid4()), big)
    _refused(response, 413, "photo_too_large")
    await _nothing_stored(api)


@pytest.mark.parametrize("headers,code,status", [
    ({}, "missing_header", 400),
    ({"X-Content-SHA256": "abc"}, "malformed_body", 400),
])
async def test_bad_checksum_header(api, headers, code, status):
    await api.login("guard")
    response = await api.client.put(f"/api/v1/photos/{uuid.uuid4()}", content=jpeg(),
                                    headers={"X-Rounds-Client": "pwa", **headers})
    _refused(response, status, code)
    await _nothing_stored(api)


async def test_not_an_image(api):
    await api.login("guard")
    response = await api.put_photo(str(uuid.uuid4()), b"hello, this is text pretending to be a jpeg")
    _refused(response, 415, "unsupported_media_type")
    await _nothing_stored(api)
