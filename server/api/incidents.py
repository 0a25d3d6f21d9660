from typing import Annotated

from litestar import Controller, Request, Response, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from server.api.schemas.common import UnsafeOperation, created, errors, uuid_path
from server.api.schemas.incidents import IncidentBody, IncidentReply
from server.services.accounts import CurrentUser
from server.services.incidents import ingest_incident


class IncidentController(Controller):
    path = "/incidents"
    tags = ["sync"]

    @put("/{client_uuid:str}", operation_class=UnsafeOperation,
         summary="Report an incident (idempotent by client UUID)",
         responses={201: created(IncidentReply),
                    **errors("site_forbidden", "unknown_tag", "revoked_tag", "unknown_location", "invalid_kind",
                             "invalid_time", "idempotency_conflict")})
    async def put_incident(
        self,
        request: Request,
        client_uuid: Annotated[str, uuid_path("The incident's UUID, made on the phone")],
        data: JSONBody[IncidentBody],
        user: NamedDependency[CurrentUser],
    ) -> Response[IncidentReply]:
        # The body as sent: resends are recognised by its fingerprint.
        is_new, result = await ingest_incident(user, client_uuid, await request.json())
        return Response({"incident": result}, status_code=201 if is_new else 200)
