"""A site's location tree: create, rename, move, retire and restore
locations; bulk CSV import (all rows or none) and export.

Retiring never deletes: visits keep pointing at the location. A retired
location (and everything under it) leaves the pack and its labels are revoked,
so old copies are refused from the next pack on."""

from __future__ import annotations

from server.db import engine as db
from server.db.tables import Location, RoundCheckpoint, Tag, Template
from server.domain import csv_locations
from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.setup_sites import active_member, active_member_usernames, require_site


async def all_locations(site_id: int) -> list[dict]:
    return await Location.select(
        Location.all_columns(),
        Location.responsible.username.as_alias("responsible_username"),
        Location.responsible.display_name.as_alias("responsible_name"),
        Location.template.key.as_alias("template_key"),
        Location.template.name_zh.as_alias("template_name_zh"),
        Location.template.name_en.as_alias("template_name_en"),
    ).where(Location.site == site_id).order_by(Location.id).run()


async def tree(site_id: int, *, include_retired: bool = False) -> list[dict]:
    """The site's locations depth-first with `depth`, `path_zh`/`path_en`
    and the number of active tags."""
    rows = await all_locations(site_id)
    paths_zh, paths_en = rules.paths(rows, "name_zh"), rules.paths(rows, "name_en")
    tags = await Tag.select(Tag.location).where((Tag.site == site_id) & Tag.revoked_at.is_null()).run()
    counts: dict[int, int] = {}
    for t in tags:
        counts[t["location"]] = counts.get(t["location"], 0) + 1
    for r in rows:
        r["path_zh"], r["path_en"] = paths_zh[r["id"]], paths_en[r["id"]]
        r["tags"] = counts.get(r["id"], 0)
        # for pickers: the location's own name first, then where it is
        for lang, paths in (("zh", paths_zh), ("en", paths_en)):
            own = r[f"name_{lang}"] or r["name_zh" if lang == "en" else "name_en"]
            parent = paths.get(r["parent"], "") if r["parent"] else ""
            r[f"label_{lang}"] = f"{own} · {parent}" if parent else own
    ordered = rules.tree_order(rows)
    return ordered if include_retired else [r for r in ordered if r["retired_at"] is None]


async def _location(site_id: int, location_id: int) -> dict:
    row = await Location.select().where(
        (Location.id == location_id) & (Location.site == site_id)).first().run()
    if row is None:
        raise RoundsError("not_found", {"object": "location"})
    return row


async def get(site_id: int, location_id: int) -> dict:
    return await _location(site_id, location_id)


async def _resolve(site_id: int, values: dict) -> dict:
    """Form values -> column values: checked references to parent, user, template."""
    out: dict = rules.clean_names(values)
    out["type"] = rules.clean_word(values.get("type", ""), "type")
    out["department"] = rules.clean_word(values.get("department", ""), "department")
    parent = rules.clean_id(values.get("parent"), "parent")
    if parent is not None:
        row = await Location.select(Location.id, Location.kind, Location.retired_at).where(
            (Location.id == parent) & (Location.site == site_id)).first().run()
        if row is None or row["retired_at"] is not None:
            raise rules.invalid("parent", "not a live location of this site")
        out["parent"] = row["id"]
        out["_parent_kind"] = row["kind"]
    else:
        out["parent"] = None
        out["_parent_kind"] = None
    out["responsible"] = await active_member(
        site_id, rules.clean_id(values.get("responsible"), "responsible"), "responsible")
    template = rules.clean_id(values.get("template"), "template")
    if template is not None:
        if not await Template.exists().where(
                (Template.id == template) & (Template.site == site_id)).run():
            raise rules.invalid("template", "not a checklist of this site")
    out["template"] = template
    return out


async def create(site_id: int, values: dict, *, actor: CurrentUser) -> int:
    await require_site(actor, site_id)
    key = rules.clean_key(values.get("key", ""))
    kind = rules.check_kind(values.get("kind"))
    clean = await _resolve(site_id, values)
    rules.check_placement(kind, clean.pop("_parent_kind"))
    if await Location.exists().where((Location.site == site_id) & (Location.key == key)).run():
        raise RoundsError("conflict", {"field": "key", "reason": "this key is used in the site"})
    siblings = await Location.count().where(
        (Location.site == site_id) & (Location.parent.is_null() if clean["parent"] is None
                                      else Location.parent == clean["parent"])).run()
    async with db.transaction():
        lid = (await Location.insert(Location(
            site=site_id, key=key, kind=kind, position=siblings, created_at=now(), **clean
        )).run())[0]["id"]
        await audit.record("setup.location.create", actor_id=actor.id, site_id=site_id,
                           object_type="location", object_id=lid, detail={"key": key, "kind": kind})
    return lid


