"""LocalStore writes via temp file + fsync + os.replace: no partial objects,
no leftovers, and a failure mid-write leaves nothing under the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.storage import StorageError
from server.storage import local as local_module


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


async def test_write_leaves_no_temp_files(local_store):
    await local_store.put("originals/ab/x", b"data", content_type="image/jpeg")
    await local_store.put("originals/ab/x", b"data2", content_type="image/jpeg")
    assert _files(local_store.root) == ["originals/ab/x"]
    assert not any((local_store.root / ".tmp").iterdir())


async def test_crash_before_rename_leaves_no_object(local_store, monkeypatch):
    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(local_module.os, "replace", crash)
    with pytest.raises(StorageError):
        await local_store.put("originals/ab/x", b"data", content_type="image/jpeg")
    monkeypatch.undo()
    assert not await local_store.exists("originals/ab/x")
    assert _files(local_store.root) == []


async def test_crash_keeps_the_previous_version(local_store, monkeypatch):
    await local_store.put("originals/ab/x", b"old", content_type="image/jpeg")

    def crash(src, dst):
        raise KeyboardInterrupt  # not an OSError: cleanup must still run

    monkeypatch.setattr(local_module.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        await local_store.put("originals/ab/x", b"new", content_type="image/jpeg")
    monkeypatch.undo()
    assert await local_store.get("originals/ab/x") == b"old"
    assert _files(local_store.root) == ["originals/ab/x"]


async def test_temp_folder_is_not_listed(local_store):
    (local_store.root / ".tmp").mkdir(parents=True)
    (local_store.root / ".tmp" / "stray").write_bytes(b"x")
    await local_store.put("a/b", b"x", content_type="text/plain")
    assert [k async for k in local_store.iter_keys("")] == ["a/b"]


async def test_disk_read_error_is_a_storage_error(local_store, monkeypatch):
    await local_store.put("a/b", b"x", content_type="text/plain")

    def failing_read(self):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "read_bytes", failing_read)
    with pytest.raises(StorageError):
        await local_store.get("a/b")
