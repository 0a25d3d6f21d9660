"""Refusals of odd input that must happen before any handler sees the request,
for every route alike, whatever type a handler decodes its body into:

- a JSON body nested deeper than server.lib.json_depth.MAX_DEPTH (decoders
  recurse per level; 1,000 levels in 2 KB would end in RecursionError, a 500);
- a NUL character in the URL path (file systems refuse it with ValueError,
  PostgreSQL refuses it in text), in the query string or in a console form
  (url-encoded: no file in it may legitimately hold one).

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

from server.domain.errors import RoundsError
from server.lib.json_depth import MAX_DEPTH, too_deep


def body_encoding(handler: Any) -> str | None:
    """How Litestar decodes this handler's request body (a RequestEncodingType
    value), or None when it takes no `data`. Undeclared means JSON."""
    if not isinstance(handler, HTTPRouteHandler):
        return None
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    kwarg = data.kwarg_definition
    return kwarg.media_type if isinstance(kwarg, BodyKwarg) else RequestEncodingType.JSON


def takes_json_body(handler: Any) -> bool:
    return body_encoding(handler) == RequestEncodingType.JSON


class RequestGuard(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if "\x00" in scope["path"]:
            raise RoundsError("not_found", {"reason": "NUL character in the path"})
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            raise RoundsError("nul_character", {"field": "query"})
        encoding = body_encoding(scope.get("route_handler"))
        request = Request(scope, receive)
        if (encoding is None and scope["path"].startswith("/console")
                and request.content_type[0] == RequestEncodingType.URL_ENCODED):
            encoding = RequestEncodingType.URL_ENCODED  # a console handler reading request.form() itself
        # The body read here is kept in the connection state: the handler gets it again for free.
        if encoding == RequestEncodingType.JSON and too_deep(await request.body()):
            raise RoundsError("json_too_deep", {"max_depth": MAX_DEPTH})
        if encoding == RequestEncodingType.URL_ENCODED:
            body = await request.body()
            if b"%00" in body or b"\x00" in body:
                # A console form field (a name, a reason, a login) with a NUL.
                raise RoundsError("nul_character", {"field": "form"})
        await next_app(scope, receive, send)
