"""Daily patrol report (巡楼报告): printable page, CSV, sign-off and countersign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from server.domain import schedule
from server.domain.errors import RoundsError
from server.lib.clock import now
from server.services import reports
from server.services.accounts import CurrentUser
from server.services.catalog import site_row
from server.services.scope import require
from server.settings import Settings
from server.web.supervision.common import local, pending_rule, pick_site, render, site_choices


@dataclass
class SignForm:
    note: str = ""


def _day(value: str | None, tz: str) -> date:
    if not value:
        return schedule.local_today(now(), tz) - timedelta(days=1)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RoundsError("validation_error", {"field": "day"}) from None


@get("/console/reports", include_in_schema=False)
async def report_page(request: Request, console_user: NamedDependency[CurrentUser],
                      settings: NamedDependency[Settings], site: FromQuery[int | None] = None,
                      day: FromQuery[str | None] = None) -> Template:
    require(console_user, "report.view")
    site_id = pick_site(console_user, site)
    if site_id is None:
        return render(request, "supervision/report.html", console_user, "nav.reports", r=None)
    s = await site_row(site_id)
    r = await reports.daily_report(console_user, site_id, _day(day, s["timezone"]), secret=settings.secret_key,
                                   pending=pending_rule(settings))
    return render(request, "supervision/report.html", console_user, "nav.reports", r=r,
                  local=local(s["timezone"]), sites=await site_choices(console_user), site=s,
                  switch_keep={"day": r["day"].isoformat()})


@get("/console/reports/{site_id:int}/{day:str}/csv", include_in_schema=False)
async def report_csv(site_id: FromPath[int], day: FromPath[str], console_user: NamedDependency[CurrentUser],
                     settings: NamedDependency[Settings]) -> Response:
    s = await site_row(site_id) if site_id in console_user.site_ids else None
    if s is None:
        raise RoundsError("site_forbidden", {"site_id": site_id})
    r, text = await reports.export_csv(console_user, site_id, _day(day, s["timezone"]), secret=settings.secret_key,
                                       pending=pending_rule(settings))
    name = f"patrol-report-{s['code']}-{r['day'].isoformat()}.csv"
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@post("/console/reports/{site_id:int}/{day:str}/sign", include_in_schema=False, status_code=303)
async def report_sign(site_id: FromPath[int], day: FromPath[str], console_user: NamedDependency[CurrentUser],
                      settings: NamedDependency[Settings],
                      data: Annotated[SignForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Redirect:
    if site_id not in console_user.site_ids:
        raise RoundsError("site_forbidden", {"site_id": site_id})
    s = await site_row(site_id)
    d = _day(day, s["timezone"])
    await reports.sign(console_user, site_id, d, secret=settings.secret_key, note=data.note,
                       pending=pending_rule(settings))
    return Redirect(f"/console/reports?site={site_id}&day={d.isoformat()}", status_code=303)
