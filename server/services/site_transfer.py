"""Export a site's whole setup as one JSON document and import it again: into
an empty database to restore, or beside the original (with a new site code
and freshly issued labels) to copy a property. See server/domain/site_document.py."""

from __future__ import annotations

from datetime import datetime

from server.db import engine as db
from server.db.tables import (
    Location,
    Membership,
    Round,
    RoundCheckpoint,
    Site,
    Tag,
    Template,
    TemplateVersion,
    User,
)
from server.domain import locations as rules
from server.domain import site_document
from server.domain.errors import RoundsError
from server.lib.canonical import fingerprint
from server.lib.clock import now
from server.lib.codes import short_code, tag_code
from server.services import audit
from server.services.accounts import CurrentUser


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def export_site(site_id: int, *, actor_id: int | None = None) -> dict:
    """The document (authorisation is the caller's: require_site or the CLI).
    It holds every live label code, so each export is audited (`actor_id`
    None: the CLI)."""
    site = await Site.select().where(Site.id == site_id).first().run()
    if site is None:
        raise RoundsError("not_found", {"object": "site"})
    usernames = {u["id"]: u["username"] for u in await User.select(User.id, User.username).run()}
    templates = await Template.select().where(Template.site == site_id).order_by(Template.key).output(
        load_json=True).run()
    template_keys = {t["id"]: t["key"] for t in templates}
    versions = await TemplateVersion.select().where(
        TemplateVersion.template.is_in(list(template_keys) or [-1])).order_by(TemplateVersion.version).output(
        load_json=True).run()
    locations = rules.tree_order(await Location.select().where(Location.site == site_id).run())
    location_keys = {loc["id"]: loc["key"] for loc in locations}
    tags = await Tag.select().where(Tag.site == site_id).order_by(Tag.issued_at).order_by(Tag.id).run()
    rounds = await Round.select().where(Round.site == site_id).order_by(Round.key).output(load_json=True).run()
    checkpoints = await RoundCheckpoint.select().where(
        RoundCheckpoint.round.is_in([r["id"] for r in rounds] or [-1])).order_by(RoundCheckpoint.position).run()
    await audit.record("setup.site.export", actor_id=actor_id, site_id=site_id, object_type="site",
                       object_id=site_id, detail={"tags": len(tags),
                                                  "live_tags": sum(1 for t in tags if t["revoked_at"] is None)})
    return {
        "format": site_document.FORMAT, "version": site_document.VERSION, "exported_at": now().isoformat(),
        "site": {k: site[k] for k in ("code", "name_zh", "name_en", "timezone", "address_zh", "address_en",
                                       "active")},
        "locations": [{
            "key": loc["key"], "parent_key": location_keys.get(loc["parent"], ""), "kind": loc["kind"],
            "type": loc["type"], "name_zh": loc["name_zh"], "name_en": loc["name_en"],
            "department": loc["department"], "responsible": usernames.get(loc["responsible"], ""),
            "template": template_keys.get(loc["template"], ""), "position": loc["position"],
            "retired_at": _iso(loc["retired_at"]),
        } for loc in locations],
        "tags": [{
            "location": location_keys[t["location"]], "code": t["code"], "short_code": t["short_code"],
            "batch": t["batch"], "issued_at": _iso(t["issued_at"]), "revoked_at": _iso(t["revoked_at"]),
            "revoked_reason": t["revoked_reason"],
        } for t in tags],
        "templates": [{
            "key": t["key"], "name_zh": t["name_zh"], "name_en": t["name_en"], "department": t["department"],
            "draft_items": t["draft_items"],
            "versions": [{"version": v["version"], "name_zh": v["name_zh"], "name_en": v["name_en"],
                          "items": v["items"], "published_at": _iso(v["published_at"])}
                         for v in versions if v["template"] == t["id"]],
        } for t in templates],
        "rounds": [{
            "key": r["key"], "name_zh": r["name_zh"], "name_en": r["name_en"], "kind": r["kind"],
            "department": r["department"], "assigned_role": r["assigned_role"],
            "assignee": usernames.get(r["assignee"], ""), "ordered": r["ordered"], "active": r["active"],
            "schedule": r["schedule"],
            "checkpoints": [{"location": location_keys[cp["location"]], "template": template_keys[cp["template"]]}
                            for cp in checkpoints if cp["round"] == r["id"]],
        } for r in rounds],
    }


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def import_site(raw: object, *, actor: CurrentUser | None, code: str | None = None,
                      fresh_labels: bool = False) -> dict:
    """Create the site from a document, all or nothing. `code` renames the site
    (to copy it beside the original). `fresh_labels` issues new codes for the
    active labels and leaves revoked ones out: needed when the original's
    labels exist in the same database. Returns a summary with any usernames
    the document names that do not exist here (left unassigned)."""
    if actor is not None and actor.role != "admin":
        raise RoundsError("forbidden", {"reason": "administrators only"})
    if code is not None:
        raw = {**raw, "site": {**raw.get("site", {}), "code": code}} if isinstance(raw, dict) else raw
    doc = site_document.validate(raw)
    site = doc["site"]
    if await Site.exists().where(Site.code == site["code"]).run():
        raise RoundsError("conflict", {"field": "code", "reason": "a site with this code exists"})
    tags = doc["tags"]
    if fresh_labels:
        tags = [{**t, "code": tag_code(), "short_code": short_code()} for t in tags if not t["revoked_at"]]
    else:
        clash = await Tag.select(Tag.code).where(
            Tag.code.is_in([t["code"] for t in tags] or ["-"]) | Tag.short_code.is_in(
                [t["short_code"] for t in tags] or ["-"])).first().run()
        if clash:
            raise RoundsError("conflict", {"field": "tags", "reason": "label codes already exist here; "
                                           "import with fresh labels to copy a site"})
    users = {u["username"]: u["id"] for u in await User.select(User.id, User.username).run()}
    if actor is not None:
        # an admin assigns only people they may manage (who share one of their
        # sites, or have none): a name in the file must not pull in a person
        # from another property
        from server.services.setup_people import manageable

        sites: dict[int, list[int]] = {}
        for m in await Membership.select(Membership.user, Membership.site).run():
            sites.setdefault(m["user"], []).append(m["site"])
        users = {name: uid for name, uid in users.items() if manageable(actor, sites.get(uid, []))}
    missing = sorted({name for name in [loc["responsible"] for loc in doc["locations"]]
                      + [r["assignee"] for r in doc["rounds"]] if name and name not in users})
    moment = now()
    async with db.transaction():
        site_id = (await Site.insert(Site(created_at=moment, **site)).run())[0]["id"]
        if actor is not None:
            await Membership.insert(Membership(user=actor.id, site=site_id, created_at=moment)).run()
        template_ids: dict[str, int] = {}
        for t in doc["templates"]:
            template_ids[t["key"]] = (await Template.insert(Template(
                site=site_id, key=t["key"], name_zh=t["name_zh"], name_en=t["name_en"],
                department=t["department"], draft_items=t["draft_items"], created_at=moment)).run())[0]["id"]
            for v in t["versions"]:
                await TemplateVersion.insert(TemplateVersion(
                    template=template_ids[t["key"]], version=v["version"], name_zh=v["name_zh"],
                    name_en=v["name_en"], items=v["items"], checksum=fingerprint(v["items"]),
                    published_at=_when(v["published_at"]))).run()
        location_ids: dict[str, int] = {}
        for loc in doc["locations"]:
            location_ids[loc["key"]] = (await Location.insert(Location(
                site=site_id, key=loc["key"], kind=loc["kind"], type=loc["type"], name_zh=loc["name_zh"],
                name_en=loc["name_en"], department=loc["department"],
                parent=location_ids[loc["parent_key"]] if loc["parent_key"] else None,
                responsible=users.get(loc["responsible"]), template=template_ids.get(loc["template"]),
                position=loc["position"], retired_at=_when(loc["retired_at"]), created_at=moment)).run())[0]["id"]
        if tags:
            await Tag.insert(*[Tag(
                site=site_id, location=location_ids[t["location"]], code=t["code"], short_code=t["short_code"],
                batch=t["batch"], issued_at=_when(t["issued_at"]), revoked_at=_when(t["revoked_at"]),
                revoked_reason=t["revoked_reason"]) for t in tags]).run()
        for r in doc["rounds"]:
            rid = (await Round.insert(Round(
                site=site_id, key=r["key"], name_zh=r["name_zh"], name_en=r["name_en"], kind=r["kind"],
                department=r["department"], assigned_role=r["assigned_role"], assignee=users.get(r["assignee"]),
                ordered=r["ordered"], active=r["active"], schedule=r["schedule"], created_at=moment)).run())[0]["id"]
            if r["checkpoints"]:
                await RoundCheckpoint.insert(*[RoundCheckpoint(
                    round=rid, location=location_ids[cp["location"]], template=template_ids[cp["template"]],
                    position=pos) for pos, cp in enumerate(r["checkpoints"], start=1)]).run()
        summary = {"site_id": site_id, "code": site["code"], "locations": len(doc["locations"]),
                   "tags": len(tags), "templates": len(doc["templates"]), "rounds": len(doc["rounds"]),
                   "unknown_users": missing}
        await audit.record("setup.site.import", actor_id=actor.id if actor else None, site_id=site_id,
                           object_type="site", object_id=site_id,
                           detail={k: v for k, v in summary.items() if k != "site_id"} | {"fresh_labels": fresh_labels})
    return summary
