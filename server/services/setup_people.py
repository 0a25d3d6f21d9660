"""People: users, roles, departments, site membership, language, password
resets, deactivation. Users are never deleted (visits and the audit log point
at them). No change may leave the installation without an active admin.

An admin manages only the people who share one of the admin's sites, or who
have no site yet (just created, or every membership withdrawn): an admin of
one property cannot reset the password of a guard at another. A password
reset and a deactivation end the person's sessions on every device."""

from __future__ import annotations

from server.db import engine as db
from server.db.tables import Membership, Site, User
from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.domain.roles import is_role
from server.lib.clock import now
from server.services import accounts, audit, sessions
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_admin

MIN_PASSWORD = 8


def manageable(actor: CurrentUser, site_ids: list[int]) -> bool:
    """Whether `actor` may manage a person who belongs to `site_ids`."""
    return not site_ids or bool(set(site_ids) & set(actor.site_ids))


async def list_people(*, actor: CurrentUser, include_inactive: bool = True) -> list[dict]:
    """The people the admin may manage (see the module docstring)."""
    require_admin(actor)
    query = User.select(User.id, User.username, User.display_name, User.role, User.department,
                        User.language, User.active, User.created_at)
    if not include_inactive:
        query = query.where(User.active.eq(True))
    users = await query.order_by(User.active, ascending=False).order_by(User.username).run()
    sites: dict[int, list[int]] = {}
    for m in await Membership.select(Membership.user, Membership.site).run():
        sites.setdefault(m["user"], []).append(m["site"])
    for u in users:
        u["site_ids"] = sorted(sites.get(u["id"], []))
    return [u for u in users if manageable(actor, u["site_ids"])]


async def get(user_id: int, *, actor: CurrentUser) -> dict:
    require_admin(actor)
    row = await User.select(User.id, User.username, User.display_name, User.role, User.department,
                            User.language, User.active).where(User.id == user_id).first().run()
    if row is None:
        raise RoundsError("not_found", {"object": "user"})
    row["site_ids"] = sorted(m["site"] for m in await Membership.select(Membership.site).where(
        Membership.user == user_id).run())
    if not manageable(actor, row["site_ids"]):
        # someone who works only at other sites reads as unknown: ids cannot be probed
        raise RoundsError("not_found", {"object": "user"})
    return row


def _clean(values: dict) -> dict:
    display = str(values.get("display_name", "") or "").strip()
    if len(display) > 100:
        raise rules.invalid("display_name", "longer than 100 characters")
    role = values.get("role", "")
    if not is_role(str(role)):
        raise rules.invalid("role", "choose a role")
    language = values.get("language") or "zh-CN"
    if language not in ("zh-CN", "en"):
        raise rules.invalid("language", "zh-CN or en")
    department = rules.clean_word(values.get("department", "") or "", "department")
    return {"display_name": display, "role": role, "language": language, "department": department}


async def _site_ids(raw: list, actor: CurrentUser) -> list[int]:
    """The sites ticked on the form. An admin grants only sites they are a
    member of; any other id, known or not, gets the same answer."""
    ids = sorted({int(s) for s in raw if str(s).isdigit()})
    if set(ids) - set(actor.site_ids):
        raise RoundsError("site_forbidden", {"field": "sites"})
    found = {r["id"] for r in await Site.select(Site.id).where(Site.id.is_in(ids or [-1])).run()}
    if found != set(ids):
        raise rules.invalid("sites", "unknown site")
    return ids


async def _other_active_admins(user_id: int) -> int:
    return await User.count().where(
        (User.role == "admin") & (User.active.eq(True)) & (User.id != user_id)).run()


