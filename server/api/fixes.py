from typing import Annotated

from litestar import Controller, Request, Response, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from server.api.schemas.common import UnsafeOperation, created, errors, uuid_path
from server.api.schemas.fixes import FixBody, FixReply
from server.services.accounts import CurrentUser
from server.services.findings import submit_fix


class FixController(Controller):
    path = "/fixes"
    tags = ["sync"]

    @put("/{client_uuid:str}", operation_class=UnsafeOperation,
         summary="Send the fix evidence for a rectification (idempotent by client UUID)",
         responses={201: created(FixReply),
                    **errors("forbidden", "not_finding_owner", "unknown_finding", "finding_not_rectifying",
                             "fix_incomplete", "invalid_time", "idempotency_conflict")})
    async def put_fix(
        self,
        request: Request,
        client_uuid: Annotated[str, uuid_path("The fix's UUID, made on the phone")],
        data: JSONBody[FixBody],
        user: NamedDependency[CurrentUser],
    ) -> Response[FixReply]:
        # The body as sent: resends are recognised by its fingerprint.
        is_new, result = await submit_fix(user, client_uuid, await request.json())
        return Response({"fix": result}, status_code=201 if is_new else 200)
