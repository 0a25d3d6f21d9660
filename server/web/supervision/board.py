"""Today board and the visit list of a site."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from server.services.accounts import CurrentUser
from server.services.board import today_board
from server.services.catalog import site_row
from server.services.visit_detail import recent_visits
from server.settings import Settings
from server.web.supervision.common import local, pending_rule, render


@get("/console/sites/{site_id:int}/today", include_in_schema=False)
async def board_page(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                     settings: NamedDependency[Settings]) -> Template:
    data = await today_board(console_user, site_id, secret=settings.secret_key, pending=pending_rule(settings))
    return render(request, "supervision/board.html", console_user, "nav.today",
                  fragment="supervision/_board.html", b=data, local=local(data["site"]["timezone"]))


@get("/console/sites/{site_id:int}/visits", include_in_schema=False)
async def visits_page(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                      before: FromQuery[int | None] = None, failed: FromQuery[int] = 0,
                      round: FromQuery[int | None] = None, occurrence: FromQuery[str | None] = None) -> Template:
    rows = await recent_visits(console_user, site_id, before_id=before, failed_only=bool(failed),
                               round_id=round, occurrence=occurrence)
    site = await site_row(site_id)
    return render(request, "supervision/visits.html", console_user, "nav.today", rows=rows, site=site,
                  failed=bool(failed), occurrence=occurrence if round is not None else None, round_id=round,
                  local=local(site["timezone"]))
