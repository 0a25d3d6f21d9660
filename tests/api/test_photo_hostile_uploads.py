"""Hostile files through the real endpoint: each gets its code, and nothing is
left behind — no stored object, no row — on local storage and on S3."""

import uuid
from io import BytesIO

import pytest
from PIL import Image

from server.db.tables import Photo
from tests.photos.conftest import encode, jpeg_with_header, png_with_header, synthetic_photo


def _truncated_jpeg() -> bytes:
    data = encode(synthetic_photo(3), "JPEG", quality=90)
    return data[: len(data) // 2]


def _bomb() -> bytes:
    # ~60 KB of PNG that decodes to 12000 x 12000 pixels (144 MP).
    buf = BytesIO()
    Image.new("1", (12000, 12000)).save(buf, "PNG", optimize=True)
    return buf.getvalue()


CORPUS = {
    "bomb": (_bomb, 422, "image_too_many_pixels"),
    "png_huge_declared": (lambda: png_with_header(60000, 60000), 422, "image_too_many_pixels"),
    "jpeg_huge_declared": (lambda: jpeg_with_header(30000, 30000), 422, "image_too_many_pixels"),
    "truncated_jpeg": (_truncated_jpeg, 422, "image_corrupt"),
    "text_named_jpg": (lambda: b"just some text, not a photo\n" * 10, 415, "unsupported_media_type"),
    "svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', 415,
            "unsupported_media_type"),
    "gif": (lambda: encode(Image.new("RGB", (8, 8)), "GIF"), 415, "unsupported_media_type"),
    "zero_bytes": (lambda: b"", 422, "photo_empty"),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
async def test_hostile_file_is_refused_and_leaves_nothing(backend_api, name):
    api = backend_api
    make, status, code = CORPUS[name]
    await api.login("guard")
    response = await api.put_photo(str(uuid.uuid4()), make(), visit=str(uuid.uuid4()))
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert await Photo.count().run() == 0
    assert [k async for k in api.client.app.state.store.iter_keys("")] == []
