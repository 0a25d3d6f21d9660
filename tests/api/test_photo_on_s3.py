"""The same upload path with STORAGE_URL=s3://… against moto's server over real HTTP."""

import dataclasses
import hashlib
import uuid

import httpx
import pytest
from litestar.testing import AsyncTestClient
from moto.server import ThreadedMotoServer

from server.app import create_app
from server.db.tables import Photo
from tests.api.conftest import Api
from tests.factories import build_world
from tests.photos.conftest import encode, synthetic_photo


@pytest.fixture(scope="module")
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


async def test_upload_view_and_verify_through_s3(settings, moto_endpoint):
    bucket = f"rounds-{uuid.uuid4().hex[:10]}"
    s3 = dataclasses.replace(
        settings,
        storage_url=f"s3://{bucket}/photos?endpoint={moto_endpoint}&region=us-east-1&path_style=true",
        s3_access_key="testing", s3_secret_key="testing",
    )
    app = create_app(s3)
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