async def create(values: dict, site_ids: list, *, actor: CurrentUser) -> int:
    require_admin(actor)
    clean = _clean(values)
    sites = await _site_ids(site_ids, actor)
    password = str(values.get("password", ""))
    if len(password) < MIN_PASSWORD:
        raise rules.invalid("password", f"at least {MIN_PASSWORD} characters")
    codes = [r["code"] for r in await Site.select(Site.code).where(Site.id.is_in(sites or [-1])).run()]
    try:
        return await accounts.add_user(str(values.get("username", "")), password, role=clean["role"],
                                       display_name=clean["display_name"], department=clean["department"],
                                       language=clean["language"], site_codes=codes, actor_id=actor.id)
    except RoundsError as exc:
        if exc.code == "conflict":
            raise RoundsError("conflict", {"field": "username", "reason": "this username is taken"}) from None
        if exc.code == "validation_error" and exc.detail.get("field") == "username":
            raise rules.invalid("username", "letters, digits, . and _ (up to 64)") from None
        raise


async def update(user_id: int, values: dict, site_ids: list, *, actor: CurrentUser) -> None:
    before = await get(user_id, actor=actor)
    clean = _clean(values)
    sites = await _site_ids(site_ids, actor)
    changed = {k: v for k, v in clean.items() if before[k] != v}
    # an admin grants and withdraws only the sites they are a member of
    mine = set(actor.site_ids)
    add = set(sites) - set(before["site_ids"])
    remove = (set(before["site_ids"]) & mine) - set(sites)
    if not changed and not add and not remove:
        return
    async with db.transaction():
        if before["role"] == "admin" and clean["role"] != "admin" and before["active"]:
            if await _other_active_admins(user_id) == 0:
                raise RoundsError("last_admin", {"field": "role"})
        if changed:
            await User.update(changed).where(User.id == user_id).run()
        if remove:
            await Membership.delete().where((Membership.user == user_id) & Membership.site.is_in(sorted(remove))).run()
        for site_id in sorted(add):
            await Membership.insert(Membership(user=user_id, site=site_id, created_at=now())).run()
        await audit.record("setup.user.update", actor_id=actor.id, object_type="user", object_id=user_id,
                           detail={"changed": sorted(changed), "sites_added": sorted(add),
                                   "sites_removed": sorted(remove),
                                   **({"role": [before["role"], clean["role"]]} if "role" in changed else {})})


async def reset_password(user_id: int, password: str, *, actor: CurrentUser) -> None:
    await get(user_id, actor=actor)
    if len(password) < MIN_PASSWORD:
        raise rules.invalid("password", f"at least {MIN_PASSWORD} characters")
    async with db.transaction():
        ended = await accounts.replace_password(user_id, password)
        await audit.record("setup.user.reset_password", actor_id=actor.id, object_type="user", object_id=user_id,
                           detail={"sessions_ended": ended})


async def set_active(user_id: int, active: bool, *, actor: CurrentUser) -> None:
    """Deactivate (the user can no longer log in; their history stays) or
    reactivate. The last active admin cannot be deactivated."""
    before = await get(user_id, actor=actor)
    if before["active"] == active:
        return
    async with db.transaction():
        # checked inside the write transaction: two admins deactivating each
        # other at once must not both succeed
        if not active and before["role"] == "admin" and await _other_active_admins(user_id) == 0:
            raise RoundsError("last_admin", {"field": "active"})
        await User.update({User.active: active}).where(User.id == user_id).run()
        ended = 0 if active else await sessions.end_sessions(user_id)
        await audit.record("setup.user.activate" if active else "setup.user.deactivate",
                           actor_id=actor.id, object_type="user", object_id=user_id,
                           detail={"sessions_ended": ended})


async def active_users(site_id: int | None = None) -> list[dict]:
    """For pickers (responsible person, round assignee)."""
    query = User.select(User.id, User.username, User.display_name, User.role, User.department).where(
        User.active.eq(True))
    if site_id is not None:
        members = [m["user"] for m in await Membership.select(Membership.user).where(Membership.site == site_id).run()]
        query = query.where(User.id.is_in(members or [-1]))
    return await query.order_by(User.display_name).run()
