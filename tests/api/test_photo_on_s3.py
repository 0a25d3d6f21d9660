"""The same upload path with STORAGE_URL=s3://… against moto's server over real HTTP."""

import hashlib
import uuid

import httpx
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.tables import Photo
from tests.api.conftest import Api, s3_settings
from tests.factories import build_world
from tests.photos.conftest import encode, synthetic_photo


async def test_upload_view_and_verify_through_s3(settings, moto_endpoint):
    app = create_app(s3_settings(settings, moto_endpoint))
    await app.state.store.ensure_bucket()
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        api = Api(client, await build_world())
        await api.login("guard")
        uid, data = str(uuid.uuid4()), encode(synthetic_photo(31), "JPEG")
        assert (await api.put_photo(uid, data, visit=str(uuid.uuid4()))).status_code == 201
        assert (await api.put_photo(uid, data)).status_code == 200
        assert await Photo.count().run() == 1

        links = (await client.get(f"/api/v1/photos/{uid}")).json()["photo"]["urls"]
        assert links["original"].startswith(moto_endpoint)  # a presigned S3 URL, not our /blobs
        async with httpx.AsyncClient() as plain:
            original = await plain.get(links["original"])
        assert hashlib.sha256(original.content).hexdigest() == hashlib.sha256(data).hexdigest()

        from server.services.photo_ops import verify

        report = await verify(app.state.store)
        assert (report.checked, report.ok) == (1, 1)
