import logging
from typing import Any

from litestar import Controller, Request, Response, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from server.domain.errors import RoundsError
from server.security.auth import language_of
from server.services.accounts import CurrentUser
from server.services.visits import MAX_BATCH, ingest_visit, ingest_visits
from server.settings import Settings

log = logging.getLogger("rounds")


class VisitController(Controller):
    path = "/visits"
    tags = ["sync"]

    @put("/{client_uuid:str}", summary="Submit a visit (idempotent by client UUID)")
    async def put_visit(
        self,
        client_uuid: FromPath[str],
        data: JSONBody[dict[str, Any]],
        user: NamedDependency[CurrentUser],
        settings: NamedDependency[Settings],
    ) -> Response:
        created, result = await ingest_visit(user, client_uuid, data, secret=settings.secret_key)
        return Response({"visit": result}, status_code=201 if created else 200)

    @post("/batch", status_code=200, summary="Submit several visits at once (each idempotent by its UUID)")
    async def post_batch(
        self,
        request: Request,
        data: JSONBody[dict[str, Any]],
        user: NamedDependency[CurrentUser],
        settings: NamedDependency[Settings],
    ) -> dict:
        entries = data.get("visits")
        if not isinstance(entries, list) or not 0 < len(entries) <= MAX_BATCH or not all(
            isinstance(e, dict) and set(e) == {"client_uuid", "body"} for e in entries
        ):
            raise RoundsError("malformed_body", {"field": "visits", "max": MAX_BATCH,
                                                 "shape": [{"client_uuid": "…", "body": {}}]})
        outcomes = await ingest_visits(user, [(e["client_uuid"], e["body"]) for e in entries],
                                       secret=settings.secret_key)
        language = language_of(request, user)
        for o in outcomes:
            if o.error is not None:  # the reply is a 200; each refusal is logged like a refused PUT
                log.warning("refused %s %r: %s %s (visit %s)", request.method, request.scope["path"], o.status,
                            o.error.code, o.client_uuid)
        return {"results": [
            {"client_uuid": o.client_uuid, "status": o.status, "visit": o.visit}
            if o.error is None else
            {"client_uuid": o.client_uuid, "status": o.status, "error": o.error.body(language)}
            for o in outcomes
        ]}
