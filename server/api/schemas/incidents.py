"""Body of PUT /api/v1/incidents/{client_uuid}."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta, Struct

from server.api.schemas.common import DateTime, Text64, described
from server.domain.submission import INCIDENT_KINDS, MAX_NOTE


class IncidentBody(Struct, forbid_unknown_fields=True):
    """Where: `tag_code`, `short_code` or `location_id` (may be left out by
    someone who works at one site only)."""

    kind: Annotated[str, described("Incident kind", enum=list(INCIDENT_KINDS))]
    occurred_at: DateTime
    note: Annotated[str, Meta(max_length=MAX_NOTE)] | None = None
    tag_code: Text64 | None = None
    short_code: Annotated[str, Meta(max_length=16, pattern=r"\S")] | None = None
    location_id: Annotated[int, Meta(ge=1)] | None = None
    device_id: Annotated[str, Meta(max_length=64)] | None = None
    photos: Annotated[list[UUID], Meta(max_length=20)] = []


class IncidentReply(Struct):
    incident: dict[str, Any]
