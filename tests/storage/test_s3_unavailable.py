"""A dead S3 endpoint is a prompt StorageError (-> storage_unavailable), not a hang."""

from __future__ import annotations

import socket
import time

import pytest

from server.storage import S3Store, StorageError


@pytest.fixture
def closed_port() -> int:
    # Bind then close: nothing listens there, so connects are refused at once.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_dead_endpoint_raises_storage_error_quickly(closed_port):
    store = S3Store(
        "rounds-down", endpoint_url=f"http://127.0.0.1:{closed_port}",
        access_key="testing", secret_key="testing",
    )
    started = time.monotonic()
    try:
        with pytest.raises(StorageError):
            await store.put("originals/ab/x", b"x", content_type="image/jpeg")
        with pytest.raises(StorageError):
            await store.get("originals/ab/x")
        with pytest.raises(StorageError):
            await store.exists("originals/ab/x")
    finally:
        await store.close()
    assert time.monotonic() - started < 20


async def test_missing_bucket_is_a_storage_error_not_a_missing_blob(moto_endpoint):
    store = S3Store(
        "rounds-no-such-bucket", endpoint_url=moto_endpoint,
        access_key="testing", secret_key="testing",
    )
    try:
        with pytest.raises(StorageError):
            await store.put("originals/ab/x", b"x", content_type="image/jpeg")
    finally:
        await store.close()
