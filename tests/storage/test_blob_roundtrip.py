"""Contract: bytes in, same bytes out; overwrite; exists; idempotent delete."""

from __future__ import annotations

import os

import pytest

from server.storage import BlobNotFound, BlobStore, LocalStore, S3Store, StorageError, key_for
from tests.storage.conftest import DUMMY

SHA = "ab" + "0" * 62


async def test_put_get_roundtrip_keeps_every_byte(store):
    data = bytes(range(256)) * 40 + os.urandom(1000)
    key = key_for("originals", SHA)
    await store.put(key, data, content_type="image/jpeg")
    assert await store.get(key) == data


async def test_empty_object_roundtrips(store):
    await store.put("misc/empty", b"", content_type="application/octet-stream")
    assert await store.get("misc/empty") == b""


async def test_exists_follows_put_and_delete(store):
    key = key_for("thumbs", SHA, "webp")
    assert not await store.exists(key)
    await store.put(key, b"x", content_type="image/webp")
    assert await store.exists(key)
    await store.delete(key)
    assert not await store.exists(key)


async def test_delete_is_idempotent(store):
    key = key_for("display", SHA, "webp")
    await store.delete(key)  # never existed
    await store.put(key, b"x", content_type="image/webp")
    await store.delete(key)
    await store.delete(key)
    assert not await store.exists(key)


async def test_put_overwrites(store):
    await store.put("misc/a", b"first", content_type="text/plain")
    await store.put("misc/a", b"second, longer", content_type="text/plain")
    assert await store.get("misc/a") == b"second, longer"


async def test_missing_key_raises_blob_not_found(store):
    await store.put("misc/other", b"x", content_type="text/plain")  # the folder / bucket exists
    with pytest.raises(BlobNotFound):
        await store.get(key_for("originals", SHA))


async def test_a_missing_folder_or_bucket_is_a_backend_failure_not_a_missing_object(store, tmp_path):
    # An unmounted volume or a deleted bucket must not read as "every photo is gone".
    if isinstance(store, LocalStore):
        gone = LocalStore(tmp_path / "no-such-folder", b"k" * 32)
    else:
        gone = S3Store("rounds-no-such-bucket", endpoint_url=store._client.meta.endpoint_url, **DUMMY)
    try:
        with pytest.raises(StorageError):
            await gone.get(key_for("originals", SHA))
    finally:
        await gone.close()


async def test_a_folder_prefix_is_not_an_object(store):
    await store.put("misc/dir/file", b"x", content_type="text/plain")
    assert not await store.exists("misc/dir")
    with pytest.raises(BlobNotFound):
        await store.get("misc/dir")


def test_backends_satisfy_the_protocol(store):
    assert isinstance(store, BlobStore)


def test_not_found_is_not_a_backend_failure():
    # Callers map StorageError to 503 and BlobNotFound to 404: keep them apart.
    assert not issubclass(BlobNotFound, StorageError)
