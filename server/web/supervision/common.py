"""Small helpers the supervision pages share: which site a page is about and
how times read in the site's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Template

from server.domain.compliance import PendingRule
from server.domain.errors import RoundsError
from server.services.accounts import CurrentUser
from server.services.sites import sites_of
from server.settings import Settings
from server.web.context import page


def pick_site(user: CurrentUser, site: int | None) -> int | None:
    """The site asked for (must be the user's), else the user's first site."""
    if site is not None:
        if site not in user.site_ids:
            raise RoundsError("site_forbidden", {"site_id": site})
        return site
    return min(user.site_ids) if user.site_ids else None


async def site_choices(user: CurrentUser) -> list[dict]:
    """The user's sites for the page's site switcher (shown when there are several)."""
    return await sites_of(user) if len(user.site_ids) > 1 else []


def pending_rule(settings: Settings) -> PendingRule:
    return PendingRule.hours(settings.pending_sync_lead_hours, settings.pending_sync_cutoff_hours)


def local(zone: ZoneInfo | str):
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone

    def fmt(value: datetime | None, pattern: str = "%m-%d %H:%M") -> str:
        return value.astimezone(tz).strftime(pattern) if value else "—"

    return fmt


def render(request: Request, template: str, user: CurrentUser, active: str, fragment: str | None = None,
           **context) -> Template:
    """The full page, or only `fragment` for an htmx request (Vary: HX-Request
    so a cache never hands one for the other)."""
    name = fragment if fragment and request.headers.get("hx-request") == "true" else template
    response = page(request, name, user, active=active, **context)
    response.headers["Vary"] = "HX-Request"
    response.headers["Cache-Control"] = "no-store"
    return response
