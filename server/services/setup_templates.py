"""Checklist templates: the editable draft (Template.draft_items), publishing
it as a new immutable TemplateVersion, copying, the starting library (the
standards of the source documents, server/demo/catalog.py), and JSON
import/export. Visits keep pointing at the version they used: nothing here
updates or deletes a TemplateVersion."""

from __future__ import annotations

from server.db import engine as db
from server.db.tables import Location, RoundCheckpoint, Template, TemplateVersion
from server.demo import catalog
from server.domain import checklist, reference_photo, template_document
from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.lib.canonical import fingerprint
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.photo_views import photo_sites
from server.services.setup_sites import require_site


def _clean_header(values: dict) -> dict:
    out = rules.clean_names(values)
    out["department"] = rules.clean_word(values.get("department", "") or "", "department")
    return out


def _draft_items(raw: object) -> list[dict]:
    """A draft may be empty (a checklist being written); otherwise it must be
    a valid list of items."""
    if raw == []:
        return []
    return checklist.validate_items(raw)


async def _check_references(site_id: int, items: list[dict]) -> None:
    """A reference given as a submitted photo's UUID must name a photo of this
    site (its record stored here): otherwise publishing it would show another
    site's photo on this site's review screen."""
    refs = [reference_photo.photo_uuid(item.get("reference_photo")) for item in items]
    wanted = {index: ref for index, ref in enumerate(refs) if ref}
    if not wanted:
        return
    sites = await photo_sites(list(set(wanted.values())))
    for index, ref in wanted.items():
        if sites.get(ref) != site_id:
            raise RoundsError("invalid_template", {"index": index, "field": "reference_photo",
                                                   "reason": "not a photo of this site"})


async def _latest(template_id: int) -> dict | None:
    return await TemplateVersion.select().where(TemplateVersion.template == template_id).order_by(
        TemplateVersion.version, ascending=False).output(load_json=True).first().run()


async def list_templates(site_id: int) -> list[dict]:
    rows = await Template.select().where(Template.site == site_id).order_by(Template.key).output(
        load_json=True).run()
    versions = await TemplateVersion.select(
        TemplateVersion.template, TemplateVersion.version, TemplateVersion.checksum,
        TemplateVersion.published_at,
    ).where(TemplateVersion.template.is_in([r["id"] for r in rows] or [-1])).run()
    latest: dict[int, dict] = {}
    for v in versions:
        if v["template"] not in latest or v["version"] > latest[v["template"]]["version"]:
            latest[v["template"]] = v
    used = await Location.select(Location.template).where(
        (Location.site == site_id) & Location.retired_at.is_null() & Location.template.is_not_null()).run()
    uses: dict[int, int] = {}
    for u in used:
        uses[u["template"]] = uses.get(u["template"], 0) + 1
    for r in rows:
        v = latest.get(r["id"])
        r["version"] = v["version"] if v else None
        r["published_at"] = v["published_at"] if v else None
        r["draft_changed"] = v is None or fingerprint(r["draft_items"]) != v["checksum"] or False
        r["item_count"] = len(r["draft_items"])
        r["locations"] = uses.get(r["id"], 0)
    return rows


async def get(site_id: int, template_id: int) -> dict:
    row = await Template.select().where((Template.id == template_id) & (Template.site == site_id)).output(
        load_json=True).first().run()
    if row is None:
        raise RoundsError("not_found", {"object": "template"})
    row["versions"] = await TemplateVersion.select(
        TemplateVersion.id, TemplateVersion.version, TemplateVersion.published_at,
        TemplateVersion.checksum, TemplateVersion.published_by.display_name.as_alias("published_by_name"),
    ).where(TemplateVersion.template == template_id).order_by(TemplateVersion.version, ascending=False).run()
    latest = row["versions"][0] if row["versions"] else None
    row["draft_changed"] = latest is None or fingerprint(row["draft_items"]) != latest["checksum"]
    return row


async def version(site_id: int, version_id: int) -> dict:
    row = await TemplateVersion.select(
        TemplateVersion.all_columns(), TemplateVersion.template.site.as_alias("site_id"),
        TemplateVersion.template.key.as_alias("template_key"),
    ).where(TemplateVersion.id == version_id).output(load_json=True).first().run()
    if row is None or row["site_id"] != site_id:
        raise RoundsError("not_found", {"object": "template version"})
    return row


