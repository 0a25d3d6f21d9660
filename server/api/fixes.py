from typing import Any

from litestar import Controller, Response, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from server.services.accounts import CurrentUser
from server.services.findings import submit_fix


class FixController(Controller):
    path = "/fixes"
    tags = ["sync"]

    @put("/{client_uuid:str}", summary="Send the fix evidence for a rectification (idempotent by client UUID)")
    async def put_fix(
        self, client_uuid: FromPath[str], data: JSONBody[dict[str, Any]], user: NamedDependency[CurrentUser]
    ) -> Response:
        created, result = await submit_fix(user, client_uuid, data)
        return Response({"fix": result}, status_code=201 if created else 200)
