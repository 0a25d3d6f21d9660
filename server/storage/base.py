"""The one interface every blob backend implements, plus the key rules.

Keys are built server-side only (`key_for`), never from client input, and are
checked again on every call so a bug elsewhere cannot walk out of the store."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9/_.-]{0,200}$")
_SEGMENT_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_EXT_RE = re.compile(r"^[a-z0-9]{1,10}$")


class StorageError(Exception):
    """The backend failed (disk, network, credentials...). Callers map it to the
    `storage_unavailable` code; the original exception is chained."""


class BlobNotFound(LookupError):
    """No object under this key. Deliberately not a StorageError: a missing
    object is a 404, a failing backend is a 503."""


def validate_key(key: str) -> str:
    """Return `key` unchanged or raise ValueError."""
    if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
        raise ValueError(f"invalid blob key {key!r}")
    if ".." in key or "//" in key or key.endswith("/"):
        raise ValueError(f"invalid blob key {key!r}")
    # "a/./b" would alias "a/b" on disk; every segment must start with [a-z0-9].
    if any(part[0] == "." for part in key.split("/")):
        raise ValueError(f"invalid blob key {key!r}")
    return key


def validate_prefix(prefix: str) -> str:
    """A listing prefix: empty, or the start of a valid key (may end with '/')."""
    if prefix == "":
        return prefix
    validate_key(prefix.rstrip("/") or "x/")  # "x/" always fails: a bare "/" is refused
    return prefix


def key_for(kind: str, sha256: str, ext: str = "") -> str:
    """`key_for("display", sha, "webp")` -> "display/ab/<sha>.webp". Two hex
    characters of fan-out keep directories (and S3 listings) small."""
    if not _SEGMENT_RE.fullmatch(kind):
        raise ValueError(f"invalid blob kind {kind!r}")
    if not _SHA256_RE.fullmatch(sha256):
        raise ValueError("sha256 must be 64 lowercase hex characters")
    ext = ext.removeprefix(".")
    if ext and not _EXT_RE.fullmatch(ext):
        raise ValueError(f"invalid extension {ext!r}")
    return validate_key(f"{kind}/{sha256[:2]}/{sha256}" + (f".{ext}" if ext else ""))


@runtime_checkable
class BlobStore(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` atomically: a reader sees the old object, the new one, or
        none, never a partial one. Overwrites."""

    async def get(self, key: str) -> bytes:
        """The object's bytes; BlobNotFound if absent."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""

    def url_for(self, key: str, *, expires: int = 300, filename: str | None = None) -> str:
        """A time-limited URL a browser can fetch the object from. With
        `filename` the response is offered as a download under that name."""

    def iter_keys(self, prefix: str) -> AsyncIterator[str]:
        """Every key starting with `prefix` (verify/repair tooling)."""

    async def modified_at(self, key: str) -> float:
        """When the object was last written (unix seconds); BlobNotFound if
        absent. Housekeeping spares young orphans (uploads still in flight)."""

    async def close(self) -> None: ...
