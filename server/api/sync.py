from typing import Any

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from server.services import heartbeat
from server.services.accounts import CurrentUser
from server.services.sync_status import held


class SyncController(Controller):
    path = "/sync"
    tags = ["sync"]

    @post("/status", status_code=200, summary="Which of my UUIDs the server holds")
    async def status(self, data: JSONBody[dict[str, Any]], user: NamedDependency[CurrentUser]) -> dict:
        beat = heartbeat.parse(data) if isinstance(data, dict) else None
        result = await held(user, data)
        if beat is not None:
            await heartbeat.record(user, beat, source="status")
        return result
