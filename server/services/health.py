"""Liveness and readiness: what a load balancer, `rounds serve` and
`rounds check` ask before trusting this process with traffic."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from server.db import engine as db
from server.db.migrate import pending_migrations
from server.storage.base import BlobStore

PROBE_PREFIX = "healthcheck"


async def check_database() -> None:
    """Raises if the database does not answer a trivial query."""
    await db.current().run_ddl("SELECT 1")


async def probe_store(store: BlobStore) -> None:
    """Write, read back and delete a small object under its own key; raises
    StorageError (or the backend's error) when the store cannot take a photo."""
    key = f"{PROBE_PREFIX}/{uuid.uuid4().hex}"
    payload = b"rounds readiness probe"
    await store.put(key, payload, content_type="text/plain")
    try:
        if await store.get(key) != payload:
            raise OSError("the probe object read back differently")
    finally:
        await store.delete(key)


@dataclass(frozen=True)
class Readiness:
    code: str | None  # None when ready; otherwise an error code from domain/errors.py
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.code is None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def readiness(store: BlobStore) -> Readiness:
    """Ready when the database answers, has every migration applied and the
    photo store accepts a write. The first failure is the reason."""
    try:
        await check_database()
    except Exception as exc:  # any driver error means "not reachable"
        return Readiness("database_unavailable", _reason(exc))
    try:
        pending = await pending_migrations()
    except Exception as exc:
        return Readiness("database_unavailable", _reason(exc))
    if pending:
        return Readiness("migrations_pending", f"{len(pending)} pending: {', '.join(pending[:5])}")
    try:
        await probe_store(store)
    except Exception as exc:
        return Readiness("storage_unavailable", _reason(exc))
    return Readiness(None)
