"""Spot checks: the inspector's daily list, everyone's lists for supervisors,
and original vs spot check item by item."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from server.services import spot_checks
from server.services.accounts import CurrentUser
from server.services.catalog import site_row
from server.settings import Settings
from server.web.supervision.common import local, pick_site, render, site_choices


@get("/console/spot-checks", include_in_schema=False)
async def spot_checks_page(request: Request, console_user: NamedDependency[CurrentUser],
                           settings: NamedDependency[Settings], site: FromQuery[int | None] = None) -> Template:
    site_id = pick_site(console_user, site)
    data, site_ = {"rows": [], "day": None}, None
    if site_id is not None:
        site_ = await site_row(site_id)
        data = await spot_checks.list_for(console_user, site_id, secret=settings.secret_key)
    return render(request, "supervision/spot_checks.html", console_user, "nav.spot_checks", site=site_,
                  data=data, local=local(site_["timezone"] if site_ else "UTC"),
                  sites=await site_choices(console_user))


@get("/console/spot-checks/{assignment_id:int}", include_in_schema=False)
async def spot_check_page(request: Request, assignment_id: FromPath[int],
                          console_user: NamedDependency[CurrentUser]) -> Template:
    d = await spot_checks.comparison(console_user, assignment_id)
    site = await site_row(d["row"]["site"])
    return render(request, "supervision/spot_check.html", console_user, "nav.spot_checks", d=d, site=site,
                  local=local(site["timezone"]))
