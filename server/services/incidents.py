"""Incident quick reports (suspicious person, hazard, spill, damage, other)."""

from __future__ import annotations

from server.db.tables import Incident, Location
from server.domain.errors import RoundsError
from server.domain.submission import parse_incident, parse_uuid
from server.lib.canonical import fingerprint
from server.lib.clock import now
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.catalog import find_tag
from server.services.idempotency import create_once, replay_or_refuse


def incident_result(row: dict) -> dict:
    return {
        "id": row["id"],
        "client_uuid": str(row["client_uuid"]),
        "kind": row["kind"],
        "site_id": row["site"],
        "location_id": row["location"],
        "received_at": row["received_at"].isoformat(),
    }


async def _stored(uid) -> dict | None:
    return await Incident.select().where(Incident.client_uuid == uid).first().run()


def _replay(row: dict, user: CurrentUser, fp: str) -> dict:
    return replay_or_refuse(row, incident_result, sender="user", user_id=user.id, key="fingerprint", value=fp)


async def ingest_incident(user: CurrentUser, client_uuid: str, body: object) -> tuple[bool, dict]:
    uid = parse_uuid(client_uuid, "client_uuid")
    fp = fingerprint(body)
    stored = await _stored(uid)
    if stored is not None:
        return False, _replay(stored, user, fp)
    received = now()
    sub = parse_incident(body, received)
    location_id, site_id = None, None
    if sub.tag_code or sub.short_code:
        tag = await find_tag(code=sub.tag_code, short_code=sub.short_code, site_ids=user.site_ids)
        location_id, site_id = tag["location"], tag["site"]
    elif sub.location_id:
        loc = await Location.select(Location.id, Location.site).where(Location.id == sub.location_id).first().run()
        # Another site's location is refused like one that does not exist (no probing).
        if loc is None or loc["site"] not in user.site_ids:
            raise RoundsError("unknown_location")
        location_id, site_id = loc["id"], loc["site"]
    elif len(user.site_ids) == 1:
        site_id = next(iter(user.site_ids))
    else:
        raise RoundsError("malformed_body", {"field": "location_id", "reason": "say where"})
    if site_id not in user.site_ids:
        raise RoundsError("site_forbidden")
    async def write() -> None:
        row = (
            await Incident.insert(
                Incident(
                    client_uuid=uid, fingerprint=fp, user=user.id, site=site_id,
                    location=location_id, kind=sub.kind, note=sub.note,
                    photos=list(sub.photos), occurred_at=sub.occurred_at,
                    received_at=received, device_id=sub.device_id,
                )
            ).run()
        )[0]
        await audit.record(
            "incident.create", actor_id=user.id, site_id=site_id, object_type="incident",
            object_id=row["id"], detail={"kind": sub.kind},
        )

    return await create_once(write, load=lambda: _stored(uid), replay=lambda row: _replay(row, user, fp),
                             shape=incident_result)
