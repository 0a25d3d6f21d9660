"""Replies of /api/v1/photos."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, RequestBody, Schema
from msgspec import Struct

from server.api.schemas.common import UnsafeOperation

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")


@dataclass
class PhotoUpload(UnsafeOperation):
    """The upload's body is the image's bytes, read by the handler as a stream
    (so the size limit applies while reading): described here by hand."""

    def __post_init__(self) -> None:
        super().__post_init__()
        binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
        self.request_body = RequestBody(
            content={media: OpenAPIMediaType(schema=binary) for media in IMAGE_TYPES},
            description="The image's bytes, as taken (the server derives the smaller sizes)",
            required=True,
        )


class PhotoReply(Struct):
    photo: dict[str, Any]
