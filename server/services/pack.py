"""The pack: everything a phone needs to work a whole shift offline."""

from __future__ import annotations

from server.db.tables import Location, Round, RoundCheckpoint, Site, Tag
from server.domain import reference_photo, schedule
from server.domain.errors import RoundsError
from server.domain.roles import sees_all_departments
from server.lib.canonical import fingerprint
from server.lib.clock import now
from server.services import findings, review, spot_checks
from server.services.accounts import CurrentUser
from server.services.catalog import latest_versions, round_seed


def _round_visible(user: CurrentUser, r: dict) -> bool:
    if r["assignee"] == user.id or sees_all_departments(user.role):
        return True
    if user.role == "team_lead":
        return not r["department"] or r["department"] == user.department
    return r["assigned_role"] == user.role and (
        not r["department"] or not user.department or r["department"] == user.department
    )


def _paths(locations: list[dict]) -> None:
    by_id = {loc["id"]: loc for loc in locations}
    for loc in locations:
        names_zh, names_en, cur, seen = [], [], loc, set()
        while cur is not None and cur["id"] not in seen:
            seen.add(cur["id"])
            names_zh.append(cur["name_zh"])
            names_en.append(cur["name_en"])
            cur = by_id.get(cur["parent"])
        loc["path_zh"] = " / ".join(reversed(names_zh))
        loc["path_en"] = " / ".join(reversed(names_en))


async def build_pack(user: CurrentUser, *, secret: str) -> tuple[dict, str]:
    """Returns the pack and its ETag. The ETag covers everything but the
    generation time, so an unchanged pack is answered with 304."""
    site_ids = sorted(user.site_ids)
    versions = await latest_versions(site_ids)
    needed_versions: set[int] = set()
    sites_out = []
    sites = await Site.select().where(Site.id.is_in(site_ids or [-1])).order_by(Site.id).run()
    moment = now()
    for site in sites:
        tz = site["timezone"]
        today = schedule.local_today(moment, tz)
        locations = await Location.select(
            Location.id, Location.parent, Location.kind, Location.type, Location.name_zh,
            Location.name_en, Location.department, Location.template, Location.position,
        ).where((Location.site == site["id"]) & Location.retired_at.is_null()).order_by(
            Location.position
        ).order_by(Location.id).run()
        _paths(locations)
        for loc in locations:
            version = versions.get(loc.pop("template"))
            loc["template_version_id"] = version["id"] if version else None
            loc["parent_id"] = loc.pop("parent")
            if version:
                needed_versions.add(version["id"])
        tags = await Tag.select(Tag.code, Tag.short_code, Tag.location.as_alias("location_id")).where(
            (Tag.site == site["id"]) & Tag.revoked_at.is_null()
        ).order_by(Tag.id).run()
        rounds_out = []
        rounds = await Round.select().where(
            (Round.site == site["id"]) & (Round.active.eq(True))
        ).order_by(Round.id).output(load_json=True).run()
        checkpoints = await RoundCheckpoint.select().where(
            RoundCheckpoint.round.is_in([r["id"] for r in rounds] or [-1])
        ).order_by(RoundCheckpoint.position).run()
        for r in rounds:
            if not _round_visible(user, r):
                continue
            try:
                rule = schedule.parse_rule(r["schedule"])
            except RoundsError:
                rule = None  # an unscheduled (on-demand) round: no occurrences to show
            occs = schedule.occurrences_on(rule, today, tz, seed=round_seed(secret, r["id"])) if rule else []
            cps = []
            for cp in checkpoints:
                if cp["round"] != r["id"]:
                    continue
                version = versions.get(cp["template"])
                if version:
                    needed_versions.add(version["id"])
                cps.append({
                    "location_id": cp["location"],
                    "template_version_id": version["id"] if version else None,
                    "position": cp["position"],
                })
            rounds_out.append({
                "id": r["id"], "name_zh": r["name_zh"], "name_en": r["name_en"], "kind": r["kind"],
                "department": r["department"], "ordered": r["ordered"],
                "schedule_text_zh": schedule.describe(rule, "zh") if rule else "按需",
                "schedule_text_en": schedule.describe(rule, "en") if rule else "on demand",
                "checkpoints": cps,
                "today": [
                    {"key": o.key, "start": o.start.isoformat(), "end": o.end.isoformat(),
                     "grace_end": o.grace_end.isoformat()}
                    for o in occs
                ],
            })
        sites_out.append({
            "id": site["id"], "code": site["code"], "name_zh": site["name_zh"],
            "name_en": site["name_en"], "timezone": tz, "today": today.isoformat(),
            "locations": locations, "tags": tags, "rounds": rounds_out,
        })
    templates = [
        {"id": v["id"], "template_id": v["template"], "version": v["version"],
         "name_zh": v["name_zh"], "name_en": v["name_en"], "items": reference_photo.with_urls(v["items"])}
        for v in sorted(versions.values(), key=lambda v: v["id"])
        if v["id"] in needed_versions
    ]
    pack = {"user": user.as_json(), "sites": sites_out, "templates": templates,
            "redo": await review.redo_tasks(user),
            "rectifications": await findings.rectification_tasks(user),
            "spot_checks": await spot_checks.pack_entries(user, secret=secret)}
    etag = fingerprint(pack)[:32]
    pack["generated_at"] = moment.isoformat()
    return pack, etag
