"""Lookups shared by the pack and the ingest services: latest published
template versions, tags by code, round schedules."""

from __future__ import annotations

import json
from datetime import datetime

from server.db import raw
from server.db.tables import Round, RoundCheckpoint, Site, Tag, Template, TemplateVersion
from server.domain import schedule
from server.domain.errors import RoundsError
from server.lib.codes import normalise_short_code


async def latest_versions(site_ids: list[int]) -> dict[int, dict]:
    """template id -> its newest published version row (items loaded)."""
    if not site_ids:
        return {}
    rows = await TemplateVersion.select(
        TemplateVersion.all_columns(), TemplateVersion.template.site.as_alias("site_id")
    ).where(TemplateVersion.template.site.is_in(site_ids)).output(load_json=True).run()
    latest: dict[int, dict] = {}
    for row in rows:
        current = latest.get(row["template"])
        if current is None or row["version"] > current["version"]:
            latest[row["template"]] = row
    return latest


_TAG_COLUMNS = ", ".join(f'"{c._meta.db_column_name}"' for c in Tag._meta.columns)


async def find_tag(*, code: str | None, short_code: str | None, site_ids: frozenset[int]) -> dict:
    """The tag a phone names, by QR code or typed short code, among the sender's
    sites; refuses unknown and revoked codes. A code of another site is refused
    exactly like one that does not exist, so nobody can probe which codes exist
    elsewhere. (Hand-written SQL: every visit a phone sends asks.)"""
    column, value = ("code", code) if code else ("short_code", normalise_short_code(short_code or ""))
    rows = await raw.fetch(lambda p: f'SELECT {_TAG_COLUMNS} FROM "tag" WHERE "{column}" = {p(value)}')
    row = rows[0] if rows else None
    if row is None or row["site"] not in site_ids:
        raise RoundsError("unknown_tag")
    if row["revoked_at"] is not None:
        raise RoundsError("revoked_tag", {"revoked_at": row["revoked_at"].isoformat()})
    return row


def round_seed(secret: str, round_id: int) -> str:
    # Secret-salted so an unannounced ("每日不定时") time cannot be worked out in advance.
    return f"{secret}:round:{round_id}"


async def template_version_for_ingest(version_id: int) -> dict | None:
    """id, items (decoded) and the template's site of one version; None if unknown."""
    rows = await raw.fetch(lambda p: (
        'SELECT v."id", v."items", t."site" AS "site_id" FROM "template_version" v '
        f'JOIN "template" t ON t."id" = v."template" WHERE v."id" = {p(version_id)}'))
    if not rows:
        return None
    row = rows[0]
    if isinstance(row["items"], str | bytes):
        row["items"] = json.loads(row["items"])
    return row


async def site_row(site_id: int) -> dict:
    row = await Site.select().where(Site.id == site_id).first().run()
    if row is None:
        raise RoundsError("not_found")
    return row


async def round_for_visit(round_id: int, site_id: int, location_id: int) -> dict:
    row = await Round.select().where(
        (Round.id == round_id) & (Round.site == site_id) & (Round.active.eq(True))
    ).output(load_json=True).first().run()
    if row is None:
        raise RoundsError("unknown_round")
    on_route = await RoundCheckpoint.exists().where(
        (RoundCheckpoint.round == round_id) & (RoundCheckpoint.location == location_id)
    ).run()
    if not on_route:
        raise RoundsError("unknown_round", {"reason": "location is not on this round"})
    return row


def occurrence_of(round_row: dict, at: datetime, tz: str, secret: str):
    rule = schedule.parse_rule(round_row["schedule"])
    occ = schedule.find_occurrence(rule, at, tz, seed=round_seed(secret, round_row["id"]))
    if occ is None:
        return None, "outside"
    return occ, schedule.timing(occ, at)


async def template_ids_for(site_id: int) -> set[int]:
    rows = await Template.select(Template.id).where(Template.site == site_id).run()
    return {r["id"] for r in rows}
