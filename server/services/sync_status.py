"""Which of a phone's UUIDs the server holds, for the caller's own items only."""

from __future__ import annotations

from server.db.tables import FindingEvent, Incident, Photo, Visit
from server.domain.errors import RoundsError
from server.domain.submission import parse_uuid
from server.services.accounts import CurrentUser

MAX_IDS = 1000


async def held(user: CurrentUser, body: object) -> dict:
    if not isinstance(body, dict):
        raise RoundsError("malformed_body")
    out = {}
    for field, table in (("visits", Visit), ("photos", Photo), ("incidents", Incident), ("fixes", FindingEvent)):
        if field == "fixes" and field not in body:
            continue  # older phones do not ask about fixes
        raw = body.get(field, [])
        if not isinstance(raw, list) or len(raw) > MAX_IDS:
            raise RoundsError("malformed_body", {"field": field, "max": MAX_IDS})
        ids = [parse_uuid(x, field) for x in raw]
        found = set()
        if ids:
            owner = table.actor if table is FindingEvent else table.user
            rows = await table.select(table.client_uuid).where(
                table.client_uuid.is_in(ids) & (owner == user.id)
            ).run()
            found = {str(r["client_uuid"]) for r in rows}
        out[field] = {str(i): str(i) in found for i in ids}
    return out
