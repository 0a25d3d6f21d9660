"""`modified_at` tells when an object was last written (housekeeping spares
young orphans by it), and a missing object is BlobNotFound. Both backends."""

import time

import pytest

from server.storage.base import BlobNotFound


async def test_modified_at_follows_writes_and_refuses_missing_keys(store):
    before = time.time()
    await store.put("originals/ab/x.jpg", b"one", content_type="image/jpeg")
    written = await store.modified_at("originals/ab/x.jpg")
    # S3 keeps whole seconds; allow for that and for a little clock drift.
    assert before - 2 <= written <= time.time() + 2
    with pytest.raises(BlobNotFound):
        await store.modified_at("originals/ab/none.jpg")
    with pytest.raises(ValueError):
        await store.modified_at("../escape")
