"""The one place that wires Rounds together: routes, middleware, stores,
exception handling, lifespan."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from litestar import Litestar, Request, Response, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, MutableScopeHeaders
from litestar.di import Provide
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import Message, Scope

from server.api.deps import provide_settings, provide_store
from server.api.fixes import FixController
from server.api.incidents import IncidentController
from server.api.pack import PackController
from server.api.photo_links import PhotoLinkController
from server.api.photos import PhotoController
from server.api.reference_photos import ReferencePhotoController
from server.api.schemas.common import SECURITY, SECURITY_COMPONENTS, StrictStructSchema
from server.api.session import SessionController
from server.api.sync import SyncController
from server.api.visits import VisitController
from server.db import engine as db
from server.domain.errors import RoundsError
from server.logs import configure_logging, get_logger
from server.security.auth import current_user, language_of, replay_safe
from server.security.headers import SecurityHeaders, origin_of
from server.security.request_guard import RequestGuard
from server.security.session_backend import SessionConfig
from server.security.session_store import DatabaseStore
from server.settings import Settings, SettingsError, load_settings
from server.storage.base import BlobStore
from server.storage.factory import open_store
from server.web.blobs import blob
from server.web.compression import compression_config
from server.web.console import CONSOLE_HANDLERS
from server.web.context import ConsoleLoginRequired, console_user, page, redirect_to_login
from server.web.health import healthz, readyz
from server.web.outbox_import import HANDLERS as OUTBOX_IMPORT_HANDLERS
from server.web.photos import evidence
from server.web.pwa import pwa_router
from server.web.request_context import RequestContext
from server.web.setup import SETUP_HANDLERS
from server.web.supervision import SUPERVISION_HANDLERS

log = get_logger("rounds.errors")
WEB_DIR = Path(__file__).resolve().parent / "web"

_STATUS_CODES = {
    400: "malformed_body",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "login_rate_limited",
}


def _error_response(request: Request, error: RoundsError, *, logged: bool = False) -> Response:
    user = getattr(request.state, "user", None)
    request_id = request.state.get("request_id")
    body = {**error.body(language_of(request, user)), "request_id": request_id}
    if not logged:
        # A refusal with a stable code is one line, no traceback; a 5xx one
        # (storage_unavailable...) is worth a warning.
        # The renderers escape the path: a refused one may hold control characters (NUL).
        (log.info if (error.status or 400) < 500 else log.warning)(
            "refused", code=error.code, status=error.status or 400,
            method=request.method, path=request.scope["path"])
    if request.url.path.startswith(("/console", "/photos/")):
        # People, not programs, read console errors: answer with a page.
        response = page(request, "console/error.html", user, status=error.status, code=error.code,
                        message=body["message"], request_id=request_id)
        response.status_code = error.status or 400
        response.headers["Cache-Control"] = "no-store"
        return response
    return Response(body, status_code=error.status or 400, headers={"Cache-Control": "no-store"})


def _on_unhandled(request: Request, exc: Exception) -> Response:
    if db.is_unavailable(exc):
        # Nothing was committed (each write is one transaction): the phone resends.
        log.error("database unavailable", code="database_unavailable",
                  reason=f"{type(exc).__name__}: {str(exc)[:200]}")
        return _error_response(request, RoundsError("database_unavailable"), logged=True)
    log.error("unhandled exception", code="internal_error", exc_info=exc)
    return _error_response(request, RoundsError("internal_error"), logged=True)


def _on_login_required(request: Request, exc: ConsoleLoginRequired) -> Response:
    return redirect_to_login(exc)


def _on_rounds_error(request: Request, exc: RoundsError) -> Response:
    return _error_response(request, exc)


def _on_validation(request: Request, exc: ValidationException) -> Response:
    extra = exc.extra if isinstance(exc.extra, list) else []
    return _error_response(request, RoundsError("malformed_body", {"problems": extra[:10]}))


def _on_http(request: Request, exc: HTTPException) -> Response:
    code = _STATUS_CODES.get(exc.status_code)
    if exc.status_code == 413 and request.url.path.startswith("/api/v1/photos"):
        code = "photo_too_large"
    if code is None:
        (log.info if exc.status_code < 500 else log.warning)("refused", code="error", status=exc.status_code)
        return Response({"code": "error", "message": exc.detail, "request_id": request.state.get("request_id")},
                        status_code=exc.status_code)
    response = _error_response(request, RoundsError(code, {}, status=exc.status_code))
    if exc.headers:  # e.g. Allow on a 405, which RFC 9110 requires
        response.headers.update(exc.headers)
    return response


_PARAM_TYPE = re.compile(r":\w+}")  # "{uuid:str}" in a route's path is "{uuid}" in path_template


async def _allow_every_method(message: Message, scope: Scope) -> None:
    """Litestar 2.25 answers OPTIONS on a path served by several handlers with
    only the first handler's method in Allow; list every method of the path."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    template = scope.get("path_template")
    methods = {m for r in scope["app"].routes if _PARAM_TYPE.sub("}", r.path) == template
               for m in getattr(r, "methods", ())}
    if methods:
        MutableScopeHeaders.from_message(message)["Allow"] = ", ".join(sorted(methods))


