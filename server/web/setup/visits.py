"""A visit read-only against the template version it used (the proof that
publishing a new version leaves old visits as they were)."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from server.services import setup_templates
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.web.setup.common import render


@get("/console/setup/sites/{site_id:int}/visits/{visit_id:int}", include_in_schema=False)
async def setup_visit_page(request: Request, site_id: FromPath[int], visit_id: FromPath[int],
                           console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    visit = await setup_templates.visit_against_version(site_id, visit_id)
    return render(request, "setup/visit.html", console_user, site=site, visit=visit)


HANDLERS = [setup_visit_page]
