"""Console entry: login, logout, language, the home page listing the user's sites."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from server.domain.errors import RoundsError
from server.domain.roles import CONSOLE_ROLES
from server.i18n import translate
from server.security.auth import SESSION_USER_KEY, client_ip
from server.security.session_backend import begin_session, live_session_user
from server.services import accounts
from server.services.accounts import CurrentUser
from server.services.sites import sites_of
from server.settings import Settings
from server.web.context import page

SITE_LINKS = [
    ("/console/sites/{site}/today", "nav.today"),
    ("/console/sites/{site}/visits", "nav.visits"),
    ("/console/findings?site={site}", "nav.findings"),
]


@dataclass
class LoginForm:
    username: str = ""
    password: str = ""
    next: str = "/console"


@dataclass
class LanguageForm:
    language: str = "zh-CN"


def _safe_next(target: str) -> str:
    # Only local paths: never bounce a user to another site after login.
    path = urlsplit(target)
    local = path.path if not path.scheme and not path.netloc else ""
    if path.query and local:
        local += "?" + path.query
    return local if local.startswith("/") and not local.startswith("//") else "/console"


@get("/console/login", include_in_schema=False)
async def login_page(request: Request, next: FromQuery[str] = "/console") -> Template:
    return page(request, "console/login.html", None, next=_safe_next(next))


@post("/console/login", include_in_schema=False, status_code=200)
async def login_submit(
    request: Request,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    settings: NamedDependency[Settings],
) -> Template | Redirect:
    try:
        user = await accounts.authenticate(
            data.username, data.password, ip=client_ip(request), session_user_id=live_session_user(request),
            max_attempts=settings.login_attempts, window_seconds=settings.login_window_seconds)
    except RoundsError as exc:
        lang = request.headers.get("accept-language", settings.default_language)
        message = exc.message_zh if lang.lower().startswith("zh") else exc.message_en
        response = page(request, "console/login.html", None, error=message, username=data.username,
                        next=_safe_next(data.next))
        response.status_code = exc.status or 401
        return response
    begin_session(request, user.id)
    if user.role not in CONSOLE_ROLES:
        return Redirect("/", status_code=303)  # field staff belong in the field app
    return Redirect(_safe_next(data.next), status_code=303)


@post("/console/logout", include_in_schema=False, status_code=303)
async def logout(request: Request) -> Redirect:
    await accounts.record_logout((request.session or {}).get(SESSION_USER_KEY))
    request.clear_session()
    return Redirect("/console/login", status_code=303)


@post("/console/language", include_in_schema=False, status_code=303)
async def language(
    request: Request,
    data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    user: NamedDependency[CurrentUser],
) -> Redirect:
    await accounts.set_language(user, data.language)
    return Redirect(_safe_next(request.headers.get("referer") or "/console"), status_code=303)


@get("/console", include_in_schema=False)
async def home(request: Request, console_user: NamedDependency[CurrentUser]) -> Template:
    sites = await sites_of(console_user)
    return page(request, "console/home.html", console_user, active="nav.today", sites=sites,
                site_links=SITE_LINKS, title=translate("console.home.title", console_user.language))


CONSOLE_HANDLERS = [login_page, login_submit, logout, language, home]