async def update(site_id: int, location_id: int, values: dict, *, actor: CurrentUser) -> None:
    """Rename, retype, reassign, or move (a new parent) one location."""
    await require_site(actor, site_id)
    before = await _location(site_id, location_id)
    clean = await _resolve(site_id, values)
    kind = rules.check_kind(values.get("kind") or before["kind"])
    rules.check_placement(kind, clean.pop("_parent_kind"))
    if kind == "point" and before["kind"] != "point":
        if await Location.exists().where(Location.parent == location_id).run():
            raise rules.invalid("kind", "a checkpoint cannot contain other locations")
    clean["kind"] = kind
    if clean["parent"] != before["parent"]:
        parents = {r["id"]: r["parent"] for r in await Location.select(
            Location.id, Location.parent).where(Location.site == site_id).run()}
        rules.check_move(location_id, clean["parent"], parents)
    changed = {k: v for k, v in clean.items() if before.get(k) != v}
    if not changed:
        return
    async with db.transaction():
        await Location.update(changed).where(Location.id == location_id).run()
        await audit.record(
            "setup.location.move" if "parent" in changed else "setup.location.update",
            actor_id=actor.id, site_id=site_id, object_type="location", object_id=location_id,
            detail={"changed": sorted(changed), "from_parent": before["parent"],
                    "to_parent": clean["parent"]} if "parent" in changed
            else {"changed": sorted(changed)})


async def retire(site_id: int, location_id: int, *, actor: CurrentUser) -> int:
    """Retire the location and everything under it. Returns how many were
    retired. Refused while one of them is a checkpoint of an active round."""
    await require_site(actor, site_id)
    await _location(site_id, location_id)
    rows = await Location.select(Location.id, Location.parent, Location.retired_at).where(
        Location.site == site_id).run()
    ids = rules.subtree(location_id, {r["id"]: r["parent"] for r in rows})
    live = [r["id"] for r in rows if r["id"] in ids and r["retired_at"] is None]
    if not live:
        return 0
    in_use = await RoundCheckpoint.select(RoundCheckpoint.round.key.as_alias("round")).where(
        RoundCheckpoint.location.is_in(live) & (RoundCheckpoint.round.active.eq(True))).run()
    if in_use:
        raise RoundsError("location_in_use", {"rounds": sorted({r["round"] for r in in_use})})
    moment = now()
    async with db.transaction():
        await Location.update({Location.retired_at: moment}).where(Location.id.is_in(live)).run()
        revoked = await Tag.update({Tag.revoked_at: moment, Tag.revoked_reason: "location retired"}).where(
            Tag.location.is_in(live) & Tag.revoked_at.is_null()).returning(Tag.id).run()
        await audit.record("setup.location.retire", actor_id=actor.id, site_id=site_id,
                           object_type="location", object_id=location_id,
                           detail={"locations": sorted(live), "tags_revoked": len(revoked)})
    return len(live)


async def restore(site_id: int, location_id: int, *, actor: CurrentUser) -> None:
    """Bring a retired location back (its parent must be live). Its old labels
    stay revoked: issue new ones."""
    await require_site(actor, site_id)
    row = await _location(site_id, location_id)
    if row["retired_at"] is None:
        return
    if row["parent"] is not None:
        parent = await _location(site_id, row["parent"])
        if parent["retired_at"] is not None:
            raise rules.invalid("parent", "restore the parent location first")
    async with db.transaction():
        await Location.update({Location.retired_at: None}).where(Location.id == location_id).run()
        await audit.record("setup.location.restore", actor_id=actor.id, site_id=site_id,
                           object_type="location", object_id=location_id)


async def move_position(site_id: int, location_id: int, delta: int, *, actor: CurrentUser) -> None:
    """Move a location up (-1) or down (+1) among its siblings."""
    await require_site(actor, site_id)
    row = await _location(site_id, location_id)
    where = (Location.site == site_id) & Location.retired_at.is_null() & (
        Location.parent.is_null() if row["parent"] is None else Location.parent == row["parent"])
    siblings = await Location.select(Location.id, Location.position).where(where).run()
    siblings.sort(key=lambda r: (r["position"] or 0, r["id"]))
    ids = [s["id"] for s in siblings]
    i = ids.index(location_id)
    j = i + delta
    if not 0 <= j < len(ids):
        return
    ids[i], ids[j] = ids[j], ids[i]
    async with db.transaction():
        for position, lid in enumerate(ids):
            await Location.update({Location.position: position}).where(Location.id == lid).run()
        await audit.record("setup.location.reorder", actor_id=actor.id, site_id=site_id,
                           object_type="location", object_id=location_id, detail={"delta": delta})


# ------------------------------------------------------------------ CSV


