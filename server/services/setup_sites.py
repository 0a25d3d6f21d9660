"""Sites as an administrator sets them up: create, edit, and the rule that an
admin works only on sites they are a member of."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from server.db import engine as db
from server.db.tables import Location, Membership, Round, Site, Tag, Template
from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


def require_admin(user: CurrentUser) -> None:
    if user.role != "admin":
        raise RoundsError("forbidden", {"reason": "administrators only"})


async def require_site(user: CurrentUser, site_id: int) -> dict:
    """The site row, if `user` is an admin and a member of it."""
    require_admin(user)
    # Membership first: a site id that is not the admin's answers the same
    # whether or not it exists, so site ids cannot be probed.
    if site_id not in user.site_ids:
        raise RoundsError("site_forbidden")
    row = await Site.select().where(Site.id == site_id).first().run()
    if row is None:
        raise RoundsError("not_found", {"object": "site"})
    return row


async def active_member(site_id: int, user_id: int | None, field: str) -> int | None:
    """`user_id` if it is an active user who belongs to the site: a responsible
    person or a round's walker must be someone who works there (an id typed
    into the form could otherwise name a user of another property)."""
    if user_id is None:
        return None
    member = await Membership.exists().where(
        (Membership.user == user_id) & (Membership.site == site_id)
        & (Membership.user.active.eq(True))).run()
    if not member:
        raise rules.invalid(field, "not an active member of this site")
    return user_id


async def active_member_usernames(site_id: int) -> dict[str, int]:
    """username -> id of the site's active members (CSV import)."""
    rows = await Membership.select(Membership.user.id.as_alias("id"),
                                   Membership.user.username.as_alias("username")).where(
        (Membership.site == site_id) & (Membership.user.active.eq(True))).run()
    return {r["username"]: r["id"] for r in rows}


def clean_site(values: dict, *, with_code: bool) -> dict:
    out = rules.clean_names(values)
    if with_code:
        code = str(values.get("code", "")).strip().lower()
        if not _CODE.fullmatch(code):
            raise rules.invalid("code", "2-64 characters: a-z 0-9 -")
        out["code"] = code
    tz = str(values.get("timezone", "") or "Asia/Shanghai").strip()
    try:
        ZoneInfo(tz)
    except Exception:
        raise rules.invalid("timezone", "not a known time zone, e.g. Asia/Shanghai") from None
    out["timezone"] = tz
    for field in ("address_zh", "address_en"):
        text = str(values.get(field, "") or "").strip()
        if len(text) > 300:
            raise rules.invalid(field, "longer than 300 characters")
        out[field] = text
    return out


async def site_summaries(user: CurrentUser) -> list[dict]:
    """The admin's sites with counts for the setup overview."""
    if not user.site_ids:
        return []
    ids = sorted(user.site_ids)
    sites = await Site.select().where(Site.id.is_in(ids)).order_by(Site.id).run()
    for site in sites:
        sid = site["id"]
        site["locations"] = await Location.count().where(
            (Location.site == sid) & Location.retired_at.is_null()).run()
        site["tags"] = await Tag.count().where((Tag.site == sid) & Tag.revoked_at.is_null()).run()
        site["templates"] = await Template.count().where(Template.site == sid).run()
        site["rounds"] = await Round.count().where((Round.site == sid) & (Round.active.eq(True))).run()
    return sites


async def create_site(values: dict, *, actor: CurrentUser) -> int:
    require_admin(actor)
    clean = clean_site(values, with_code=True)
    if await Site.exists().where(Site.code == clean["code"]).run():
        raise RoundsError("conflict", {"field": "code", "reason": "a site with this code exists"})
    async with db.transaction():
        site_id = (await Site.insert(Site(created_at=now(), **clean)).run())[0]["id"]
        # the creator can see and set up the new site straight away
        await Membership.insert(Membership(user=actor.id, site=site_id, created_at=now())).run()
        await audit.record("setup.site.create", actor_id=actor.id, site_id=site_id,
                           object_type="site", object_id=site_id, detail={"code": clean["code"]})
    return site_id


async def update_site(site_id: int, values: dict, *, actor: CurrentUser) -> None:
    before = await require_site(actor, site_id)
    clean = clean_site(values, with_code=False)
    active = values.get("active")
    if active is not None:
        clean["active"] = bool(active)
    changed = {k: v for k, v in clean.items() if before.get(k) != v}
    if not changed:
        return
    async with db.transaction():
        await Site.update(changed).where(Site.id == site_id).run()
        await audit.record("setup.site.update", actor_id=actor.id, site_id=site_id, object_type="site",
                           object_id=site_id, detail={"changed": sorted(changed)})
