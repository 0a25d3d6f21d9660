"""QR labels of a site: issue for checkpoints, print sheets or one label as
PDF, reprint, revoke a label or a batch."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.domain.errors import RoundsError
from server.domain.label_layout import DEFAULT_LAYOUT, LAYOUTS
from server.labels.fonts import has_cjk
from server.services import setup_locations, setup_tags
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.settings import Settings
from server.web.setup.common import errors_of, read_form, render, see_other


async def _page(request: Request, user: CurrentUser, site: dict, *, errors: dict | None = None,
                status: int = 200, batch: str = "") -> Template:
    site_id = site["id"]
    tree = await setup_locations.tree(site_id)
    paths = {r["id"]: (r["path_zh"], r["path_en"]) for r in tree}
    tags = await setup_tags.tags(site_id)
    for t in tags:
        t["path_zh"], t["path_en"] = paths.get(t["location"], (t["name_zh"], t["name_en"]))
    return render(request, "setup/labels.html", user, site=site, tab="labels", errors=errors, status=status,
                  untagged=[dict(p, path_zh=paths.get(p["id"], ("", ""))[0], path_en=paths.get(p["id"], ("", ""))[1])
                            for p in await setup_tags.untagged_points(site_id)],
                  points=[r for r in tree if r["kind"] == "point"],
                  batches=await setup_tags.batches(site_id), tags=tags, layouts=list(LAYOUTS),
                  default_layout=DEFAULT_LAYOUT, new_batch=batch, has_cjk=has_cjk())


@get("/console/setup/sites/{site_id:int}/labels", include_in_schema=False)
async def labels_page(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                      batch: FromQuery[str] = "") -> Template:
    site = await require_site(console_user, site_id)
    return await _page(request, console_user, site, batch=batch)


@post("/console/setup/sites/{site_id:int}/labels/issue", include_in_schema=False, status_code=200)
async def labels_issue(request: Request, site_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    ids = [int(v) for v in form.getall("location") if v.isdigit()]
    try:
        batch = await setup_tags.issue(site_id, ids, actor=console_user, replace=form.get("replace") == "1")
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden"):
            raise
        return await _page(request, console_user, site, errors=errors_of(exc, console_user.language),
                           status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/labels?batch={batch}", "issued")


@get("/console/setup/sites/{site_id:int}/labels.pdf", include_in_schema=False)
async def labels_pdf(site_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                     settings: NamedDependency[Settings], batch: FromQuery[str] = "",
                     tag: FromQuery[int | None] = None, layout: FromQuery[str] = DEFAULT_LAYOUT) -> Response:
    site = await require_site(console_user, site_id)
    pdf, _ = await setup_tags.label_pdf(site_id, base_url=settings.base_url, actor=console_user,
                                         batch=batch or None, tag_ids=[tag] if tag else None, layout=layout)
    name = f"{site['code']}-labels-{batch or (f'tag-{tag}' if tag else 'all')}.pdf"
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"})


@post("/console/setup/sites/{site_id:int}/labels/{tag_id:int}/revoke", include_in_schema=False, status_code=200)
async def label_revoke(request: Request, site_id: FromPath[int], tag_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    reason = (await read_form(request)).get("reason")
    try:
        await setup_tags.revoke(site_id, tag_id, reason, actor=console_user)
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden", "not_found"):
            raise
        return await _page(request, console_user, site, errors=errors_of(exc, console_user.language),
                           status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/labels", "revoked")


@post("/console/setup/sites/{site_id:int}/labels/revoke-batch", include_in_schema=False, status_code=200)
async def batch_revoke(request: Request, site_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    try:
        await setup_tags.revoke_batch(site_id, form.get("batch"), form.get("reason"), actor=console_user)
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden"):
            raise
        return await _page(request, console_user, site, errors=errors_of(exc, console_user.language),
                           status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/labels", "batch_revoked")


HANDLERS = [labels_page, labels_issue, labels_pdf, label_revoke, batch_revoke]
