"""Setup overview and sites: create a site, edit its name, time zone, address."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.domain.roles import ROLES
from server.services import setup_sites, setup_templates
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.settings import Settings
from server.web.setup.common import admin, attempt, errors_of, read_form, render, see_other

SITE_FIELDS = ("code", "name_zh", "name_en", "timezone", "address_zh", "address_en")


async def _overview(request: Request, user: CurrentUser, *, values: dict | None = None,
                    errors: dict | None = None, status: int = 200, settings: Settings | None = None) -> Template:
    return render(request, "setup/index.html", admin(user), status=status,
                  sites=await setup_sites.site_summaries(user), library=setup_templates.library(),
                  values=values or {"timezone": settings.default_timezone if settings else "Asia/Shanghai"},
                  errors=errors, roles=ROLES)


@get("/console/setup", include_in_schema=False)
async def setup_index(request: Request, console_user: NamedDependency[CurrentUser],
                      settings: NamedDependency[Settings]) -> Template:
    return await _overview(request, console_user, settings=settings)


@post("/console/setup/sites", include_in_schema=False, status_code=200)
async def site_create(request: Request, console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    form = await read_form(request)
    values = form.dict(*SITE_FIELDS)
    site_id, error = await attempt(setup_sites.create_site, values, actor=admin(console_user))
    if error:
        return await _overview(request, console_user, values=values,
                               errors=errors_of(error, console_user.language), status=error.status or 422)
    return see_other(f"/console/setup/sites/{site_id}", "site_created")


@get("/console/setup/sites/{site_id:int}", include_in_schema=False)
async def site_page(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    summary = next(s for s in await setup_sites.site_summaries(console_user) if s["id"] == site_id)
    return render(request, "setup/site.html", console_user, site=site, tab="site", values=site, summary=summary)


@post("/console/setup/sites/{site_id:int}", include_in_schema=False, status_code=200)
async def site_update(request: Request, site_id: FromPath[int],
                      console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    values = {**form.dict(*SITE_FIELDS[1:]), "active": form.getall("active")[-1:] == ["1"]}
    _, error = await attempt(setup_sites.update_site, site_id, values, actor=console_user)
    if error:
        summary = next(s for s in await setup_sites.site_summaries(console_user) if s["id"] == site_id)
        return render(request, "setup/site.html", console_user, site=site, tab="site", values={**site, **values},
                      summary=summary, errors=errors_of(error, console_user.language), status=error.status or 422)
    return see_other(f"/console/setup/sites/{site_id}", "saved")


HANDLERS = [setup_index, site_create, site_page, site_update]
