from typing import Any

from litestar import Controller, Response, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from server.services.accounts import CurrentUser
from server.services.incidents import ingest_incident


class IncidentController(Controller):
    path = "/incidents"
    tags = ["sync"]

    @put("/{client_uuid:str}", summary="Report an incident (idempotent by client UUID)")
    async def put_incident(
        self, client_uuid: FromPath[str], data: JSONBody[dict[str, Any]], user: NamedDependency[CurrentUser]
    ) -> Response:
        created, result = await ingest_incident(user, client_uuid, data)
        return Response({"incident": result}, status_code=201 if created else 200)
