from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from server.domain.submission import parse_credentials
from server.security.auth import SESSION_USER_KEY, client_ip
from server.security.session_backend import begin_session, live_session_user
from server.services import accounts
from server.services.accounts import CurrentUser
from server.settings import Settings


class SessionController(Controller):
    path = "/session"
    tags = ["session"]

    @post("/", status_code=200, summary="Log in")
    async def login(self, request: Request, data: JSONBody[dict[str, Any]], settings: NamedDependency[Settings]) -> dict:
        username, password = parse_credentials(data)
        user = await accounts.authenticate(
            username, password, ip=client_ip(request), session_user_id=live_session_user(request),
            max_attempts=settings.login_attempts, window_seconds=settings.login_window_seconds,
        )
        begin_session(request, user.id)
        return {"user": user.as_json()}

    @get("/", summary="The signed-in user")
    async def me(self, user: NamedDependency[CurrentUser]) -> dict:
        return {"user": user.as_json()}

    @patch("/", summary="Change the user's language")
    async def update(self, data: JSONBody[dict[str, Any]], user: NamedDependency[CurrentUser]) -> dict:
        if "language" in data:
            await accounts.set_language(user, data["language"])
        fresh = await accounts.load_user(user.id)
        return {"user": fresh.as_json() if fresh else user.as_json()}

    @delete("/", status_code=204, summary="Log out", exclude_from_auth=True)
    async def logout(self, request: Request) -> None:
        await accounts.record_logout((request.session or {}).get(SESSION_USER_KEY))
        request.clear_session()
