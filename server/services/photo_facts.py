"""What a supervisor needs beside a photo: its three clocks and, when it was
flagged as reused, where else it was used ("this photo was also used on
<date>, <location>, <person>, visit #n")."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterable
from datetime import tzinfo
from zoneinfo import ZoneInfo

from server.db.tables import Incident, Location, Membership, Photo, Site, User, Visit
from server.domain.photo_times import photo_times
from server.services.accounts import CurrentUser


def _uuids(values: Iterable[str | None]) -> list[uuidlib.UUID]:
    out = set()
    for v in values:
        try:
            out.add(uuidlib.UUID(str(v)))
        except ValueError:
            continue
    return sorted(out)


async def _by(table, column, values: list, *cols) -> dict:
    if not values:
        return {}
    rows = await table.select(*cols).where(column.is_in(values)).run()
    return {row[column._meta.name]: row for row in rows}


async def reuse_notes(viewer: CurrentUser, photos: Iterable[dict]) -> dict[str, list[dict]]:
    """{photo uuid: [note, ...]} for the photos carrying reuse flags. Records on
    sites the viewer does not belong to are named only by date."""
    wanted: dict[str, list[tuple[str, dict]]] = {}
    for p in photos:
        flags = p.get("flags") or {}
        refs = [("exact", r) for r in flags.get("reused_exact") or []]
        refs += [("near", r) for r in flags.get("reused_near") or []]
        if refs:
            wanted[str(p["client_uuid"])] = refs
    if not wanted:
        return {}
    earlier = await _by(Photo, Photo.client_uuid, _uuids(r["photo"] for refs in wanted.values() for _, r in refs),
                        Photo.client_uuid, Photo.user, Photo.visit_uuid, Photo.incident_uuid,
                        Photo.captured_at, Photo.received_at)
    visits = await _by(Visit, Visit.client_uuid, _uuids(str(p["visit_uuid"]) for p in earlier.values()),
                       Visit.id, Visit.client_uuid, Visit.site, Visit.location, Visit.scanned_at)
    incidents = await _by(Incident, Incident.client_uuid,
                          _uuids(str(p["incident_uuid"]) for p in earlier.values()),
                          Incident.client_uuid, Incident.site, Incident.location, Incident.occurred_at)
    records = [*visits.values(), *incidents.values()]
    sites = await _by(Site, Site.id, sorted({r["site"] for r in records}),
                      Site.id, Site.name_zh, Site.name_en, Site.timezone)
    locations = await _by(Location, Location.id, sorted({r["location"] for r in records if r["location"]}),
                          Location.id, Location.name_zh, Location.name_en)
    people = await _by(User, User.id, sorted({p["user"] for p in earlier.values()}), User.id, User.display_name)
    # A photo whose record has not synced has no site yet: name its sender
    # only to a viewer who shares a site with them.
    unplaced = sorted({p["user"] for p in earlier.values()
                       if visits.get(p["visit_uuid"]) is None and incidents.get(p["incident_uuid"]) is None})
    colleagues = {m["user"] for m in await Membership.select(Membership.user).where(
        Membership.user.is_in(unplaced) & Membership.site.is_in(sorted(viewer.site_ids) or [-1])).run()
    } if unplaced else set()

    notes: dict[str, list[dict]] = {}
    for photo_uuid, refs in wanted.items():
        out = []
        for kind, ref in refs:
            try:
                other = earlier.get(uuidlib.UUID(str(ref.get("photo"))))
            except ValueError:
                other = None
            if other is None:
                continue
            visit = visits.get(other["visit_uuid"])
            incident = incidents.get(other["incident_uuid"])
            record = visit or incident
            site = sites.get(record["site"]) if record else None
            zone = ZoneInfo(site["timezone"]) if site else ZoneInfo("UTC")
            moment = (visit["scanned_at"] if visit else incident["occurred_at"] if incident
                      else other["captured_at"] or other["received_at"])
            visible = record["site"] in viewer.site_ids if record else other["user"] in colleagues
            loc = locations.get(record["location"]) if record and record["location"] else None
            out.append({
                "kind": kind,
                "distance": ref.get("distance", 0),
                "photo": str(other["client_uuid"]) if visible else "",
                "when": moment.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "hidden": not visible,
                "pending": record is None and bool(other["visit_uuid"] or other["incident_uuid"]),
                "record": "visit" if visit else "incident" if incident else "photo",
                "visit_id": visit["id"] if visit and visible else None,
                "site_zh": site["name_zh"] if site and visible else "",
                "site_en": site["name_en"] if site and visible else "",
                "where_zh": loc["name_zh"] if loc and visible else "",
                "where_en": loc["name_en"] if loc and visible else "",
                "who": people[other["user"]]["display_name"] if visible and other["user"] in people else "",
                "evidence": f"/photos/{other['client_uuid']}/evidence.jpg" if visible else "",
            })
        if out:
            notes[photo_uuid] = out
    return notes


async def photo_facts(viewer: CurrentUser, photos: list[dict], zone: tzinfo) -> dict[str, dict]:
    """{photo uuid: {"times": PhotoTimes, "reuse": [note, ...]}} for photo rows."""
    notes = await reuse_notes(viewer, photos)
    return {
        str(p["client_uuid"]): {
            "times": photo_times(exif=p.get("exif_captured_at"), device=p.get("captured_at"),
                                 received=p["received_at"], zone=zone),
            "reuse": notes.get(str(p["client_uuid"]), []),
        }
        for p in photos
    }
