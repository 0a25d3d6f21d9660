"""Findings until fixed: the list (overdue rectifications first), one
finding's history, fixed-on-the-spot with an after-photo, rectification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from server.domain.errors import RoundsError
from server.services import findings
from server.services.accounts import CurrentUser
from server.services.catalog import site_row
from server.settings import Settings
from server.storage.base import BlobStore
from server.web.supervision.common import local, pick_site, render, site_choices

UPLOAD_LIMIT = 210 * 1024 * 1024  # the service enforces MAX_PHOTO_BYTES


@dataclass
class FixForm:
    photo: UploadFile | None = None
    note: str = ""


@dataclass
class RectifyForm:
    owner: int
    deadline: str
    note: str = ""


@get("/console/findings", include_in_schema=False)
async def findings_page(request: Request, console_user: NamedDependency[CurrentUser],
                        site: FromQuery[int | None] = None) -> Template:
    site_id = pick_site(console_user, site)
    rows, site_row_ = [], None
    if site_id is not None:
        site_row_ = await site_row(site_id)
        rows = await findings.list_findings(console_user, site_id)
    return render(request, "supervision/findings.html", console_user, "nav.findings", rows=rows,
                  site=site_row_, local=local(site_row_["timezone"] if site_row_ else "UTC"),
                  sites=await site_choices(console_user))


@get("/console/findings/{finding_id:int}", include_in_schema=False)
async def finding_page(request: Request, finding_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser], store: NamedDependency[BlobStore]) -> Template:
    d = await findings.finding_detail(console_user, finding_id, store)
    site = await site_row(d["finding"]["site"])
    return render(request, "supervision/finding.html", console_user, "nav.findings", d=d, site=site,
                  local=local(site["timezone"]))


@post("/console/findings/{finding_id:int}/fix", include_in_schema=False, status_code=303,
      request_max_body_size=UPLOAD_LIMIT)
async def finding_fix(finding_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                      store: NamedDependency[BlobStore], settings: NamedDependency[Settings],
                      data: Annotated[FixForm, Body(media_type=RequestEncodingType.MULTI_PART)]) -> Redirect:
    raw = await data.photo.read() if data.photo is not None else b""
    await findings.fix_on_spot_with_photo(
        console_user, finding_id, raw, note=data.note, store=store, max_bytes=settings.max_photo_bytes,
        max_pixels=settings.max_image_pixels, content_type=(data.photo.content_type if data.photo else "") or "")
    return Redirect(f"/console/findings/{finding_id}", status_code=303)


@post("/console/findings/{finding_id:int}/rectify", include_in_schema=False, status_code=303)
async def finding_rectify(finding_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                          data: Annotated[RectifyForm, Body(media_type=RequestEncodingType.URL_ENCODED)]
                          ) -> Redirect:
    d = await findings.finding_detail(console_user, finding_id)
    site = await site_row(d["finding"]["site"])
    try:
        deadline = datetime.fromisoformat(data.deadline)
    except ValueError:
        raise RoundsError("invalid_time", {"field": "deadline"}) from None
    if deadline.tzinfo is None:  # datetime-local: wall time at the site
        deadline = deadline.replace(tzinfo=ZoneInfo(site["timezone"]))
    await findings.open_rectification(console_user, finding_id, owner_id=data.owner, deadline=deadline,
                                      note=data.note)
    return Redirect(f"/console/findings/{finding_id}", status_code=303)
