"""Body of POST /api/v1/sync/status (with the optional device heartbeat)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from server.api.schemas.common import DateTime, Text64
from server.services.heartbeat import MAX_PENDING
from server.services.sync_status import MAX_IDS

Ids = Annotated[list[UUID], Meta(max_length=MAX_IDS)]
# Litestar drops a zero minimum from the schema, so it is stated again.
Count = Annotated[int, Meta(ge=0, le=MAX_PENDING, extra_json_schema={"extra": {"minimum": 0}})]


class Pending(Struct):
    visits: Count | None = None
    photos: Count | None = None
    oldest_scanned_at: DateTime | None = None


class StatusBody(Struct):
    # Unknown keys are ignored, so older and newer phones keep working.
    visits: Ids = []
    photos: Ids = []
    incidents: Ids = []
    fixes: Ids | UnsetType = UNSET  # older phones do not ask about fixes
    device_id: Text64 | None = None
    device_time: DateTime | None = None
    pending: Pending | None = None


class StatusReply(Struct):
    """Per asked UUID: whether the server holds it (`fixes` only when asked)."""

    visits: dict[str, bool]
    photos: dict[str, bool]
    incidents: dict[str, bool]
    fixes: dict[str, bool] | None = None
