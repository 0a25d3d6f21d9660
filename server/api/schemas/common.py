"""Pieces every field API model shares: the error body and how handlers
declare which refusals they answer with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Components,
    OpenAPIType,
    Operation,
    SecurityScheme,
)
from litestar.openapi.spec import Parameter as ParameterSpec
from litestar.openapi.spec import Schema as SchemaSpec
from litestar.openapi.spec.enums import OpenAPIFormat
from litestar.params import PathParameter, QueryParameter
from msgspec import Meta, Struct, field

from server.domain.errors import CATALOG

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.openapi.spec import Schema
    from litestar.typing import FieldDefinition


class StrictStructSchema(StructSchemaPlugin):
    """Litestar's msgspec schema, plus what it leaves out: a model that refuses
    unknown keys says so (additionalProperties: false), and a model may add
    cross-field rules in `__openapi_any_of__` (e.g. "tag_code or short_code")."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        struct = field_definition.type_
        if struct.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
        if any_of := getattr(struct, "__openapi_any_of__", None):
            schema.any_of = any_of
        return schema


# The session cookie is the credential; login and logout declare `security=[]`.
SECURITY_COMPONENTS = Components(security_schemes={
    "session": SecurityScheme(type="apiKey", security_scheme_in="cookie", name="session",
                              description="Set by POST /api/v1/session; HttpOnly, 14 days, renewed on use"),
})
SECURITY = [{"session": []}]


@dataclass
class UnsafeOperation(Operation):
    """A POST/PUT/PATCH/DELETE of the field API: the replay_safe guard refuses
    it (403 cross_site_request) without the X-Rounds-Client header."""

    def __post_init__(self) -> None:
        client = ParameterSpec(
            name="X-Rounds-Client", param_in="header", required=True,
            schema=SchemaSpec(type=OpenAPIType.STRING, min_length=1, pattern=r"\S"),
            description="Any non-empty value (the field app sends `pwa`): a cross-site page cannot send it",
        )
        self.parameters = [*(self.parameters or []), client]


def described(description: str, **schema: Any) -> Meta:
    """Schema-only facts (enum, format, ...) that the domain, not msgspec,
    enforces, so a refusal keeps the domain's own code."""
    return Meta(extra_json_schema={"description": description, "extra": schema or None})


DateTime = Annotated[str, described("ISO 8601 date-time with a time-zone offset", format="date-time")]
# A label code or device id: at least one visible character.
Text64 = Annotated[str, Meta(max_length=64, pattern=r"\S")]


class Messages(Struct):
    en: str
    zh_cn: str = field(name="zh-CN")


class ErrorBody(Struct):
    """Every refusal: a stable machine code, the message in the caller's
    language, both messages, machine-readable detail, and the request's id
    (the one in X-Request-ID and on every log line of the request)."""

    code: str
    message: str
    messages: Messages
    detail: dict[str, Any]
    request_id: str


def uuid_path(description: str) -> PathParameter:
    # Kept a plain string in the route, so a bad UUID is refused with our own
    # malformed_body rather than a routing 404.
    return PathParameter(description=description, schema_extra={"format": OpenAPIFormat.UUID})


def created(model: type) -> ResponseSpec:
    return ResponseSpec(model, description="Created (a resend of the same body gets 200 and the stored result)",
                        generate_examples=False)


def uuid_query(description: str) -> QueryParameter:
    return QueryParameter(description=description, schema_extra={"format": OpenAPIFormat.UUID})


# Refusals any /api/v1 route may answer with.
# json_too_deep, nul_character: the app-level request guard, on every operation;
# database_unavailable: any operation while the database is down.
COMMON = ("malformed_body", "not_authenticated", "cross_site_request", "method_not_allowed", "body_too_large",
          "json_too_deep", "nul_character", "database_unavailable")


def errors(*codes: str, common: tuple[str, ...] = COMMON) -> dict[int, ResponseSpec]:
    """OpenAPI responses for the given error codes (plus COMMON), one per status."""
    by_status: dict[int, list[str]] = {}
    for code in (*common, *codes):
        by_status.setdefault(CATALOG[code][0], []).append(code)
    return {
        status: ResponseSpec(ErrorBody, description="Refused: " + ", ".join(f"`{c}`" for c in names),
                             generate_examples=False)
        for status, names in sorted(by_status.items())
    }
