"""Ending a user's server-side sessions (after a password reset or a
deactivation): every device they are signed in on must sign in again.

Sessions are rows of SessionRecord (server/security/session_store.py is the
Litestar store over them). A row is revoked rather than deleted: see the
store for why a tombstone is needed."""

from __future__ import annotations

import json
import time

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


async def purge_expired() -> int:
    """Delete session rows past their expiry, revoked tombstones included (for
    a housekeeping command); returns how many. Empty sessions are never stored
    (server/security/session_backend.py), so only real sign-ins are kept."""
    rows = await SessionRecord.delete().where(
        SessionRecord.expires_at < int(time.time())
    ).returning(SessionRecord.id).run()
    return len(rows)
