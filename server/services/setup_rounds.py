"""Rounds (routes): checkpoints in order or in any order, a checklist per
checkpoint, a schedule rule, and who walks it (a person or a role); plus a
preview of the coming days' occurrences."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.db import engine as db
from server.db.tables import Location, Round, RoundCheckpoint, Template, TemplateVersion
from server.domain import locations as rules
from server.domain import schedule
from server.domain.errors import RoundsError
from server.domain.roles import ROLES, VISIT_KINDS
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.catalog import round_seed
from server.services.setup_sites import active_member, require_site

PREVIEW_DAYS = 7


async def list_rounds(site_id: int) -> list[dict]:
    rows = await Round.select(
        Round.all_columns(), Round.assignee.display_name.as_alias("assignee_name"),
    ).where(Round.site == site_id).order_by(Round.active, ascending=False).order_by(Round.key).output(
        load_json=True).run()
    counts: dict[int, int] = {}
    for cp in await RoundCheckpoint.select(RoundCheckpoint.round).where(
            RoundCheckpoint.round.is_in([r["id"] for r in rows] or [-1])).run():
        counts[cp["round"]] = counts.get(cp["round"], 0) + 1
    for r in rows:
        r["checkpoints"] = counts.get(r["id"], 0)
        r["describe_zh"], r["describe_en"] = _describe(r["schedule"])
    return rows


def _describe(rule: dict) -> tuple[str, str]:
    try:
        parsed = schedule.parse_rule(rule)
    except RoundsError:
        return "按需", "on demand"
    return schedule.describe(parsed, "zh"), schedule.describe(parsed, "en")


async def get(site_id: int, round_id: int) -> dict:
    row = await Round.select().where((Round.id == round_id) & (Round.site == site_id)).output(
        load_json=True).first().run()
    if row is None:
        raise RoundsError("not_found", {"object": "round"})
    row["checkpoint_rows"] = await RoundCheckpoint.select(
        RoundCheckpoint.all_columns(), RoundCheckpoint.location.name_zh.as_alias("name_zh"),
        RoundCheckpoint.location.name_en.as_alias("name_en"),
        RoundCheckpoint.location.retired_at.as_alias("retired_at"),
        RoundCheckpoint.template.name_zh.as_alias("template_name_zh"),
        RoundCheckpoint.template.name_en.as_alias("template_name_en"),
    ).where(RoundCheckpoint.round == round_id).order_by(RoundCheckpoint.position).run()
    row["describe_zh"], row["describe_en"] = _describe(row["schedule"])
    return row


async def _clean(site_id: int, values: dict, rule: dict) -> dict:
    out = rules.clean_names(values)
    kind = values.get("kind") or "patrol"
    if kind not in VISIT_KINDS:
        raise rules.invalid("kind", "one of " + ", ".join(VISIT_KINDS))
    out["kind"] = kind
    out["department"] = rules.clean_word(values.get("department", "") or "", "department")
    role = values.get("assigned_role") or ""
    if role and role not in ROLES:
        raise rules.invalid("assigned_role", "not a role")
    out["assigned_role"] = role
    assignee = await active_member(site_id, rules.clean_id(values.get("assignee"), "assignee"), "assignee")
    out["assignee"] = assignee
    if not role and assignee is None:
        raise rules.invalid("assigned_role", "assign a person or a role")
    out["ordered"] = bool(values.get("ordered"))
    out["schedule"] = schedule.parse_rule(rule).to_dict()
    return out


async def create(site_id: int, values: dict, rule: dict, *, actor: CurrentUser) -> int:
    await require_site(actor, site_id)
    key = rules.clean_key(values.get("key", ""))
    clean = await _clean(site_id, values, rule)
    if await Round.exists().where((Round.site == site_id) & (Round.key == key)).run():
        raise RoundsError("conflict", {"field": "key", "reason": "this key is used in the site"})
    async with db.transaction():
        rid = (await Round.insert(Round(site=site_id, key=key, active=True, created_at=now(), **clean)).run())[0]["id"]
        await audit.record("setup.round.create", actor_id=actor.id, site_id=site_id, object_type="round",
                           object_id=rid, detail={"key": key, "schedule": clean["schedule"]})
    return rid


async def update(site_id: int, round_id: int, values: dict, rule: dict, *, actor: CurrentUser) -> None:
    await require_site(actor, site_id)
    before = await get(site_id, round_id)
    clean = await _clean(site_id, values, rule)
    changed = {k: v for k, v in clean.items() if before.get(k) != v}
    if not changed:
        return
    async with db.transaction():
        await Round.update(changed).where(Round.id == round_id).run()
        await audit.record("setup.round.update", actor_id=actor.id, site_id=site_id, object_type="round",
                           object_id=round_id, detail={"changed": sorted(changed)})


async def set_active(site_id: int, round_id: int, active: bool, *, actor: CurrentUser) -> None:
    await require_site(actor, site_id)
    await get(site_id, round_id)
    async with db.transaction():
        await Round.update({Round.active: active}).where(Round.id == round_id).run()
        await audit.record("setup.round.activate" if active else "setup.round.deactivate",
                           actor_id=actor.id, site_id=site_id, object_type="round", object_id=round_id)


async def set_checkpoints(site_id: int, round_id: int, checkpoints: list[tuple[int, int]], *,
                          actor: CurrentUser) -> None:
    """Replace the route: [(location id, template id)] in walking order. Each
    location is a live checkpoint of the site, each template is published."""
    await require_site(actor, site_id)
    await get(site_id, round_id)
    loc_ids = [c[0] for c in checkpoints]
    if len(set(loc_ids)) != len(loc_ids):
        raise rules.invalid("checkpoints", "a location is on the route twice")
    locs = {r["id"]: r for r in await Location.select(Location.id, Location.kind, Location.retired_at).where(
        Location.id.is_in(loc_ids or [-1]) & (Location.site == site_id)).run()}
    published = {r["template"] for r in await TemplateVersion.select(TemplateVersion.template).where(
        TemplateVersion.template.site == site_id).run()}
    templates = {r["id"] for r in await Template.select(Template.id).where(Template.site == site_id).run()}
    for i, (lid, tid) in enumerate(checkpoints):
        loc = locs.get(lid)
        if loc is None or loc["retired_at"] is not None or loc["kind"] != "point":
            raise rules.invalid(f"checkpoints[{i}].location", "not a live checkpoint of this site")
        if tid not in templates:
            raise rules.invalid(f"checkpoints[{i}].template", "not a checklist of this site")
        if tid not in published:
            raise rules.invalid(f"checkpoints[{i}].template", "publish this checklist first")
    async with db.transaction():
        await RoundCheckpoint.delete().where(RoundCheckpoint.round == round_id).run()
        if checkpoints:
            await RoundCheckpoint.insert(*[
                RoundCheckpoint(round=round_id, location=lid, template=tid, position=pos)
                for pos, (lid, tid) in enumerate(checkpoints, start=1)]).run()
        await audit.record("setup.round.checkpoints", actor_id=actor.id, site_id=site_id,
                           object_type="round", object_id=round_id,
                           detail={"checkpoints": [[lid, tid] for lid, tid in checkpoints]})


def preview(rule: dict, *, tz: str, at: datetime, secret: str, round_id: int | None,
            days: int = PREVIEW_DAYS) -> list[dict]:
    """The occurrences of the next `days` local days (today included), with
    local start/end/grace times. A random_daily occurrence shows its whole
    allowed span, not the drawn time: the point of an unannounced check is
    that nobody can look it up in advance."""
    parsed = schedule.parse_rule(rule)
    today = schedule.local_today(at, tz)
    seed = round_seed(secret, round_id) if round_id else "preview"
    occs = schedule.occurrences_between(parsed, today, today + timedelta(days=days - 1), tz, seed=seed)
    zone = ZoneInfo(tz)
    out = []
    for occ in occs:
        item = {"key": occ.key, "day": occ.day, "index": occ.index,
                "start": occ.start.astimezone(zone), "end": occ.end.astimezone(zone),
                "grace_end": occ.grace_end.astimezone(zone), "hidden": parsed.type == "random_daily"}
        out.append(item)
    by_day: list[dict] = []
    for n in range(days):
        day = today + timedelta(days=n)
        by_day.append({"day": day, "occurrences": [o for o in out if o["day"] == day]})
    return by_day
