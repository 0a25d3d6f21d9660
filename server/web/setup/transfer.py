"""Whole-site setup as one JSON document: export, and import (restore or copy)."""

from __future__ import annotations

import json

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.domain.errors import RoundsError
from server.lib import json_depth
from server.services import site_transfer
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.web.setup.common import admin, errors_of, read_form, render, see_other


@get("/console/setup/sites/{site_id:int}/export.json", include_in_schema=False)
async def site_export(site_id: FromPath[int], console_user: NamedDependency[CurrentUser]) -> Response:
    site = await require_site(console_user, site_id)
    doc = await site_transfer.export_site(site_id, actor_id=console_user.id)
    return Response(json.dumps(doc, ensure_ascii=False, indent=1).encode(), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{site["code"]}-setup.json"',
                             "Cache-Control": "no-store"})


@get("/console/setup/import", include_in_schema=False)
async def import_site_page(request: Request, console_user: NamedDependency[CurrentUser]) -> Template:
    return render(request, "setup/import.html", admin(console_user), values={})


@post("/console/setup/import", include_in_schema=False, status_code=200)
async def import_site(request: Request, console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    admin(console_user)
    form = await read_form(request)
    upload = form.file("file")
    code = form.get("code").strip().lower() or None
    fresh = form.getall("fresh_labels")[-1:] == ["1"]
    try:
        raw = json_depth.loads((await upload.read()).decode("utf-8-sig")) if upload is not None else None
        if raw is None:
            raise ValueError
    except ValueError:
        raw = None
    try:
        if raw is None:
            raise RoundsError("invalid_document", {"field": "file", "reason": "not JSON"})
        summary = await site_transfer.import_site(raw, actor=console_user, code=code, fresh_labels=fresh)
    except RoundsError as exc:
        if exc.code == "forbidden":
            raise
        return render(request, "setup/import.html", console_user, values={"code": code or "", "fresh": fresh},
                      errors=errors_of(exc, console_user.language), status=exc.status or 422)
    done = "site_imported_missing_users" if summary["unknown_users"] else "site_imported"
    return see_other(f"/console/setup/sites/{summary['site_id']}", done)


HANDLERS = [site_export, import_site_page, import_site]
