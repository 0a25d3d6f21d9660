"""QR labels: issue tags for checkpoints in batches, print and reprint them as
PDF, revoke one tag or a whole batch (e.g. after a label was photographed to
fake check-ins). A revoked code is refused by the API (`revoked_tag`) and is
absent from the next pack."""

from __future__ import annotations

from datetime import datetime

from server.db import engine as db
from server.db.tables import Location, Site, Tag
from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.domain.label_layout import get_layout
from server.labels import Label, render_labels
from server.labels.fonts import has_cjk
from server.lib.clock import now
from server.lib.codes import short_code, tag_code
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site

MAX_REASON = 200


async def tags(site_id: int, *, include_revoked: bool = True) -> list[dict]:
    query = Tag.select(
        Tag.all_columns(), Tag.location.name_zh.as_alias("name_zh"),
        Tag.location.name_en.as_alias("name_en"), Tag.location.key.as_alias("location_key"),
        Tag.location.retired_at.as_alias("location_retired_at"),
    ).where(Tag.site == site_id)
    if not include_revoked:
        query = query.where(Tag.revoked_at.is_null())
    return await query.order_by(Tag.issued_at, ascending=False).order_by(Tag.id).run()


async def batches(site_id: int) -> list[dict]:
    """Batches, newest first: {batch, issued_at, active, revoked}."""
    out: dict[str, dict] = {}
    for t in await tags(site_id):
        b = out.setdefault(t["batch"], {"batch": t["batch"], "issued_at": t["issued_at"],
                                        "active": 0, "revoked": 0})
        b["issued_at"] = max(b["issued_at"], t["issued_at"])
        b["revoked" if t["revoked_at"] else "active"] += 1
    return sorted(out.values(), key=lambda b: b["issued_at"], reverse=True)


async def untagged_points(site_id: int) -> list[dict]:
    active = {t["location"] for t in await Tag.select(Tag.location).where(
        (Tag.site == site_id) & Tag.revoked_at.is_null()).run()}
    points = await Location.select().where(
        (Location.site == site_id) & (Location.kind == "point") & Location.retired_at.is_null()
    ).order_by(Location.id).run()
    return [p for p in points if p["id"] not in active]


def _batch_name(moment: datetime, existing: set[str]) -> str:
    base = moment.strftime("%Y%m%d")
    n = 1
    while f"{base}-{n}" in existing:
        n += 1
    return f"{base}-{n}"


async def _new_short_code() -> str:
    for _ in range(20):  # 25^6 = 244 million codes: a collision is rare, retry anyway
        code = short_code()
        if not await Tag.exists().where(Tag.short_code == code).run():
            return code
    raise RoundsError("conflict", {"field": "short_code"})


async def issue(site_id: int, location_ids: list[int], *, actor: CurrentUser,
                replace: bool = False) -> str:
    """Issue one new tag per location, in a new batch; returns the batch name.
    A location that already has an active tag is skipped, unless `replace`,
    which revokes its old tags (reason "replaced")."""
    await require_site(actor, site_id)
    if not location_ids:
        raise rules.invalid("locations", "choose at least one checkpoint")
    rows = await Location.select(Location.id, Location.kind, Location.retired_at).where(
        Location.id.is_in(sorted(set(location_ids))) & (Location.site == site_id)).run()
    if len(rows) != len(set(location_ids)):
        raise rules.invalid("locations", "not all are locations of this site")
    if any(r["retired_at"] is not None for r in rows):
        raise rules.invalid("locations", "a retired location cannot get a label")
    active = {t["location"] for t in await Tag.select(Tag.location).where(
        Tag.location.is_in([r["id"] for r in rows]) & Tag.revoked_at.is_null()).run()}
    targets = [r["id"] for r in rows if replace or r["id"] not in active]
    if not targets:
        raise rules.invalid("locations", "every chosen location already has an active label")
    moment = now()
    existing = {t["batch"] for t in await Tag.select(Tag.batch).where(Tag.site == site_id).run()}
    batch = _batch_name(moment, existing)
    new_tags = [Tag(site=site_id, location=lid, code=tag_code(), short_code=await _new_short_code(),
                    batch=batch, issued_at=moment) for lid in sorted(targets)]
    async with db.transaction():
        if replace:
            await Tag.update({Tag.revoked_at: moment, Tag.revoked_reason: "replaced"}).where(
                Tag.location.is_in(targets) & Tag.revoked_at.is_null()).run()
        await Tag.insert(*new_tags).run()
        await audit.record("setup.tags.issue", actor_id=actor.id, site_id=site_id, object_type="batch",
                           object_id=batch, detail={"count": len(new_tags), "replace": replace})
    return batch


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise rules.invalid("reason", "say why, e.g. 'label photographed'")
    if len(reason) > MAX_REASON:
        raise rules.invalid("reason", f"longer than {MAX_REASON} characters")
    return reason


