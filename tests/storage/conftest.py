"""The storage contract runs against every backend: LocalStore in a temp folder
and S3Store over real HTTP against moto's server (one server per session,
tests/conftest.py; a fresh bucket per test)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from server.storage import LocalStore, S3Store
from server.storage.base import BlobStore

SIGNING_KEY = b"test-signing-key-0123456789abcdef"
DUMMY = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


@pytest.fixture
async def s3_store(moto_endpoint: str) -> AsyncIterator[S3Store]:
    store = S3Store(f"rounds-test-{uuid.uuid4().hex[:12]}", endpoint_url=moto_endpoint, **DUMMY)
    await store.ensure_bucket()
    yield store
    await store.close()


@pytest.fixture
async def local_store(tmp_path) -> AsyncIterator[LocalStore]:
    store = LocalStore(tmp_path / "blobs", SIGNING_KEY)
    yield store
    await store.close()


@pytest.fixture(params=["local", "s3"])
def store(request) -> BlobStore:
    """Every contract test runs once per backend."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def fetch():
    return _fetch


async def _fetch(store: BlobStore, url: str) -> tuple[bytes, dict[str, str]]:
    """Follow a url_for() link the way a browser would. For LocalStore the web
    layer is not part of this package, so do what it will do: check the
    signature, then read the file."""
    if isinstance(store, LocalStore):
        parts = urlsplit(url)
        assert parts.path.startswith(store.url_prefix + "/")
        key = parts.path[len(store.url_prefix) + 1 :]
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert store.verify_signed(key, q["exp"], q["sig"], q.get("fn"))
        return store.path_for(key).read_bytes(), {}
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    return response.content, dict(response.headers)
