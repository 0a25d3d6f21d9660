"""Periodic clean-up tasks: old login-throttle rows and orphaned photo objects
(dead session rows: server/services/sessions.purge_sessions). Plain async functions over the bound database and a
BlobStore, so `rounds housekeeping` runs them now and a scheduler can run the
same functions later."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from server.db.tables import LoginAttempt
from server.lib.clock import now as clock_now
from server.services.photo_ops import BATCH, PHOTO_PREFIXES, unreferenced
from server.storage.base import BlobNotFound, BlobStore, StorageError

DEFAULT_GRACE_DAYS = 2
async def purge_login_attempts(window_seconds: int, now: datetime | None = None) -> int:
    """Delete login attempts older than the throttle window: they no longer
    count towards any limit (server/services/accounts.authenticate)."""
    cutoff = (clock_now() if now is None else now) - timedelta(seconds=window_seconds)
    rows = await LoginAttempt.delete().where(LoginAttempt.at < cutoff).returning(LoginAttempt.id).run()
    return len(rows)


@dataclass
class OrphanReport:
    old: list[str] = field(default_factory=list)  # unreferenced and older than the grace period
    young: int = 0  # unreferenced but recent: maybe an upload whose row is not committed yet
    deleted: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (key or prefix, storage error)


async def orphan_blobs(store: BlobStore, *, grace_days: float = DEFAULT_GRACE_DAYS, apply: bool = False,
                       now: float | None = None) -> OrphanReport:
    """Find photo objects no photo row refers to (the same rule as `rounds
    photos verify`), and with `apply` delete those older than `grace_days`.
    Each key is checked again just before its delete: a photo recorded or an
    object rewritten meanwhile is spared."""
    ts = time.time() if now is None else now
    cutoff = ts - grace_days * 86400
    report = OrphanReport()
    for prefix in PHOTO_PREFIXES:
        try:
            batch: list[str] = []
            async for key in store.iter_keys(prefix):
                batch.append(key)
                if len(batch) >= BATCH:
                    await _classify(store, await unreferenced(batch), cutoff, report)
                    batch = []
            await _classify(store, await unreferenced(batch), cutoff, report)
        except StorageError as exc:
            report.errors.append((prefix, str(exc)[:200]))
    if apply:
        for key in report.old:
            try:
                if await unreferenced([key]) and await store.modified_at(key) < cutoff:
                    await store.delete(key)
                    report.deleted += 1
            except BlobNotFound:
                continue
            except StorageError as exc:
                report.errors.append((key, str(exc)[:200]))
    return report


async def _classify(store: BlobStore, keys: list[str], cutoff: float, report: OrphanReport) -> None:
    for key in keys:
        try:
            modified = await store.modified_at(key)
        except BlobNotFound:
            continue
        if modified < cutoff:
            report.old.append(key)
        else:
            report.young += 1
