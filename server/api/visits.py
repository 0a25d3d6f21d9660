from typing import Annotated

from litestar import Controller, Request, Response, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from server.api.schemas.common import UnsafeOperation, created, errors, uuid_path
from server.api.schemas.visits import BatchBody, BatchReply, VisitBody, VisitReply
from server.logs import get_logger
from server.security.auth import language_of
from server.services.accounts import CurrentUser
from server.services.visits import ingest_visit, ingest_visits
from server.settings import Settings

log = get_logger("rounds.errors")

VISIT_REFUSALS = (
    "forbidden", "site_forbidden", "unknown_tag", "revoked_tag", "unknown_location", "unknown_template_version",
    "template_mismatch", "unknown_round", "unknown_item", "duplicate_answer", "required_answer_missing",
    "invalid_answer", "number_out_of_range", "photo_required", "note_required", "invalid_kind", "invalid_time",
    "idempotency_conflict", "nul_character",
)


class VisitController(Controller):
    path = "/visits"
    tags = ["sync"]

    @put("/{client_uuid:str}", operation_class=UnsafeOperation,
         summary="Submit a visit (idempotent by client UUID)",
         responses={201: created(VisitReply), **errors(*VISIT_REFUSALS)})
    async def put_visit(
        self,
        request: Request,
        client_uuid: Annotated[str, uuid_path("The visit's UUID, made on the phone")],
        data: JSONBody[VisitBody],
        user: NamedDependency[CurrentUser],
        settings: NamedDependency[Settings],
    ) -> Response[VisitReply]:
        # The service fingerprints the body as sent (a resend must match), so it
        # gets the decoded JSON; the model above has checked its shape.
        is_new, result = await ingest_visit(user, client_uuid, await request.json(), secret=settings.secret_key)
        return Response({"visit": result}, status_code=201 if is_new else 200)

    @post("/batch", operation_class=UnsafeOperation, status_code=200,
          summary="Submit several visits at once (each idempotent by its UUID)", responses=errors())
    async def post_batch(
        self,
        request: Request,
        data: JSONBody[BatchBody],
        user: NamedDependency[CurrentUser],
        settings: NamedDependency[Settings],
    ) -> BatchReply:
        entries = (await request.json())["visits"]
        outcomes = await ingest_visits(user, [(e["client_uuid"], e["body"]) for e in entries],
                                       secret=settings.secret_key)
        language = language_of(request, user)
        for o in outcomes:
            if o.error is not None:  # the reply is a 200; each refusal is logged like a refused PUT
                log.info("refused", code=o.error.code, status=o.status, method=request.method,
                         path=request.scope["path"], visit=o.client_uuid)
        return {"results": [  # type: ignore[return-value]
            {"client_uuid": o.client_uuid, "status": o.status, "visit": o.visit}
            if o.error is None else
            {"client_uuid": o.client_uuid, "status": o.status, "error": o.error.body(language)}
            for o in outcomes
        ]}
