"""A Litestar Store kept in the database, so every app process behind a proxy
sees the same sessions (no state in process memory).

Sessions can be revoked (server/services/sessions.py): a revoked row is kept
as a tombstone until it expires. The session middleware writes a session back
at the end of every response, so a request that was already running when an
admin reset the password would otherwise re-create the session it loaded;
`set` never updates a tombstone and `delete` never removes one."""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import timedelta

from litestar.stores.base import Store

from server.db import raw
from server.db.tables import SessionRecord
from server.services import sessions
from server.services.sessions import session_user

# Litestar writes the session back on every response to slide its expiry. A
# write per request (a second write transaction beside every visit a phone
# sends) buys nothing when the data is unchanged and the expiry would move by
# less than this; the cookie is re-sent (with the full lifetime) when the row is.
RENEW_STEP_SECONDS = 3600
_MEMO_SIZE = 10_000


def _seconds(value: int | timedelta | None) -> int | None:
    if value is None:
        return None
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


class DatabaseStore(Store):
    def __init__(self) -> None:
        # key -> (data, expires_at) as this process last read or wrote it. Only
        # used to skip a redundant write; every read still goes to the database,
        # so other processes' changes (logout, password reset) are seen at once.
        self._seen: OrderedDict[str, tuple[bytes, int | None]] = OrderedDict()

    def _remember(self, key: str, data: bytes, expires_at: int | None) -> None:
        self._seen[key] = (data, expires_at)
        self._seen.move_to_end(key)
        while len(self._seen) > _MEMO_SIZE:
            self._seen.popitem(last=False)

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> bool:
        """Returns whether a live row now holds this data with a fresh expiry
        (False: the write was skipped as redundant, or the row is revoked), so
        the session cookie is re-sent only with a renewal, never for a dead id."""
        data = value.encode() if isinstance(value, str) else value
        seconds = _seconds(expires_in)
        expires_at = int(time.time()) + seconds if seconds is not None else None
        seen = self._seen.get(key)
        if (seen is not None and seen[0] == data and seen[1] is not None and expires_at is not None
                and 0 <= expires_at - seen[1] < RENEW_STEP_SECONDS):
            return False
        # One statement, safe against two requests of one session racing; the
        # WHERE leaves a revoked session revoked.
        written = await SessionRecord.insert(SessionRecord(
            key=key, data=data, expires_at=expires_at, user_id=session_user(data), revoked=False,
        )).on_conflict(
            target=SessionRecord.key, action="DO UPDATE",
            values=[SessionRecord.data, SessionRecord.expires_at, SessionRecord.user_id],
            where=SessionRecord.revoked.eq(False),
        ).returning(SessionRecord.id).run()
        if not written:
            self._seen.pop(key, None)
            return False
        self._remember(key, data, expires_at)
        return True

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        rows = await raw.fetch(lambda p: (
            f'SELECT "data", "expires_at", "revoked" FROM "session_store" WHERE "key" = {p(key)}'))
        row = rows[0] if rows else None
        if row is None or row["revoked"]:
            self._seen.pop(key, None)
            return None
        now = int(time.time())
        if row["expires_at"] is not None and row["expires_at"] <= now:
            await self.delete(key)
            return None
        seconds = _seconds(renew_for)
        if seconds and row["expires_at"] is not None:
            await SessionRecord.update({SessionRecord.expires_at: now + seconds}).where(
                SessionRecord.key == key
            ).run()
            row["expires_at"] = now + seconds
        data = bytes(row["data"])
        self._remember(key, data, row["expires_at"])
        return data

    async def delete(self, key: str) -> None:
        self._seen.pop(key, None)
        await SessionRecord.delete().where((SessionRecord.key == key) & SessionRecord.revoked.eq(False)).run()

    async def revoke(self, key: str) -> None:
        self._seen.pop(key, None)
        await sessions.end_session(key)

    async def delete_all(self) -> None:
        self._seen.clear()
        await SessionRecord.delete(force=True).run()

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await SessionRecord.select(SessionRecord.expires_at).where(SessionRecord.key == key).first().run()
        if row is None or row["expires_at"] is None:
            return None
        return max(0, row["expires_at"] - int(time.time()))

    async def purge_expired(self) -> int:
        purged = await sessions.purge_sessions()
        return purged.expired + purged.revoked