def _security_headers(settings: Settings, store: BlobStore) -> SecurityHeaders:
    # On S3, signed photo links point at the store's (public) endpoint, which
    # pages must be allowed to show; a local store's links are our own /blobs/.
    link = origin_of(store.url_for("photos/csp-probe.jpg"))
    return SecurityHeaders(photo_origins=(link,) if link else (), hsts_seconds=settings.hsts_seconds)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_format)
    db.use_database(settings.database_url)
    try:
        store = open_store(
            settings.storage_url,
            signing_key=settings.secret_key.encode(),
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
        )
    except ValueError as exc:
        raise SettingsError(str(exc)) from None

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await db.start(pool_size=settings.db_pool_size)
        try:
            yield
        finally:
            await store.close()
            await db.stop()

    api = Router(
        path="/api/v1",
        route_handlers=[
            SessionController,
            PackController,
            VisitController,
            PhotoController,
            PhotoLinkController,
            IncidentController,
            FixController,
            SyncController,
            ReferencePhotoController,
        ],
        guards=[replay_safe],
    )
    # New ids on login, no rows for anonymous requests: see session_backend.py.
    sessions = SessionConfig(
        store="sessions",
        max_age=settings.session_days * 86400,
        # The middleware writes the session back (with a fresh expiry) on every
        # response, which already makes the 14 days sliding; no extra write on read.
        renew_on_access=False,
        # Probes neither read nor write a session (no database, no cookie).
        exclude=["^/healthz$", "^/readyz$"],
        secure=settings.cookie_secure,
        samesite="lax",
        httponly=True,
    )
    # Form posts from the console carry a CSRF token; the JSON API is protected
    # by replay_safe instead, because a queued request may be replayed days later.
    csrf = CSRFConfig(
        secret=settings.secret_key,
        cookie_name="csrftoken",
        header_name="x-csrftoken",
        cookie_secure=settings.cookie_secure,
        exclude=["/api/", "/schema", "/healthz", "/readyz"],
    )
    app = Litestar(
        route_handlers=[
            api, pwa_router(), healthz, readyz, blob, evidence, *CONSOLE_HANDLERS, *SUPERVISION_HANDLERS, *SETUP_HANDLERS,
            *OUTBOX_IMPORT_HANDLERS,
            create_static_files_router(path="/static", directories=[WEB_DIR / "static"], name="static",
                                       cache_control=CacheControlHeader(max_age=3600)),
        ],
        template_config=TemplateConfig(directory=WEB_DIR / "templates", engine=JinjaTemplateEngine),
        plugins=[HTMXPlugin(), StrictStructSchema()],
        dependencies={
            "settings": Provide(provide_settings, sync_to_thread=False),
            "store": Provide(provide_store, sync_to_thread=False),
            "user": Provide(current_user),
            "console_user": Provide(console_user),
        },
        middleware=[sessions.middleware, RequestGuard()],
        before_send=[_security_headers(settings, store), _allow_every_method],
        csrf_config=csrf,
        compression_config=compression_config(),
        stores={"sessions": DatabaseStore()},
        exception_handlers={
            ConsoleLoginRequired: _on_login_required,
            RoundsError: _on_rounds_error,
            ValidationException: _on_validation,
            HTTPException: _on_http,
            Exception: _on_unhandled,
        },
        openapi_config=OpenAPIConfig(title="Rounds field sync API", version="1",
                                     components=SECURITY_COMPONENTS, security=SECURITY),
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        logging_config=None,  # ours (server/logs.py), configured above for the whole process
    )
    # Outermost, so 404s, refusals and crashes all get an id and an access line.
    app.asgi_handler = RequestContext(app.asgi_handler, trust_incoming=settings.trust_request_id)
    app.state.settings = settings
    app.state.store = store
    # Caps photo decoding per process, so a burst of uploads queues instead of
    # holding dozens of decoded images in memory at once.
    app.state.photo_limiter = anyio.CapacityLimiter(settings.photo_workers)
    return app
