"""The stored content type of an original is the one sniffed from its bytes,
not the client's Content-Type header (which a phone, or an attacker, may get
wrong): in the row, and on the S3 object browsers are sent to."""

import hashlib
import uuid

import boto3
import httpx
import pytest

from server.db.tables import Photo
from server.storage import S3Store
from tests.photos.conftest import encode, synthetic_photo


@pytest.mark.parametrize("fmt,declared,sniffed", [
    ("PNG", "image/jpeg", "image/png"),
    ("WEBP", "application/octet-stream", "image/webp"),
    ("JPEG", "text/html", "image/jpeg"),
])
async def test_sniffed_type_is_stored_not_the_declared_one(backend_api, fmt, declared, sniffed):
    api = backend_api
    await api.login("guard")
    data = encode(synthetic_photo(9, (320, 240)), fmt)
    uid = str(uuid.uuid4())
    response = await api.client.put(
        f"/api/v1/photos/{uid}", content=data,
        headers={"X-Rounds-Client": "pwa", "Content-Type": declared,
                 "X-Content-SHA256": hashlib.sha256(data).hexdigest()})
    assert response.status_code == 201, response.text
    row = await Photo.select().where(Photo.client_uuid == uuid.UUID(uid)).first().run()
    assert row["content_type"] == sniffed

    store = api.client.app.state.store
    if isinstance(store, S3Store):
        head = boto3.client("s3", endpoint_url=store._client.meta.endpoint_url, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing").head_object(
            Bucket=store.bucket, Key=store.prefix + row["storage_key"])
        assert head["ContentType"] == sniffed
        links = (await api.client.get(f"/api/v1/photos/{uid}")).json()["photo"]["urls"]
        async with httpx.AsyncClient() as browser:
            original = await browser.get(links["original"])
        assert original.headers["content-type"] == sniffed and original.content == data


async def test_a_caller_passing_the_declared_type_still_gets_the_sniffed_one(api):
    # The console's after-photo upload hands the browser's declared type through.
    from server.services.accounts import load_user
    from server.services.photos import ingest_photo

    data = encode(synthetic_photo(10, (320, 240)), "PNG")
    user = await load_user(api.world.users["supervisor"])
    _, stored = await ingest_photo(user, str(uuid.uuid4()), data, declared_sha256=hashlib.sha256(data).hexdigest(),
                                   store=api.client.app.state.store, max_bytes=5_000_000, max_pixels=50_000_000,
                                   content_type="text/html")
    row = await Photo.select(Photo.content_type).where(Photo.id == stored["id"]).first().run()
    assert row["content_type"] == "image/png"
