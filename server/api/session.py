from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from msgspec import UNSET

from server.api.schemas.common import UnsafeOperation, errors
from server.api.schemas.session import LanguageBody, LoginBody, UserReply
from server.domain.submission import parse_credentials
from server.security.auth import SESSION_USER_KEY, client_ip
from server.security.session_backend import begin_session, live_session_user
from server.services import accounts
from server.services.accounts import CurrentUser
from server.settings import Settings


class SessionController(Controller):
    path = "/session"
    tags = ["session"]

    # security [{}]: no credential needed (an empty list would inherit the app's).
    @post("/", operation_class=UnsafeOperation, status_code=200, summary="Log in", security=[{}],
          responses=errors("bad_credentials", "login_rate_limited"))
    async def login(self, request: Request, data: JSONBody[LoginBody], settings: NamedDependency[Settings]) -> UserReply:
        username, password = parse_credentials({"username": data.username, "password": data.password})
        user = await accounts.authenticate(
            username, password, ip=client_ip(request), session_user_id=live_session_user(request),
            max_attempts=settings.login_attempts, window_seconds=settings.login_window_seconds,
        )
        begin_session(request, user.id)
        return {"user": user.as_json()}  # type: ignore[return-value]

    @get("/", summary="The signed-in user", responses=errors())
    async def me(self, user: NamedDependency[CurrentUser]) -> UserReply:
        return {"user": user.as_json()}  # type: ignore[return-value]

    @patch("/", operation_class=UnsafeOperation, summary="Change the user's language", responses=errors("validation_error"))
    async def update(self, data: JSONBody[LanguageBody], user: NamedDependency[CurrentUser]) -> UserReply:
        if data.language is not UNSET:
            await accounts.set_language(user, data.language)
        fresh = await accounts.load_user(user.id)
        return {"user": fresh.as_json() if fresh else user.as_json()}  # type: ignore[return-value]

    @delete("/", operation_class=UnsafeOperation, status_code=204, summary="Log out", exclude_from_auth=True,
            security=[{}], responses=errors())
    async def logout(self, request: Request) -> None:
        await accounts.record_logout((request.session or {}).get(SESSION_USER_KEY))
        request.clear_session()
