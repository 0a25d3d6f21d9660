"""Who is asking: the signed-in user from the server-side session, and the
defence against forged cross-site requests for the sync API."""

from __future__ import annotations

from urllib.parse import urlparse

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from server.domain.client_address import client_address
from server.domain.errors import RoundsError
from server.services.accounts import CurrentUser, load_user

SESSION_USER_KEY = "uid"
CLIENT_HEADER = "x-rounds-client"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


async def current_user(request: Request) -> CurrentUser:
    """Dependency for every route that needs a signed-in user."""
    uid = (request.session or {}).get(SESSION_USER_KEY) if "session" in request.scope else None
    user = await load_user(uid) if isinstance(uid, int) else None
    if user is None:
        raise RoundsError("not_authenticated")
    request.state.user = user  # lets error replies speak the user's language
    return user


def client_ip(connection: ASGIConnection) -> str:
    """The client's address for the login throttle: X-Forwarded-For counts
    only when the peer is one of TRUSTED_PROXIES."""
    peer = connection.client.host if connection.client else ""
    return client_address(peer, connection.headers.getall("x-forwarded-for", []),
                          connection.app.state.settings.trusted_proxies)


def _origin(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}".lower()


def replay_safe(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard for the JSON API. A phone may replay a queued request days later,
    when a CSRF token would be stale; instead every unsafe request must carry a
    custom header (which a cross-site page cannot send without a CORS
    preflight, never granted here), and any Origin / Sec-Fetch-Site the
    browser adds must say same-origin."""
    if connection.scope.get("method") not in UNSAFE:
        return
    if not connection.headers.get(CLIENT_HEADER):
        raise RoundsError("cross_site_request", {"reason": f"missing {CLIENT_HEADER} header"})
    fetch_site = connection.headers.get("sec-fetch-site")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        raise RoundsError("cross_site_request", {"reason": f"sec-fetch-site {fetch_site}"})
    origin = connection.headers.get("origin")
    if origin:
        allowed = {_origin(str(connection.base_url)), _origin(connection.app.state.settings.base_url)}
        if origin.lower() not in allowed:
            raise RoundsError("cross_site_request", {"reason": "origin"})


def language_of(request: Request, user: CurrentUser | None = None) -> str:
    if user is not None:
        return user.language
    accept = request.headers.get("accept-language", "")
    if accept.lower().startswith("zh"):
        return "zh-CN"
    if accept.lower().startswith("en"):
        return "en"
    return request.app.state.settings.default_language