async def _free_key(site_id: int, key: str) -> str:
    taken = {r["key"] for r in await Template.select(Template.key).where(Template.site == site_id).run()}
    if key not in taken:
        return key
    n = 2
    while f"{key}-{n}"[:64] in taken:
        n += 1
    return f"{key}-{n}"[:64]


async def create(site_id: int, values: dict, *, actor: CurrentUser, items: list | None = None,
                 publish: bool = False, action: str = "setup.template.create") -> int:
    """A new template with a draft (empty unless `items`), published at once
    when `publish`."""
    await require_site(actor, site_id)
    key = rules.clean_key(values.get("key", ""))
    header = _clean_header(values)
    draft = _draft_items(items or [])
    await _check_references(site_id, draft)
    if await Template.exists().where((Template.site == site_id) & (Template.key == key)).run():
        raise RoundsError("conflict", {"field": "key", "reason": "this key is used in the site"})
    async with db.transaction():
        tid = (await Template.insert(Template(site=site_id, key=key, draft_items=draft, created_at=now(),
                                              **header)).run())[0]["id"]
        await audit.record(action, actor_id=actor.id, site_id=site_id, object_type="template",
                           object_id=tid, detail={"key": key, "items": len(draft)})
        if publish:
            await _publish(site_id, tid, actor)
    return tid


async def save_draft(site_id: int, template_id: int, values: dict, items: list, *,
                     actor: CurrentUser) -> None:
    await require_site(actor, site_id)
    before = await get(site_id, template_id)
    header = _clean_header(values)
    draft = _draft_items(items)
    await _check_references(site_id, draft)
    changed = {k: v for k, v in header.items() if before[k] != v}
    if draft != before["draft_items"]:
        changed["draft_items"] = draft
    if not changed:
        return
    async with db.transaction():
        await Template.update(changed).where(Template.id == template_id).run()
        await audit.record("setup.template.save_draft", actor_id=actor.id, site_id=site_id,
                           object_type="template", object_id=template_id,
                           detail={"changed": sorted(changed), "items": len(draft)})


async def _publish(site_id: int, template_id: int, actor: CurrentUser) -> tuple[int, bool]:
    row = await Template.select().where(Template.id == template_id).output(load_json=True).first().run()
    items = checklist.validate_items(row["draft_items"])  # a version needs at least one valid item
    await _check_references(site_id, items)  # a draft saved before this check was made
    checksum = fingerprint(items)
    latest = await _latest(template_id)
    if latest is not None and latest["checksum"] == checksum and latest["name_zh"] == row["name_zh"] \
            and latest["name_en"] == row["name_en"]:
        return latest["version"], False
    number = 1 if latest is None else latest["version"] + 1
    vid = (await TemplateVersion.insert(TemplateVersion(
        template=template_id, version=number, name_zh=row["name_zh"], name_en=row["name_en"],
        items=items, checksum=checksum, published_at=now(), published_by=actor.id,
    )).run())[0]["id"]
    await audit.record("setup.template.publish", actor_id=actor.id, site_id=site_id,
                       object_type="template", object_id=template_id,
                       detail={"version": number, "version_id": vid, "items": len(items)})
    return number, True


async def publish(site_id: int, template_id: int, *, actor: CurrentUser) -> tuple[int, bool]:
    """Freeze the draft as the next version. Returns (version, created);
    an unchanged draft creates nothing and returns the latest version."""
    await require_site(actor, site_id)
    await get(site_id, template_id)
    async with db.transaction():
        return await _publish(site_id, template_id, actor)


async def discard_draft(site_id: int, template_id: int, *, actor: CurrentUser) -> None:
    """Throw the draft's changes away: back to the latest published version."""
    await require_site(actor, site_id)
    await get(site_id, template_id)
    latest = await _latest(template_id)
    if latest is None:
        raise rules.invalid("draft", "nothing has been published yet")
    async with db.transaction():
        await Template.update({"draft_items": latest["items"], "name_zh": latest["name_zh"],
                               "name_en": latest["name_en"]}).where(Template.id == template_id).run()
        await audit.record("setup.template.discard_draft", actor_id=actor.id, site_id=site_id,
                           object_type="template", object_id=template_id,
                           detail={"back_to_version": latest["version"]})


