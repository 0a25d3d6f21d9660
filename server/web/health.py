"""Probes for load balancers and deployment checks. Neither touches the
session (no cookie, no session row) so a probe every few seconds costs nothing."""

import structlog
from litestar import Request, Response, get
from litestar.di import NamedDependency

from server.domain.errors import RoundsError
from server.security.auth import language_of
from server.services.health import readiness
from server.storage.base import BlobStore

log = structlog.get_logger("rounds.health")


@get("/healthz", include_in_schema=False)
async def healthz() -> Response:
    """The process is alive and serving; asks nothing of the database."""
    return Response({"ok": True}, headers={"Cache-Control": "no-store"})


@get("/readyz", include_in_schema=False)
async def readyz(request: Request, store: NamedDependency[BlobStore]) -> Response:
    """200 when the database answers with every migration applied and the photo
    store takes a write; otherwise 503 with the reason's code."""
    state = await readiness(store)
    if state.ready:
        return Response({"ok": True}, headers={"Cache-Control": "no-store"})
    # The reason may name hosts or paths: it goes to the log, not to the caller.
    log.warning("not ready", code=state.code, reason=state.detail)
    body = {"ok": False, **RoundsError(state.code).body(language_of(request, None))}
    return Response(body, status_code=503, headers={"Cache-Control": "no-store"})
