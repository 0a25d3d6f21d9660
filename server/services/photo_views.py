"""Who may look at a photo, the links to see it, and the evidence image with its
caption band (made from the original, stored beside it, never replacing it)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import anyio

from server.db.tables import FindingEvent, Incident, Location, Photo, Site, User, Visit
from server.domain.errors import RoundsError
from server.domain.photo_times import photo_times
from server.domain.roles import CONSOLE_ROLES, VISIT_KIND_NAMES
from server.domain.submission import parse_uuid
from server.photos.evidence import render_evidence
from server.services.accounts import CurrentUser
from server.storage.base import BlobNotFound, BlobStore, StorageError, key_for

LINK_SECONDS = 300


async def photo_sites(client_uuids: list[str]) -> dict[str, int]:
    """{photo uuid: site} for those of these photos whose record (visit, else
    incident, else fix) is stored; a photo not found, or whose record has not
    arrived, is left out."""
    uids = [parse_uuid(u, "photo") for u in client_uuids]
    if not uids:
        return {}
    photos = await Photo.select(Photo.client_uuid, Photo.visit_uuid, Photo.incident_uuid, Photo.fix_uuid).where(
        Photo.client_uuid.is_in(uids)).run()

    async def sites(table, column, site, values) -> dict:
        values = [v for v in values if v is not None]
        if not values:
            return {}
        return {r["key"]: r["site"] for r in await table.select(column.as_alias("key"), site.as_alias("site"))
                .where(column.is_in(values)).run()}

    visits = await sites(Visit, Visit.client_uuid, Visit.site, [p["visit_uuid"] for p in photos])
    incidents = await sites(Incident, Incident.client_uuid, Incident.site, [p["incident_uuid"] for p in photos])
    fixes = await sites(FindingEvent, FindingEvent.client_uuid, FindingEvent.finding.site,
                        [p["fix_uuid"] for p in photos])
    out = {}
    for p in photos:
        site = visits.get(p["visit_uuid"]) or incidents.get(p["incident_uuid"]) or fixes.get(p["fix_uuid"])
        if site is not None:
            out[str(p["client_uuid"])] = site
    return out


def may_see(user: CurrentUser, owner_id: int | None, site_id: int | None) -> bool:
    """Whether `user` may look at a photo: their own, or as a console role on
    one of their sites (a photo whose record has not arrived has no site yet)."""
    return owner_id == user.id or (user.role in CONSOLE_ROLES and site_id is not None and site_id in user.site_ids)


REUSE_KEYS = ("reused_exact", "reused_near")


async def flags_for(viewer: CurrentUser, flags_list: list[dict | str | None]) -> list[dict]:
    """Photos' stored flags as `viewer` may see them, in the same order. A
    reuse reference names its photo, visit and incident only when the viewer
    may see that photo; otherwise it keeps only its date (and distance) and
    says it is hidden, and on another site when it is: the flag still shows,
    the ids do not."""
    decoded = [json.loads(f) if isinstance(f, str) else dict(f or {}) for f in flags_list]
    refs = {str(r.get("photo")) for f in decoded for k in REUSE_KEYS for r in f.get(k) or [] if r.get("photo")}
    uids = []
    for ref in refs:
        try:
            uids.append(parse_uuid(ref, "photo"))
        except RoundsError:
            continue
    owners = {str(p["client_uuid"]): p["user"] for p in await Photo.select(Photo.client_uuid, Photo.user).where(
        Photo.client_uuid.is_in(uids)).run()} if uids else {}
    sites = await photo_sites(list(owners))
    out = []
    for flags in decoded:
        for key in REUSE_KEYS:
            if key not in flags:
                continue
            shown = []
            for ref in flags[key] or []:
                photo = str(ref.get("photo"))
                site = sites.get(photo)
                if photo in owners and may_see(viewer, owners[photo], site):
                    shown.append(ref)
                    continue
                hidden = {"photo": None, "visit": None, "incident": None, "received_at": ref.get("received_at"),
                          "hidden": True, "other_site": site is not None and site not in viewer.site_ids}
                if "distance" in ref:
                    hidden["distance"] = ref["distance"]
                shown.append(hidden)
            flags[key] = shown
        out.append(flags)
    return out


async def _photo_and_context(user: CurrentUser, client_uuid: str) -> tuple[dict, dict | None]:
    uid = parse_uuid(client_uuid, "client_uuid")
    photo = await Photo.select().where(Photo.client_uuid == uid).output(load_json=True).first().run()
    if photo is None:
        raise RoundsError("not_found")
    visit = None
    if photo["visit_uuid"]:
        visit = await Visit.select().where(Visit.client_uuid == photo["visit_uuid"]).first().run()
    site_id = visit["site"] if visit else None
    if site_id is None and photo["incident_uuid"]:
        inc = await Incident.select(Incident.site).where(Incident.client_uuid == photo["incident_uuid"]).first().run()
        site_id = inc["site"] if inc else None
    if site_id is None and photo.get("fix_uuid"):  # the after-photo of a finding's fix
        fix = await FindingEvent.select(FindingEvent.finding.site.as_alias("site")).where(
            FindingEvent.client_uuid == photo["fix_uuid"]).first().run()
        site_id = fix["site"] if fix else None
    if not may_see(user, photo["user"], site_id):
        # Not found rather than forbidden: do not confirm that someone else's photo exists.
        raise RoundsError("not_found")
    return photo, visit


async def photo_links(user: CurrentUser, client_uuid: str, store: BlobStore) -> dict:
    photo, visit = await _photo_and_context(user, client_uuid)
    name = f"{photo['client_uuid']}"
    return {
        "client_uuid": str(photo["client_uuid"]),
        "sha256": photo["sha256"],
        "width": photo["width"],
        "height": photo["height"],
        "visit_uuid": str(photo["visit_uuid"]) if photo["visit_uuid"] else None,
        "captured_at": photo["captured_at"].isoformat() if photo["captured_at"] else None,
        "exif_captured_at": photo["exif_captured_at"],
        "received_at": photo["received_at"].isoformat(),
        "flags": (await flags_for(user, [photo["flags"]]))[0],
        "urls": {
            "thumb": store.url_for(photo["thumb_key"], expires=LINK_SECONDS),
            "display": store.url_for(photo["display_key"], expires=LINK_SECONDS),
            "original": store.url_for(photo["storage_key"], expires=LINK_SECONDS,
                                      filename=f"{name}.{photo['format'] or 'bin'}"),
            "evidence": f"/photos/{photo['client_uuid']}/evidence.jpg",
        },
    }


async def caption_lines(photo: dict, visit: dict | None) -> list[str]:
    person = await User.select(User.display_name, User.username).where(User.id == photo["user"]).first().run()
    who = f"{person['display_name']} ({person['username']})" if person else "?"
    tz = ZoneInfo("UTC")
    where = "—"
    kind = ""
    if visit:
        site = await Site.select(Site.name_zh, Site.name_en, Site.timezone).where(Site.id == visit["site"]).first().run()
        loc = await Location.select(Location.name_zh, Location.name_en).where(Location.id == visit["location"]).first().run()
        tz = ZoneInfo(site["timezone"])
        where = f"{site['name_zh']} · {loc['name_zh']} / {site['name_en']} · {loc['name_en']}"
        en, zh = VISIT_KIND_NAMES.get(visit["kind"], (visit["kind"], visit["kind"]))
        kind = f"{zh} {en}"

    t = photo_times(exif=photo["exif_captured_at"], device=photo["captured_at"], received=photo["received_at"],
                    zone=tz)
    camera = f"{t.camera} (相机 camera)" if t.camera else "— (无相机时间 no camera time)"
    lines = [
        f"位置 Location: {where}",
        f"时间 Time {t.day}: 拍摄 taken {camera} · 设备 device {t.device or '—'} · "
        f"收到 received {t.received} ({t.zone})" + ("  ⚠ 相机时间不符 camera time differs" if t.camera_mismatch else ""),
        f"人员 Person: {who}",
        f"检查 Visit: {photo['visit_uuid'] or '—'} {kind}".rstrip(),
        f"SHA-256: {photo['sha256']}",
    ]
    flags = json.loads(photo["flags"]) if isinstance(photo["flags"], str) else photo["flags"] or {}
    reuse = [(name, ref) for key, name in (("reused_exact", "相同 identical"), ("reused_near", "近似 near-identical"))
             for ref in flags.get(key) or []]
    if reuse:
        earlier = ", ".join(f"{name} {fmt_day(ref.get('received_at'), tz)}" for name, ref in reuse[:4])
        lines.append(f"⚠ 照片重复使用 Photo also used before: {earlier}")
    return lines


def fmt_day(raw: str | None, tz) -> str:
    try:
        return datetime.fromisoformat(str(raw)).astimezone(tz).strftime("%Y-%m-%d")
    except ValueError:
        return "?"


def evidence_key(photo: dict) -> str:
    """Keyed by photo, not only by bytes: the caption names this photo's visit,
    so two visits sharing one image each get their own evidence print."""
    return key_for("evidence", photo["sha256"], "jpg").replace(".jpg", f"-{photo['id']}.jpg")


async def evidence_image(user: CurrentUser, client_uuid: str, store: BlobStore, *, max_pixels: int,
                         max_bytes: int, limiter=None) -> bytes:
    photo, visit = await _photo_and_context(user, client_uuid)
    key = evidence_key(photo)
    try:
        return await store.get(key)
    except BlobNotFound:
        pass
    except StorageError as exc:
        raise RoundsError("storage_unavailable") from exc
    try:
        original = await store.get(photo["storage_key"])
    except (BlobNotFound, StorageError) as exc:
        raise RoundsError("storage_unavailable", {"reason": "original missing"}) from exc
    lines = await caption_lines(photo, visit)
    image = await anyio.to_thread.run_sync(
        lambda: render_evidence(original, lines, max_pixels=max_pixels, max_bytes=max_bytes), limiter=limiter)
    # A photo may arrive before its visit: its caption then lacks the place and
    # kind, so it is not kept; it is made again once the visit is here.
    if visit is not None or not photo["visit_uuid"]:
        try:
            await store.put(key, image, content_type="image/jpeg")
        except StorageError:
            pass  # serving it matters more than caching it
    return image
