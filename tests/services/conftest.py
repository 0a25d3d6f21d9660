from __future__ import annotations

import uuid

import pytest

from server.services.accounts import load_user
from server.storage import LocalStore, S3Store
from tests.factories import build_world
from tests.storage.conftest import DUMMY


@pytest.fixture
async def world(engine):
    return await build_world()


@pytest.fixture
async def admin(world):
    return await load_user(world.users["admin"])


@pytest.fixture(params=["local", "s3"])
async def store(request, tmp_path):
    """A photo store of each backend (S3 on the session's moto server), empty."""
    if request.param == "local":
        yield LocalStore(tmp_path / "blobs", b"k" * 32)
        return
    s3 = S3Store(f"rounds-{uuid.uuid4().hex[:12]}", endpoint_url=request.getfixturevalue("moto_endpoint"), **DUMMY)
    await s3.ensure_bucket()
    yield s3
    await s3.close()