async def _csv_context(site_id: int) -> tuple[dict[str, dict], dict[str, int], dict[str, int]]:
    """(key -> the location's fields as the CSV writes them, username -> id of
    the site's active members, template key -> id)."""
    rows = await all_locations(site_id)
    key_of = {r["id"]: r["key"] for r in rows}
    existing = {r["key"]: {
        "id": r["id"], "kind": r["kind"], "parent_key": key_of.get(r["parent"], ""), "type": r["type"],
        "name_zh": r["name_zh"], "name_en": r["name_en"], "department": r["department"],
        "responsible": r["responsible_username"] or "", "template": r["template_key"] or "",
        "retired": r["retired_at"] is not None} for r in rows}
    users = await active_member_usernames(site_id)
    templates = {t["key"]: t["id"] for t in await Template.select(Template.id, Template.key).where(
        Template.site == site_id).run()}
    return existing, users, templates


async def import_preview(site_id: int, text: str, *, actor: CurrentUser) -> csv_locations.Plan:
    await require_site(actor, site_id)
    existing, users, templates = await _csv_context(site_id)
    plan = csv_locations.plan(text, existing=existing, usernames=set(users), templates=set(templates))
    for row in plan.rows:
        if row.action != "create" and row.key in existing and existing[row.key]["retired"]:
            row.error("key", "this location is retired; restore it first")
        parent = row.values.get("parent_key", "")
        if parent in existing and existing[parent]["retired"]:
            row.error("parent_key", "the parent location is retired")
    return plan


_COLUMN_OF = {"parent_key": "parent", "kind": "kind", "type": "type", "name_zh": "name_zh", "name_en": "name_en",
              "department": "department", "responsible": "responsible", "template": "template"}


async def import_commit(site_id: int, text: str, *, actor: CurrentUser) -> dict[str, int]:
    """Write the whole file, or nothing: any row error refuses it all. An
    updated location changes only in the fields the plan says change."""
    plan = await import_preview(site_id, text, actor=actor)
    if not plan.ok:
        raise RoundsError("invalid_csv", {"errors": plan.error_count,
                                          "file": plan.file_errors[:5]})
    existing, users, templates = await _csv_context(site_id)
    ids = {k: v["id"] for k, v in existing.items()}
    moment = now()

    def column_value(field: str, value: str) -> object:
        if field == "parent_key":
            return ids[value] if value else None
        if field == "responsible":
            return users.get(value)
        if field == "template":
            return templates.get(value)
        return value

    async with db.transaction():
        for position, row in enumerate(csv_locations.creation_order(plan.rows)):
            if row.action == "create":
                values = {_COLUMN_OF[f]: column_value(f, row.values[f]) for f in csv_locations.FIELDS}
                ids[row.key] = (await Location.insert(Location(
                    site=site_id, key=row.key, position=position, created_at=moment, **values
                )).run())[0]["id"]
            elif row.action == "update":
                changed = {_COLUMN_OF[f]: column_value(f, new) for f, (_, new) in row.changes.items()}
                await Location.update(changed).where(Location.id == ids[row.key]).run()
        counts = plan.counts()
        await audit.record("setup.location.import", actor_id=actor.id, site_id=site_id,
                           object_type="site", object_id=site_id,
                           detail={"created": counts["create"], "updated": counts["update"],
                                   "unchanged": counts["unchanged"],
                                   "changes": {r.key: sorted(r.changes) for r in plan.rows if r.changes}})
    return {"created": counts["create"], "updated": counts["update"]}


async def export_csv(site_id: int, *, actor: CurrentUser) -> str:
    """The live locations as CSV. Audited like the site export: an export is
    the way a property's layout leaves the system."""
    await require_site(actor, site_id)
    rows = await tree(site_id)
    key_of = {r["id"]: r["key"] for r in rows}
    await audit.record("setup.location.export", actor_id=actor.id, site_id=site_id, object_type="site",
                       object_id=site_id, detail={"rows": len(rows)})
    return csv_locations.to_csv([{
        "key": r["key"], "parent_key": key_of.get(r["parent"], ""), "kind": r["kind"],
        "type": r["type"], "name_zh": r["name_zh"], "name_en": r["name_en"],
        "department": r["department"], "responsible": r["responsible_username"] or "",
        "template": r["template_key"] or "",
    } for r in rows])


async def rounds_using(site_id: int) -> dict[int, list[str]]:
    """location id -> keys of active rounds that visit it."""
    rows = await RoundCheckpoint.select(RoundCheckpoint.location, RoundCheckpoint.round.key.as_alias("key")).where(
        (RoundCheckpoint.round.site == site_id) & (RoundCheckpoint.round.active.eq(True))).run()
    out: dict[int, list[str]] = {}
    for r in rows:
        out.setdefault(r["location"], []).append(r["key"])
    return out

