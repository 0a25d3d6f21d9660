"""Bodies of /api/v1/visits (one visit, and a batch of them)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from litestar.openapi.spec import OpenAPIType, Schema
from msgspec import Meta, Struct

from server.api.schemas.common import DateTime, Text64, described
from server.domain.checklist import MAX_NOTE as MAX_ANSWER_NOTE
from server.domain.checklist import MAX_PHOTOS
from server.domain.roles import VISIT_KINDS
from server.domain.submission import MAX_ANSWERS, MAX_NOTE
from server.services.visits import MAX_BATCH


class AnswerBody(Struct, forbid_unknown_fields=True):
    item: str
    value: Annotated[Any, described("As the item's kind asks: pass/fail/na, true/false, a number, "
                                    "a string, a choice value, or null")] = None
    note: Annotated[str, Meta(max_length=MAX_ANSWER_NOTE)] = ""
    photos: Annotated[list[UUID], Meta(max_length=MAX_PHOTOS), described("Photo UUIDs", uniqueItems=True)] = []


class VisitBody(Struct, forbid_unknown_fields=True):
    """One visit. `tag_code` (scanned) or `short_code` (typed) names the label; one is required."""

    __openapi_any_of__: ClassVar[list[Schema]] = [
        Schema(required=["tag_code"], properties={"tag_code": Schema(type=OpenAPIType.STRING)}),
        Schema(required=["short_code"], properties={"short_code": Schema(type=OpenAPIType.STRING)}),
    ]

    template_version_id: Annotated[int, Meta(ge=1)]
    kind: Annotated[str, described("Visit kind", enum=list(VISIT_KINDS))]
    scanned_at: DateTime
    finished_at: DateTime
    answers: Annotated[list[AnswerBody], Meta(max_length=MAX_ANSWERS)]
    tag_code: Text64 | None = None
    short_code: Annotated[str, Meta(max_length=16, pattern=r"\S")] | None = None
    round_id: Annotated[int, Meta(ge=1)] | None = None
    scan_method: Literal["scan", "link", "typed"] = "scan"
    device_id: Annotated[str, Meta(max_length=64)] | None = None
    note: Annotated[str, Meta(max_length=MAX_NOTE)] | None = None


class BatchEntry(Struct, forbid_unknown_fields=True):
    # Each entry is settled on its own (a bad UUID or body refuses that entry
    # only), so the entry's parts are checked by the same rules as the PUT.
    client_uuid: Annotated[str, described("The visit's UUID, as in PUT /api/v1/visits/{client_uuid}")]
    body: Annotated[dict[str, Any], described("The visit, exactly as the PUT's body (VisitBody)")]


class BatchBody(Struct, forbid_unknown_fields=True):
    visits: Annotated[list[BatchEntry], Meta(min_length=1, max_length=MAX_BATCH)]


class VisitReply(Struct):
    visit: dict[str, Any]


class BatchResult(Struct):
    client_uuid: str
    status: int
    visit: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class BatchReply(Struct):
    results: list[BatchResult]
