from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from server.api.schemas.common import UnsafeOperation, errors
from server.api.schemas.sync import StatusBody, StatusReply
from server.services import heartbeat
from server.services.accounts import CurrentUser
from server.services.sync_status import held


class SyncController(Controller):
    path = "/sync"
    tags = ["sync"]

    @post("/status", operation_class=UnsafeOperation, status_code=200, summary="Which of my UUIDs the server holds",
          responses=errors("invalid_time"))
    async def status(
        self, request: Request, data: JSONBody[StatusBody], user: NamedDependency[CurrentUser]
    ) -> StatusReply:
        body = await request.json()  # as sent: `fixes` is answered only when asked
        beat = heartbeat.parse(body)
        result = await held(user, body)
        if beat is not None:
            await heartbeat.record(user, beat, source="status")
        return result  # type: ignore[return-value]
