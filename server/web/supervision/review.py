"""Photo review queue: one photo at a time, approve / reject with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from server.services import review
from server.services.accounts import CurrentUser
from server.services.catalog import site_row
from server.storage.base import BlobStore
from server.web.supervision.common import local, pick_site, render, site_choices


@dataclass
class DecisionForm:
    site: int
    visit_id: int
    photo: str
    older: int = 0
    verdict: str = ""  # the approve button sends "approved"; a reason button means rejected
    reason_code: str = ""
    note: str = ""


async def _context(user: CurrentUser, site_id: int | None, store: BlobStore, older: bool = False) -> dict:
    if site_id is None:
        return {"site": None, "q": {"item": None, "left": 0, "older": 0}, "reasons": review.REASONS}
    site = await site_row(site_id)
    q = await review.queue_item(user, site_id, store, older=older)
    return {"site": site, "q": q, "reasons": review.REASONS, "local": local(site["timezone"]),
            "queue_days": review.QUEUE_DAYS, "older_days": review.QUEUE_DAYS + review.OLDER_DAYS,
            "older_cap": review.OLDER_CAP}


@get("/console/review", include_in_schema=False)
async def review_page(request: Request, console_user: NamedDependency[CurrentUser],
                      store: NamedDependency[BlobStore], site: FromQuery[int | None] = None,
                      older: FromQuery[int] = 0) -> Template:
    site_id = pick_site(console_user, site)
    ctx = await _context(console_user, site_id, store, bool(older))
    if request.headers.get("hx-request") != "true":
        # Page-level facts, not re-counted after every decision.
        ctx["sites"] = await site_choices(console_user)
        if site_id is not None and not older:
            ctx["older_n"] = await review.older_count(console_user, site_id)
    return render(request, "supervision/review.html", console_user, "nav.review",
                  fragment="supervision/_review_item.html", **ctx)


@post("/console/review", include_in_schema=False, status_code=200)
async def review_decide(request: Request, console_user: NamedDependency[CurrentUser],
                        store: NamedDependency[BlobStore],
                        data: Annotated[DecisionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
                        ) -> Template | Redirect:
    site_id = pick_site(console_user, data.site)
    verdict = data.verdict or ("rejected" if data.reason_code else "")
    await review.decide(console_user, data.visit_id, data.photo, verdict, data.reason_code, data.note)
    if request.headers.get("hx-request") != "true":
        return Redirect(f"/console/review?site={site_id}" + ("&older=1" if data.older else ""), status_code=303)
    ctx = await _context(console_user, site_id, store, bool(data.older))
    return render(request, "supervision/review.html", console_user, "nav.review",
                  fragment="supervision/_review_item.html", saved=verdict, **ctx)
