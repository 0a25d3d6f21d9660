"""Body of PUT /api/v1/fixes/{client_uuid}."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta, Struct

from server.api.schemas.common import DateTime, described
from server.domain.submission import MAX_FIX_NOTE, MAX_FIX_PHOTOS


class FixBody(Struct, forbid_unknown_fields=True):
    """A fix needs a note and at least one photo; without them it is refused
    with fix_incomplete (422), which is why neither is required here."""

    finding_id: Annotated[int, Meta(ge=1)]
    photos: Annotated[list[UUID], Meta(max_length=MAX_FIX_PHOTOS), described("After-photo UUIDs", uniqueItems=True)]
    fixed_at: DateTime
    note: Annotated[str, Meta(max_length=MAX_FIX_NOTE)] | None = None
    device_id: Annotated[str, Meta(max_length=64)] | None = None


class FixReply(Struct):
    fix: dict[str, Any]
