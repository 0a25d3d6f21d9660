"""Ending a user's server-side sessions (after a password reset or a
deactivation): every device they are signed in on must sign in again.

Sessions are rows of SessionRecord (server/security/session_store.py is the
Litestar store over them). A row is revoked rather than deleted: see the
store for why a tombstone is needed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from server.db.tables import SessionRecord

SESSION_USER_KEY = "uid"  # server.security.auth.SESSION_USER_KEY


def session_user(data: bytes) -> int | None:
    """The user id inside serialised session data, if any."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    uid = value.get(SESSION_USER_KEY) if isinstance(value, dict) else None
    return uid if isinstance(uid, int) and not isinstance(uid, bool) else None


async def end_sessions(user_id: int) -> int:
    """Revoke every live session of `user_id`; returns how many. Rows written
    before sessions carried a user_id are recognised by their data."""
    legacy = await SessionRecord.select(SessionRecord.id, SessionRecord.data).where(
        SessionRecord.user_id.is_null() & SessionRecord.revoked.eq(False)).run()
    ids = [r["id"] for r in legacy if session_user(bytes(r["data"])) == user_id]
    where = SessionRecord.user_id == user_id
    if ids:
        where |= SessionRecord.id.is_in(ids)
    rows = await SessionRecord.update({SessionRecord.revoked: True, SessionRecord.data: b"",
                                       SessionRecord.user_id: user_id}).where(
        where & SessionRecord.revoked.eq(False)).returning(SessionRecord.id).run()
    return len(rows)


async def end_session(key: str) -> None:
    """Revoke one session (a logout, or the id a login moved away from). The
    row stays as a tombstone until it expires, so a request of that session
    still in flight cannot write it back to life."""
    await SessionRecord.update({SessionRecord.revoked: True, SessionRecord.data: b""}).where(
        SessionRecord.key == key).run()


# A revoked session is kept as a tombstone so that a request of that session
# still in flight cannot write it back (server/security/session_store.py). No
# request lasts an hour, so a tombstone is cut to this and then purged.
TOMBSTONE_SECONDS = 3600


@dataclass
class SessionPurge:
    expired: int = 0  # live sessions past their expiry
    revoked: int = 0  # revoked tombstones past their (shortened) expiry
    tombstones_shortened: int = 0  # revoked rows whose expiry was cut to TOMBSTONE_SECONDS


async def purge_sessions(now: int | None = None) -> SessionPurge:
    """Delete expired session rows (live or revoked) and cut the remaining
    revoked rows to a short tombstone, purged by a later run."""
    ts = int(time.time()) if now is None else now
    gone = await SessionRecord.delete().where(
        (SessionRecord.expires_at < ts) | (SessionRecord.revoked.eq(True) & SessionRecord.expires_at.is_null())
    ).returning(SessionRecord.revoked).run()
    result = SessionPurge(expired=sum(1 for r in gone if not r["revoked"]),
                          revoked=sum(1 for r in gone if r["revoked"]))
    cut = await SessionRecord.update({SessionRecord.expires_at: ts + TOMBSTONE_SECONDS}).where(
        SessionRecord.revoked.eq(True) & (SessionRecord.expires_at > ts + TOMBSTONE_SECONDS)
    ).returning(SessionRecord.id).run()
    result.tombstones_shortened = len(cut)
    return result