async def copy(site_id: int, template_id: int, *, actor: CurrentUser, to_site: int | None = None,
               key: str = "") -> int:
    """A new template (draft only) with this one's draft, in this site or
    another site of the admin's. Both sites must be the admin's: the source
    is checked too, or any template id could be copied out of any site."""
    await require_site(actor, site_id)
    source = await get(site_id, template_id)
    target = to_site or site_id
    await require_site(actor, target)
    new_key = rules.clean_key(key) if key else await _free_key(target, source["key"] + "-copy")
    names = {"name_zh": f"{source['name_zh']}（副本）" if source["name_zh"] and target == site_id
             else source["name_zh"],
             "name_en": f"{source['name_en']} (copy)" if source["name_en"] and target == site_id
             else source["name_en"]}
    return await create(target, {"key": new_key, **names, "department": source["department"]},
                        actor=actor, items=source["draft_items"], action="setup.template.copy")


def library() -> list[dict]:
    """The starting templates (the standards of the source documents)."""
    return [{"key": t["key"], "name_zh": t["name_zh"], "name_en": t["name_en"],
             "department": t.get("department", ""), "items": len(t["items"])} for t in catalog.TEMPLATES]


async def add_from_library(site_id: int, key: str, *, actor: CurrentUser) -> int:
    """Copy a starting template into the site, published as version 1 so it
    can be used at once; edit and publish again to adapt it."""
    source = next((t for t in catalog.TEMPLATES if t["key"] == key), None)
    if source is None:
        raise RoundsError("not_found", {"object": "library template"})
    await require_site(actor, site_id)
    new_key = await _free_key(site_id, key)
    return await create(site_id, {"key": new_key, "name_zh": source["name_zh"], "name_en": source["name_en"],
                                  "department": source.get("department", "")},
                        actor=actor, items=source["items"], publish=True, action="setup.template.from_library")


async def export_document(site_id: int, template_id: int, *, actor: CurrentUser) -> dict:
    await require_site(actor, site_id)
    row = await get(site_id, template_id)
    latest = await _latest(template_id)
    # the published version when there is one: that is what the field uses
    items = latest["items"] if latest and not row["draft_changed"] else row["draft_items"]
    return template_document.to_document(row, items)


async def import_document(site_id: int, raw: object, *, actor: CurrentUser) -> int:
    """A template from a JSON document, as a draft (publish it after review)."""
    await require_site(actor, site_id)
    doc = template_document.from_document(raw)
    key = await _free_key(site_id, doc["key"])
    return await create(site_id, {"key": key, "name_zh": doc["name_zh"], "name_en": doc["name_en"],
                                  "department": doc["department"]},
                        actor=actor, items=doc["items"], action="setup.template.import")


async def published_templates(site_id: int) -> list[dict]:
    """Templates with at least one published version (usable at a checkpoint)."""
    return [t for t in await list_templates(site_id) if t["version"]]


async def in_rounds(template_id: int) -> int:
    return await RoundCheckpoint.count().where(RoundCheckpoint.template == template_id).run()


async def visit_against_version(site_id: int, visit_id: int) -> dict:
    """A visit with the items of the version it used and its answers (read-only),
    however the template's draft or later versions have changed since."""
    from server.db.tables import Answer, Visit

    visit = await Visit.select(
        Visit.all_columns(), Visit.user.display_name.as_alias("user_name"),
        Visit.location.name_zh.as_alias("location_zh"), Visit.location.name_en.as_alias("location_en"),
    ).where((Visit.id == visit_id) & (Visit.site == site_id)).first().run()
    if visit is None:
        raise RoundsError("not_found", {"object": "visit"})
    visit["version"] = await version(site_id, visit["template_version"])
    # Decoded here rather than with .output(load_json=True): databases made
    # before answer.value was declared TEXT on SQLite (migration 2026-12-04)
    # may still hold a number as a REAL until migrated, which that loader refuses.
    answers = await Answer.select().where(Answer.visit == visit_id).run()
    visit["answers"] = {a["item_id"]: {**a, "value_text": _value_text(_json(a["value"])),
                                       "photo_count": len(_json(a["photos"]) or [])} for a in answers}
    return visit


def _json(value: object) -> object:
    import json

    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _value_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)
