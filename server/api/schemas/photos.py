"""Replies of /api/v1/photos."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Parameter,
    RequestBody,
    Schema,
)
from msgspec import Struct

from server.api.schemas.common import UnsafeOperation

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")


@dataclass
class PhotoUpload(UnsafeOperation):
    """The upload's body is the image's bytes, read by the handler as a stream
    (so the size limit applies while reading), and its checksum header is
    checked by the service once the user is known (so the refusal speaks the
    user's language): both are described here by hand."""

    def __post_init__(self) -> None:
        super().__post_init__()
        checksum = Parameter(
            name="X-Content-SHA256", param_in="header", required=True,
            schema=Schema(type=OpenAPIType.STRING, pattern=r"^[0-9a-fA-F]{64}$"),
            description="Hex SHA-256 of the body's bytes (400 `missing_header` without it)",
        )
        self.parameters = [*(self.parameters or []), checksum]
        binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
        self.request_body = RequestBody(
            content={media: OpenAPIMediaType(schema=binary) for media in IMAGE_TYPES},
            description="The image's bytes, as taken (the server derives the smaller sizes)",
            required=True,
        )


class PhotoReply(Struct):
    photo: dict[str, Any]
