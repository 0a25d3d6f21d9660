"""Refusals of odd input that must happen before any handler sees the request,
for every route alike, whatever type a handler decodes its body into:

- a JSON body nested deeper than server.lib.json_depth.MAX_DEPTH (decoders
  recurse per level; 1,000 levels in 2 KB would end in RecursionError, a 500);
- a NUL character in the URL path (file systems refuse it with ValueError,
  PostgreSQL refuses it in text) or in the query string.

NUL characters inside JSON bodies are refused by the domain validation of each
submission (server/domain/text.py), identically on both engines."""

from __future__ import annotations

from typing import Any

from litestar.connection import Request
from litestar.enums import RequestEncodingType, ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.params import BodyKwarg
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.types.empty import Empty

from server.domain.errors import RoundsError
from server.lib.json_depth import MAX_DEPTH, too_deep


def takes_json_body(handler: Any) -> bool:
    """Whether Litestar decodes this handler's request body as JSON: it has a
    `data` parameter that is not declared as a form, multipart or msgpack body."""
    if not isinstance(handler, HTTPRouteHandler):
        return False
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    kwarg = data.kwarg_definition
    return not isinstance(kwarg, BodyKwarg) or kwarg.media_type == RequestEncodingType.JSON


class RequestGuard(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if "\x00" in scope["path"]:
            raise RoundsError("not_found", {"reason": "NUL character in the path"})
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            raise RoundsError("nul_character", {"field": "query"})
        if takes_json_body(scope.get("route_handler")):
            # The body is kept in the connection state: the handler reads it again for free.
            body = await Request(scope, receive).body()
            if body is not Empty and too_deep(body):
                raise RoundsError("json_too_deep", {"max_depth": MAX_DEPTH})
        await next_app(scope, receive, send)
