"""Users, passwords, login throttling and the signed-in user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server.db import engine as db
from server.db import raw
from server.db.tables import LoginAttempt, Membership, Site, User
from server.domain.errors import RoundsError
from server.domain.roles import is_role
from server.lib.clock import now
from server.lib.passwords import DUMMY_HASH, hash_password, verify_password
from server.services import audit, sessions


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str
    role: str
    department: str
    language: str
    site_ids: frozenset[int]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "department": self.department,
            "language": self.language,
            "sites": sorted(self.site_ids),
        }


async def load_user(user_id: int) -> CurrentUser | None:
    """The signed-in user and their sites, in one query: every API request asks."""
    rows = await raw.fetch(lambda p: (
        'SELECT u."id", u."username", u."display_name", u."role", u."department", u."language", '
        'm."site" FROM "app_user" u LEFT JOIN "membership" m ON m."user" = u."id" '
        f'WHERE u."id" = {p(user_id)} AND u."active" = {p(True)}'))
    if not rows:
        return None
    row = rows[0]
    return CurrentUser(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        department=row["department"],
        language=row["language"],
        site_ids=frozenset(r["site"] for r in rows if r["site"] is not None),
    )


async def authenticate(
    username: str, password: str, *, ip: str, max_attempts: int, window_seconds: int,
    session_user_id: int | None = None,
) -> CurrentUser:
    """Check a password, refusing when this username or this address has failed
    too often recently. Every attempt is recorded.

    `session_user_id` is the user of a live session the client presented. A
    client already signed in as this very user is not held back by the
    per-username count (anyone can run that up to lock the account out), only
    by its own address's: a stranger guessing elsewhere cannot lock a phone
    that holds a valid session out of signing in again."""
    username = username.strip().lower()
    since = now() - timedelta(seconds=window_seconds)
    holds_session = session_user_id is not None and await User.exists().where(
        (User.username == username) & (User.id == session_user_id)).run()
    counted = (LoginAttempt.ip == ip) if holds_session else (
        (LoginAttempt.username == username) | (LoginAttempt.ip == ip))
    failures = await LoginAttempt.count().where(
        (LoginAttempt.at > since) & (LoginAttempt.ok.eq(False)) & counted
    ).run()
    if failures >= max_attempts:
        raise RoundsError("login_rate_limited", {"retry_after": window_seconds})
    row = await User.select(User.id, User.password_hash, User.active).where(
        User.username == username
    ).first().run()
    ok = verify_password(row["password_hash"] if row else DUMMY_HASH, password)
    ok = ok and row is not None and row["active"]
    await LoginAttempt.insert(LoginAttempt(username=username, ip=ip, ok=ok, at=now())).run()
    if not ok:
        raise RoundsError("bad_credentials")
    user = await load_user(row["id"])
    assert user is not None
    await audit.record("login", actor_id=user.id, object_type="user", object_id=user.id)
    return user


async def set_language(user: CurrentUser, language: str) -> None:
    if language not in ("zh-CN", "en"):
        raise RoundsError("validation_error", {"field": "language", "allowed": ["zh-CN", "en"]})
    async with db.transaction():
        await User.update({User.language: language}).where(User.id == user.id).run()
        await audit.record("user.language", actor_id=user.id, object_type="user", object_id=user.id,
                           detail={"from": user.language, "to": language})


async def record_logout(user_id: object) -> None:
    """A logout is audited when the session still named a user."""
    if isinstance(user_id, int) and await User.exists().where(User.id == user_id).run():
        await audit.record("logout", actor_id=user_id, object_type="user", object_id=user_id)


async def add_user(
    username: str,
    password: str,
    *,
    role: str,
    display_name: str = "",
    department: str = "",
    language: str = "zh-CN",
    site_codes: list[str] | None = None,
    actor_id: int | None = None,
) -> int:
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").isalnum():
        raise RoundsError("validation_error", {"field": "username"})
    if not is_role(role):
        raise RoundsError("validation_error", {"field": "role"})
    if len(password) < 8:
        raise RoundsError("validation_error", {"field": "password", "reason": "at least 8 characters"})
    sites = []
    for code in site_codes or []:
        site = await Site.select(Site.id).where(Site.code == code).first().run()
        if site is None:
            raise RoundsError("validation_error", {"field": "site", "value": code})
        sites.append(site["id"])
    if await User.exists().where(User.username == username).run():
        raise RoundsError("conflict", {"field": "username"})
    async with db.transaction():
        row = (
            await User.insert(
                User(
                    username=username,
                    password_hash=hash_password(password),
                    display_name=display_name or username,
                    role=role,
                    department=department,
                    language=language,
                    created_at=now(),
                )
            ).run()
        )[0]
        for site_id in sites:
            await Membership.insert(Membership(user=row["id"], site=site_id, created_at=now())).run()
        await audit.record("user.add", actor_id=actor_id, object_type="user", object_id=row["id"])
    return row["id"]


async def replace_password(user_id: int, password: str) -> int:
    """Give `user_id` a new password and end every session they hold (a
    password change by any path signs every device out); returns how many
    sessions ended. The caller holds the transaction and writes the audit."""
    if len(password) < 8:
        raise RoundsError("validation_error", {"field": "password", "reason": "at least 8 characters"})
    await User.update({User.password_hash: hash_password(password)}).where(User.id == user_id).run()
    return await sessions.end_sessions(user_id)


async def set_password(username: str, password: str, *, actor_id: int | None = None) -> None:
    row = await User.select(User.id).where(User.username == username.strip().lower()).first().run()
    if row is None:
        raise RoundsError("not_found", {"field": "username"})
    async with db.transaction():
        ended = await replace_password(row["id"], password)
        await audit.record("user.passwd", actor_id=actor_id, object_type="user", object_id=row["id"],
                           detail={"sessions_ended": ended})


async def list_users() -> list[dict]:
    users = await User.select(
        User.id, User.username, User.display_name, User.role, User.department, User.active
    ).order_by(User.username).run()
    memberships = await Membership.select(Membership.user, Membership.site.code).run()
    by_user: dict[int, list[str]] = {}
    for m in memberships:
        by_user.setdefault(m["user"], []).append(m["site.code"])
    for u in users:
        u["sites"] = sorted(by_user.get(u["id"], []))
    return users
