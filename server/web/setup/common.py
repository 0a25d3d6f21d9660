"""What the setup pages share: rendering with the setup layout, reading forms,
turning a refusal into per-field messages, and redirect-after-post."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Redirect, Template

from server.domain.errors import RoundsError
from server.i18n import MESSAGES, normalise, translate
from server.i18n.messages_setup import reason_text
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_admin
from server.web.context import page


class Form:
    """A posted form: first value by name, every value, and the names.
    `override` replaces a field's value (e.g. with the id of a file just
    uploaded), as if the browser had posted it."""

    def __init__(self, data: Any) -> None:
        self._data = data
        self._over: dict[str, str] = {}

    def override(self, name: str, value: str) -> None:
        self._over[name] = value

    def get(self, name: str, default: str = "") -> str:
        if name in self._over:
            return self._over[name]
        value = self._data.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else str(value)

    def getall(self, name: str) -> list[str]:
        if name in self._over:
            return [self._over[name]]
        if not hasattr(self._data, "getall"):
            return []
        try:
            return [v if isinstance(v, str) else str(v) for v in self._data.getall(name)]
        except KeyError:  # multidict raises for an absent name
            return []

    def keys(self) -> list[str]:
        return list(dict.fromkeys([*self._data.keys(), *self._over]))

    def file(self, name: str):
        value = self._data.get(name)
        return value if hasattr(value, "read") else None

    def dict(self, *names: str) -> dict[str, str]:
        return {n: self.get(n) for n in names}


async def read_form(request: Request) -> Form:
    return Form(await request.form())


def admin(user: CurrentUser) -> CurrentUser:
    require_admin(user)
    return user


def render(request: Request, template: str, user: CurrentUser, *, status: int = 200, **context: Any) -> Template:
    done = request.query_params.get("done", "")
    done_key = f"setup.done.{done}"
    lang = normalise(user.language)
    site = context.get("site")
    zone = ZoneInfo(site["timezone"]) if site else None

    def local(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
        """A stored instant as the site's wall-clock time."""
        if value is None:
            return ""
        return (value.astimezone(zone) if zone else value).strftime(pattern)

    response = page(request, template, user, active="nav.setup",
                    done=translate(done_key, lang) if done_key in MESSAGES else "",
                    reason=lambda text: reason_text(str(text), lang), local=local, **context)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "HX-Request"
    return response


def errors_of(exc: RoundsError, language: str) -> dict[str, str]:
    """{"_": the general message, field: what is wrong with it}. The code is
    kept under "_code" for tests and scripts (data-code in the page); not
    "code", which is also a form field (a site's code)."""
    lang = normalise(language)
    detail = exc.detail or {}
    out = {"_": exc.message_en if lang == "en" else exc.message_zh, "_code": exc.code}
    field = detail.get("field") or detail.get("path")
    reason = detail.get("reason")
    if field is not None:
        text = reason_text(str(reason), lang) if reason else out["_"]
        out[str(field)] = text
        if "index" in detail and detail["index"] is not None:
            out[f"items-{detail['index']}-{field}"] = text
            out["_"] += f" #{int(detail['index']) + 1} · {field}: {text}"
        else:
            out["_"] += f" {field}: {text}"
    elif reason:
        out["_"] += " " + reason_text(str(reason), lang)
    return out


def see_other(url: str, done: str = "") -> Redirect:
    if done:
        url += ("&" if "?" in url else "?") + f"done={done}"
    return Redirect(url, status_code=303)


async def attempt(fn: Callable, *args: Any, **kwargs: Any) -> tuple[Any, RoundsError | None]:
    """Run a service call; (result, None) or (None, the refusal)."""
    try:
        return await fn(*args, **kwargs), None
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden", "person_forbidden", "not_found"):
            raise
        return None, exc
