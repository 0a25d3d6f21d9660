from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from server.api.schemas.common import errors
from server.services import heartbeat
from server.services.accounts import CurrentUser
from server.services.pack import build_pack
from server.settings import Settings


class PackController(Controller):
    path = "/pack"
    tags = ["sync"]

    @get("/", summary="Everything the phone needs offline (see docs/api.md for its shape)",
         responses={304: ResponseSpec(None, description="Not modified: the If-None-Match ETag is current"),
                    **errors()})
    async def pack(
        self, request: Request, user: NamedDependency[CurrentUser], settings: NamedDependency[Settings]
    ) -> Response[dict[str, Any]]:
        await heartbeat.from_pack(user, request.headers.get("x-rounds-device"))
        body, etag = await build_pack(user, secret=settings.secret_key)
        quoted = f'"{etag}"'
        headers = {"ETag": quoted, "Cache-Control": "private, no-cache"}
        if quoted in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(content=b"", status_code=304, headers=headers)
        return Response(content=body, headers=headers)
