"""Request id and access log, around the whole application (routing, 404s and
error pages included). Plain ASGI: it only needs the scope and the send."""

from __future__ import annotations

import re
import time
import uuid

import structlog

REQUEST_ID_HEADER = b"x-request-id"
# What a proxy's id may look like to be kept: short, no spaces or quotes, so it
# cannot forge a log line or a header.
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")

access_log = structlog.get_logger("rounds.access")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_of(scope) -> str | None:
    return (scope.get("state") or {}).get("request_id")


def _incoming_id(scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == REQUEST_ID_HEADER:
            text = value.decode("latin-1")
            return text if _SANE_ID.fullmatch(text) else None
    return None


def _user_id(scope) -> int | None:
    user = (scope.get("state") or {}).get("user")
    return getattr(user, "id", None)


class RequestContext:
    """Gives every HTTP request an id (a trusted proxy's sane X-Request-ID, or a
    new one), binds it to every log line written while serving it, returns it
    in the X-Request-ID header and writes one access line when it ends."""

    def __init__(self, app, *, trust_incoming: bool = False) -> None:
        self.app = app
        self.trust_incoming = trust_incoming

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = (self.trust_incoming and _incoming_id(scope)) or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500  # what the client gets if nothing was sent (the server answers 500)
        started = time.perf_counter()

        async def send_with_id(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers") or () if k.lower() != REQUEST_ID_HEADER]
                message = {**message, "headers": [*headers, (REQUEST_ID_HEADER, request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "request",
                method=scope.get("method"),
                path=scope.get("path"),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                user_id=_user_id(scope),
            )
            structlog.contextvars.reset_contextvars(**tokens)
