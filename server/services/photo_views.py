"""Who may look at a photo, the links to see it, and the evidence image with its
caption band (made from the original, stored beside it, never replacing it)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import anyio

from server.db.tables import FindingEvent, Incident, Location, Photo, Site, User, Visit
from server.domain.errors import RoundsError
from server.domain.roles import CONSOLE_ROLES, VISIT_KIND_NAMES
from server.domain.submission import parse_uuid
from server.photos.evidence import render_evidence
from server.services.accounts import CurrentUser
from server.storage.base import BlobNotFound, BlobStore, StorageError, key_for

LINK_SECONDS = 300


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
    owner = photo["user"] == user.id
    reviewer = user.role in CONSOLE_ROLES and site_id in user.site_ids
    if not (owner or reviewer):
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
        "flags": photo["flags"],
        "urls": {
            "thumb": store.url_for(photo["thumb_key"], expires=LINK_SECONDS),
            "display": store.url_for(photo["display_key"], expires=LINK_SECONDS),
            "original": store.url_for(photo["storage_key"], expires=LINK_SECONDS,
                                      filename=f"{name}.{photo['format'] or 'bin'}"),
            "evidence": f"/photos/{photo['client_uuid']}/evidence.jpg",
        },
    }


async def _caption(photo: dict, visit: dict | None) -> list[str]:
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

    def fmt(value) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S %Z") if value else "—"

    lines = [
        f"位置 Location: {where}",
        f"拍摄 Taken (device): {fmt(photo['captured_at'])}   收到 Received (server): {fmt(photo['received_at'])}",
        f"人员 Person: {who}",
        f"检查 Visit: {photo['visit_uuid'] or '—'} {kind}".rstrip(),
        f"SHA-256: {photo['sha256']}",
    ]
    if photo["flags"]:
        lines.append("⚠ 照片重复使用 Photo reused: " + ", ".join(sorted(photo["flags"])))
    return lines


async def evidence_image(user: CurrentUser, client_uuid: str, store: BlobStore, *, max_pixels: int) -> bytes:
    photo, visit = await _photo_and_context(user, client_uuid)
    # Keyed by photo: the caption names this photo's visit, so two visits sharing one
    # image each get their own evidence print.
    key = key_for("evidence", photo["sha256"], "jpg").replace(".jpg", f"-{photo['id']}.jpg")
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
    lines = await _caption(photo, visit)
    image = await anyio.to_thread.run_sync(lambda: render_evidence(original, lines, max_pixels=max_pixels))
    try:
        await store.put(key, image, content_type="image/jpeg")
    except StorageError:
        pass  # serving it matters more than caching it
    return image