async def revoke(site_id: int, tag_id: int, reason: str, *, actor: CurrentUser) -> None:
    await require_site(actor, site_id)
    reason = _reason(reason)
    row = await Tag.select().where((Tag.id == tag_id) & (Tag.site == site_id)).first().run()
    if row is None:
        raise RoundsError("not_found", {"object": "tag"})
    if row["revoked_at"] is not None:
        return
    async with db.transaction():
        await Tag.update({Tag.revoked_at: now(), Tag.revoked_reason: reason}).where(Tag.id == tag_id).run()
        await audit.record("setup.tag.revoke", actor_id=actor.id, site_id=site_id, object_type="tag",
                           object_id=tag_id, detail={"short_code": row["short_code"], "reason": reason})


async def revoke_batch(site_id: int, batch: str, reason: str, *, actor: CurrentUser) -> int:
    await require_site(actor, site_id)
    reason = _reason(reason)
    async with db.transaction():
        revoked = await Tag.update({Tag.revoked_at: now(), Tag.revoked_reason: reason}).where(
            (Tag.site == site_id) & (Tag.batch == batch) & Tag.revoked_at.is_null()
        ).returning(Tag.id).run()
        if not revoked:
            if not await Tag.exists().where((Tag.site == site_id) & (Tag.batch == batch)).run():
                raise RoundsError("not_found", {"object": "batch"})
            return 0
        await audit.record("setup.batch.revoke", actor_id=actor.id, site_id=site_id, object_type="batch",
                           object_id=batch, detail={"count": len(revoked), "reason": reason})
    return len(revoked)


async def label_pdf(site_id: int, *, base_url: str, actor: CurrentUser | None, batch: str | None = None,
                    tag_ids: list[int] | None = None, layout: str = "a4-12") -> tuple[bytes, int]:
    """A PDF of the active labels of a batch, of some tags, or (neither) of
    every active tag of the site. Returns (pdf, number of labels). Printing
    is audited: a reprint is visible in the log. `actor` None: the CLI."""
    site = await require_site(actor, site_id) if actor else await Site.select().where(
        Site.id == site_id).first().run()
    if site is None:
        raise RoundsError("not_found", {"object": "site"})
    get_layout(layout)
    query = Tag.select(Tag.id, Tag.code, Tag.short_code, Tag.location).where(
        (Tag.site == site_id) & Tag.revoked_at.is_null())
    if batch:
        query = query.where(Tag.batch == batch)
    if tag_ids is not None:
        query = query.where(Tag.id.is_in(tag_ids or [-1]))
    rows = await query.order_by(Tag.id).run()
    if not rows:
        raise RoundsError("not_found", {"object": "labels", "reason": "no active labels to print"})
    locs = {r["id"]: r for r in await Location.select(
        Location.id, Location.parent, Location.name_zh, Location.name_en).where(Location.site == site_id).run()}
    paths_zh, paths_en = rules.paths(list(locs.values()), "name_zh"), rules.paths(list(locs.values()), "name_en")
    labels = []
    for t in rows:
        loc = locs[t["location"]]
        parent = loc["parent"]
        labels.append(Label(
            url=f"{base_url.rstrip('/')}/t/{t['code']}", short_code=t["short_code"],
            name_zh=loc["name_zh"] or loc["name_en"], name_en=loc["name_en"],
            where_zh=paths_zh.get(parent, "") if parent else "",
            where_en=paths_en.get(parent, "") if parent else "",
            site_zh=site["name_zh"], site_en=site["name_en"]))
    pdf = render_labels(labels, layout, title=f"{site['code']} labels")
    await audit.record("setup.labels.print", actor_id=actor.id if actor else None, site_id=site_id,
                       object_type="batch" if batch else "tag", object_id=batch or "",
                       detail={"count": len(labels), "layout": layout, "tags": [t["id"] for t in rows][:200],
                               "cjk_font": has_cjk()})
    return pdf, len(labels)
