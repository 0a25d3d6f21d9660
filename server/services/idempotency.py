"""Create-once semantics shared by every phone submission (visits, photos,
incidents): the phone's UUID is the idempotency key, a resend is answered from
the stored record, and a race between two sends of one UUID is settled by the
database's unique index."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from server.db import engine as db
from server.domain.errors import RoundsError

Load = Callable[[], Awaitable[dict | None]]


def replay_or_refuse(row: dict, shape: Callable[[dict], dict], *, sender: str, user_id: int,
                     key: str, value: str) -> dict:
    """What a send of an already stored UUID gets: the stored result when the
    same person sent the same thing (row[sender] is them, row[key] matches:
    the body's fingerprint, or a photo's sha256); otherwise the UUID is taken."""
    if row[sender] != user_id or row[key] != value:
        raise RoundsError("idempotency_conflict", {"client_uuid": str(row["client_uuid"])})
    return shape(row)


async def create_once(
    write: Callable[[], Awaitable[dict | None]],
    *,
    load: Load,
    replay: Callable[[dict], dict],
    shape: Callable[[dict], dict],
) -> tuple[bool, dict]:
    """Runs `write` in one transaction and returns (True, shape(stored)); a
    `write` that returns the stored row spares the re-read. When a concurrent
    send of the same UUID committed first, the unique index refuses ours and
    the caller gets (False, replay(stored)) — exactly what a resend gets."""
    try:
        async with db.transaction():
            created = await write()
    except Exception as exc:
        if not db.is_unique_violation(exc):
            raise
        stored = await load()
        if stored is None:
            raise
        return False, replay(stored)
    if created is not None:
        return True, shape(created)
    stored = await load()
    assert stored is not None
    return True, shape(stored)
