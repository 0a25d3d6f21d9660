"""Blobs as files under one folder: the embedded default (`make run`).

Writes go to root/.tmp/<uuid>, are fsynced, then os.replace()d into place, so a
reader (or a crash) never leaves a half-written object under a real key. Links
are HMAC-signed so the web layer can serve files without a session lookup."""

from __future__ import annotations

import hashlib
import hmac
import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlencode

import anyio.to_thread

from server.storage.base import BlobNotFound, StorageError, validate_key, validate_prefix

_TMP = ".tmp"


class LocalStore:
    def __init__(self, root: Path, signing_key: bytes, url_prefix: str = "/blobs") -> None:
        if not signing_key:
            raise ValueError("LocalStore needs a non-empty signing key")
        self.root = Path(root).expanduser().resolve()
        self._signing_key = bytes(signing_key)
        self.url_prefix = url_prefix.rstrip("/")

    # -- paths -------------------------------------------------------------

    def path_for(self, key: str) -> Path:
        """The file that holds `key` (it may not exist). Raises ValueError for a
        bad key or one that would resolve outside the root (e.g. via a symlink)."""
        validate_key(key)
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"blob key escapes the store: {key!r}")
        return path

    # -- writes ------------------------------------------------------------

    def _put_sync(self, path: Path, data: bytes) -> None:
        tmp_dir = self.root / _TMP
        tmp = tmp_dir / uuid.uuid4().hex
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            _discard_tmp(tmp)
            raise StorageError(f"cannot write blob: {exc}") from exc
        except BaseException:
            _discard_tmp(tmp)
            raise
        _fsync_dir(path.parent)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        # content_type is not stored: the web layer serves by key kind / sniffing.
        path = self.path_for(key)
        await anyio.to_thread.run_sync(self._put_sync, path, data)

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        try:
            await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))
        except OSError as exc:
            raise StorageError(f"cannot delete blob: {exc}") from exc

    # -- reads -------------------------------------------------------------

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await anyio.to_thread.run_sync(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            if not await anyio.to_thread.run_sync(self.root.is_dir):
                # Not "this object is gone" but "the store is not there" (an
                # unmounted volume, a wrong STORAGE_URL): a backend failure.
                raise StorageError(f"blob folder {self.root} does not exist") from None
            raise BlobNotFound(key) from None
        except OSError as exc:
            raise StorageError(f"cannot read blob: {exc}") from exc

    async def exists(self, key: str) -> bool:
        path = self.path_for(key)
        return await anyio.to_thread.run_sync(path.is_file)

    async def modified_at(self, key: str) -> float:
        path = self.path_for(key)
        try:
            return (await anyio.to_thread.run_sync(path.stat)).st_mtime
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        except OSError as exc:
            raise StorageError(f"cannot stat blob: {exc}") from exc

    def _list_sync(self, prefix: str) -> list[str]:
        # Walk only the folder the prefix points into, then filter by string.
        start = self.root / prefix.rpartition("/")[0] if "/" in prefix else self.root
        keys: list[str] = []
        for dirpath, dirnames, filenames in os.walk(start):
            if Path(dirpath) == self.root and _TMP in dirnames:
                dirnames.remove(_TMP)
            rel = Path(dirpath).relative_to(self.root).as_posix()
            for name in filenames:
                key = name if rel == "." else f"{rel}/{name}"
                if key.startswith(prefix):
                    keys.append(key)
        keys.sort()
        return keys

    async def iter_keys(self, prefix: str) -> AsyncIterator[str]:
        validate_prefix(prefix)
        try:
            keys = await anyio.to_thread.run_sync(self._list_sync, prefix)
        except OSError as exc:
            raise StorageError(f"cannot list blobs: {exc}") from exc
        for key in keys:
            yield key

    # -- signed links --------------------------------------------------------

    def _signature(self, key: str, exp: int, filename: str | None) -> str:
        msg = f"{key}|{exp}|{filename or ''}".encode()
        return hmac.new(self._signing_key, msg, hashlib.sha256).hexdigest()

    def url_for(self, key: str, *, expires: int = 300, filename: str | None = None) -> str:
        validate_key(key)
        exp = int(time.time()) + int(expires)
        query = {"exp": str(exp), "sig": self._signature(key, exp, filename)}
        if filename:
            query["fn"] = filename
        return f"{self.url_prefix}/{key}?{urlencode(query, quote_via=quote)}"

    def verify_signed(
        self,
        key: str,
        exp: int | str,
        sig: str,
        filename: str | None = None,
        now: float | None = None,
    ) -> bool:
        """True when `sig` is ours for (key, exp, filename) and exp is not past."""
        try:
            validate_key(key)
            exp_i = int(exp)
        except (TypeError, ValueError):
            return False
        if exp_i < (time.time() if now is None else now):
            return False
        expected = self._signature(key, exp_i, filename)
        # bytes: compare_digest refuses non-ASCII str, and sig comes from a URL.
        return hmac.compare_digest(expected.encode(), str(sig).encode())

    async def close(self) -> None:
        return None


def _discard_tmp(tmp: Path) -> None:
    # The failure may be the tmp folder itself (not a folder, gone, read-only):
    # the caller must still get a StorageError, not this.
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def _fsync_dir(path: Path) -> None:
    # Makes the rename itself durable; not supported on every OS/filesystem.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
