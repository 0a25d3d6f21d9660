"""Real storage faults for upload tests, on either backend: the chosen writes
fail inside the backend itself (an OS error from the file system, an error
answer from the S3 server), not in a stand-in. Other writes, and objects
already stored, are untouched."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from server.storage import LocalStore, S3Store


@contextlib.contextmanager
def display_writes_fail(store, tmp: Path | None = None) -> Iterator[None]:
    """While active, every put under display/ fails in the backend: a local
    store writes below a plain file (mkdir fails with ENOTDIR), an S3 store
    writes to a bucket that does not exist (the server answers NoSuchBucket)."""
    real_put = store.put
    if isinstance(store, LocalStore):
        blocker = store.root.parent / "not-a-folder"
        blocker.write_bytes(b"")
        attr, broken = "root", blocker / "blobs"
    else:
        assert isinstance(store, S3Store)
        blocker, attr, broken = None, "bucket", "rounds-no-such-bucket"

    async def put(key, data, *, content_type):
        if not key.startswith("display/"):
            return await real_put(key, data, content_type=content_type)
        good = getattr(store, attr)
        setattr(store, attr, broken)
        try:
            return await real_put(key, data, content_type=content_type)
        finally:
            setattr(store, attr, good)

    store.put = put
    try:
        yield
    finally:
        del store.put
        if blocker is not None:
            blocker.unlink()


async def all_keys(store) -> list[str]:
    return [k async for k in store.iter_keys("")]
