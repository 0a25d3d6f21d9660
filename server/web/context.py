"""What every console page gets: the signed-in user, the language, the
translation function and the navigation. One helper so controllers stay thin."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from server.domain.errors import RoundsError
from server.domain.roles import CONSOLE_ROLES
from server.i18n import normalise, pick, translate
from server.security.auth import SESSION_USER_KEY
from server.services.accounts import CurrentUser, load_user

NAV = [
    ("/console", "nav.today", None),
    ("/console/review", "nav.review", ("team_lead", "inspector", "supervisor", "manager", "admin")),
    ("/console/findings", "nav.findings", None),
    ("/console/spot-checks", "nav.spot_checks", ("inspector", "supervisor", "manager", "admin")),
    ("/console/reports", "nav.reports", ("supervisor", "manager", "admin")),
    ("/console/setup", "nav.setup", ("admin",)),
    ("/console/outbox-import", "nav.outbox_import", ("supervisor", "admin")),
]


class ConsoleLoginRequired(Exception):
    """Raised by console_user; answered with a redirect to the login page."""

    def __init__(self, next_url: str):
        self.next_url = next_url


async def console_user(request: Request) -> CurrentUser:
    """Dependency for console pages: signed in, and a role that uses the console."""
    uid = request.session.get(SESSION_USER_KEY) if request.session else None
    user = await load_user(uid) if isinstance(uid, int) else None
    if user is None:
        raise ConsoleLoginRequired(str(request.url.path))
    request.state.user = user
    if user.role not in CONSOLE_ROLES:
        raise RoundsError("forbidden", {"reason": "console roles only"})
    return user


def page(request: Request, template: str, user: CurrentUser | None, active: str = "", **context: Any) -> Template:
    lang = normalise(user.language if user else request.headers.get("accept-language"))
    nav = [(href, key) for href, key, roles in NAV if user and (roles is None or user.role in roles)]
    return Template(
        template_name=template,
        context={
            "user": user,
            "lang": lang,
            "_": lambda key, **values: translate(key, lang, **values),
            "pick": lambda row, field: pick(row, field, lang),
            "nav": nav,
            "active": active,
            **context,
        },
    )


def redirect_to_login(exc: ConsoleLoginRequired) -> Redirect:
    return Redirect(f"/console/login?next={exc.next_url}")
