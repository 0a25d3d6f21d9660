"""MAX_PHOTO_BYTES above the 15 MB default is honoured everywhere a photo is
decoded: the upload, `reprocess` and the evidence print (each once had the
default baked in)."""

import dataclasses
import hashlib
import struct
import uuid

from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.tables import Photo
from server.photos.intake import DEFAULT_MAX_BYTES
from server.services.photo_ops import reprocess
from tests.api.conftest import Api
from tests.factories import build_world
from tests.photos.conftest import encode, synthetic_photo

LIMIT = 24 * 1024 * 1024


def big_jpeg(size: int) -> bytes:
    """A real JPEG of about `size` bytes: a photo plus APP15 segments (phones
    embed depth maps and previews the same way), inserted after SOI."""
    photo = encode(synthetic_photo(3, (800, 600)), "JPEG", quality=90)
    segment = b"\xff\xef" + struct.pack(">H", 65535) + b"\x00" * 65533
    count = (size - len(photo)) // len(segment) + 1
    return photo[:2] + segment * count + photo[2:]


async def test_a_photo_over_15_mb_is_accepted_reprocessed_and_printed(settings):
    data = big_jpeg(16 * 1024 * 1024)
    assert DEFAULT_MAX_BYTES < len(data) < LIMIT
    app = create_app(dataclasses.replace(settings, max_photo_bytes=LIMIT))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        api = Api(client, await build_world())
        await api.login("guard")
        uid = str(uuid.uuid4())
        response = await api.put_photo(uid, data, visit=str(uuid.uuid4()))
        assert response.status_code == 201, response.text
        assert response.json()["photo"]["size_bytes"] == len(data)
        row = await Photo.select().first().run()
        assert await app.state.store.get(row["storage_key"]) == data
        assert hashlib.sha256(data).hexdigest() == row["sha256"]

        rebuilt, failed = await reprocess(app.state.store, max_pixels=settings.max_image_pixels,
                                          max_bytes=LIMIT)
        assert (rebuilt, failed) == (1, [])

        print_ = await client.get(f"/photos/{uid}/evidence.jpg")
        assert print_.status_code == 200, print_.text
        assert print_.headers["content-type"] == "image/jpeg" and print_.content[:3] == b"\xff\xd8\xff"


async def test_the_same_photo_is_refused_under_a_lower_limit(api, settings):
    # The fixture's limit is 3 MB: the same file must get the coded 413, so the
    # test above proves the setting, not an absent check.
    await api.login("guard")
    response = await api.put_photo(str(uuid.uuid4()), big_jpeg(16 * 1024 * 1024))
    assert response.status_code == 413 and response.json()["code"] == "photo_too_large"
    assert await Photo.count().run() == 0
