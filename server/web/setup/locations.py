"""The location tree of a site: list, add, edit (rename, move, retype,
reassign), reorder, retire/restore; CSV import with preview, CSV export."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.services import setup_locations, setup_people, setup_templates
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.web.setup.common import attempt, errors_of, read_form, render, see_other

FIELDS = ("key", "kind", "type", "name_zh", "name_en", "department", "parent", "responsible", "template")


async def _choices(site_id: int) -> dict:
    live = await setup_locations.tree(site_id)
    return {
        "parents": [r for r in live if r["kind"] != "point"],
        "people": await setup_people.active_users(site_id),
        "templates": await setup_templates.list_templates(site_id),
        "kinds": rules.KINDS, "kind_names": rules.KIND_NAMES, "types": rules.TYPES,
        "departments": rules.DEPARTMENTS,
    }


async def _list_page(request: Request, user: CurrentUser, site: dict, *, retired: bool = False,
                     values: dict | None = None, errors: dict | None = None, status: int = 200) -> Template:
    rows = await setup_locations.tree(site["id"], include_retired=retired)
    return render(request, "setup/locations.html", user, site=site, tab="locations", rows=rows, retired=retired,
                  values=values or {"kind": "point"}, errors=errors, status=status,
                  rounds_using=await setup_locations.rounds_using(site["id"]), **await _choices(site["id"]))


@get("/console/setup/sites/{site_id:int}/locations", include_in_schema=False)
async def locations_page(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                         retired: FromQuery[bool] = False, parent: FromQuery[int | None] = None) -> Template:
    site = await require_site(console_user, site_id)
    values = {"kind": "point", "parent": parent or ""}
    return await _list_page(request, console_user, site, retired=retired, values=values)


@post("/console/setup/sites/{site_id:int}/locations", include_in_schema=False, status_code=200)
async def location_create(request: Request, site_id: FromPath[int],
                          console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    values = (await read_form(request)).dict(*FIELDS)
    lid, error = await attempt(setup_locations.create, site_id, values, actor=console_user)
    if error:
        return await _list_page(request, console_user, site, values=values,
                                errors=errors_of(error, console_user.language), status=error.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/locations#loc-{lid}", "location_created")


async def _edit_page(request: Request, user: CurrentUser, site: dict, location_id: int, *,
                     values: dict | None = None, errors: dict | None = None, status: int = 200) -> Template:
    row = await setup_locations.get(site["id"], location_id)
    choices = await _choices(site["id"])
    rows = await setup_locations.tree(site["id"], include_retired=True)
    below = rules.subtree(location_id, {r["id"]: r["parent"] for r in rows})
    choices["parents"] = [p for p in choices["parents"] if p["id"] not in below]
    current = next(r for r in rows if r["id"] == location_id)
    return render(request, "setup/location_edit.html", user, site=site, tab="locations", location=current,
                  values=values or row, errors=errors, status=status,
                  rounds=(await setup_locations.rounds_using(site["id"])).get(location_id, []), **choices)


@get("/console/setup/sites/{site_id:int}/locations/{location_id:int}", include_in_schema=False)
async def location_page(request: Request, site_id: FromPath[int], location_id: FromPath[int],
                        console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    return await _edit_page(request, console_user, site, location_id)


@post("/console/setup/sites/{site_id:int}/locations/{location_id:int}", include_in_schema=False, status_code=200)
async def location_update(request: Request, site_id: FromPath[int], location_id: FromPath[int],
                          console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    values = (await read_form(request)).dict(*FIELDS)
    _, error = await attempt(setup_locations.update, site_id, location_id, values, actor=console_user)
    if error:
        return await _edit_page(request, console_user, site, location_id, values=values,
                                errors=errors_of(error, console_user.language), status=error.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/locations/{location_id}", "saved")


@post("/console/setup/sites/{site_id:int}/locations/{location_id:int}/{action:str}", include_in_schema=False,
      status_code=200)
async def location_action(request: Request, site_id: FromPath[int], location_id: FromPath[int], action: FromPath[str],
                          console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    """retire | restore | up | down"""
    site = await require_site(console_user, site_id)
    calls = {
        "retire": lambda: setup_locations.retire(site_id, location_id, actor=console_user),
        "restore": lambda: setup_locations.restore(site_id, location_id, actor=console_user),
        "up": lambda: setup_locations.move_position(site_id, location_id, -1, actor=console_user),
        "down": lambda: setup_locations.move_position(site_id, location_id, +1, actor=console_user),
    }
    if action not in calls:
        raise RoundsError("not_found")
    try:
        await calls[action]()
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden", "not_found"):
            raise
        return await _edit_page(request, console_user, site, location_id,
                                errors=errors_of(exc, console_user.language), status=exc.status or 422)
    if action in ("up", "down"):
        return see_other(f"/console/setup/sites/{site_id}/locations#loc-{location_id}")
    return see_other(f"/console/setup/sites/{site_id}/locations/{location_id}",
                     "retired" if action == "retire" else "restored")


# ------------------------------------------------------------------ CSV


@get("/console/setup/sites/{site_id:int}/locations/import", include_in_schema=False)
async def import_page(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    return render(request, "setup/locations_import.html", console_user, site=site, tab="locations", plan=None)


async def _csv_text(request: Request) -> str:
    from server.domain.csv_locations import decode

    form = await read_form(request)
    upload = form.file("file")
    if upload is not None:
        data = await upload.read()
        if data:
            return decode(data)
    return form.get("text")


@post("/console/setup/sites/{site_id:int}/locations/import/preview", include_in_schema=False, status_code=200)
async def import_preview(request: Request, site_id: FromPath[int],
                         console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    errors = None
    plan = None
    text = ""
    try:
        text = await _csv_text(request)
        plan = await setup_locations.import_preview(site_id, text, actor=console_user)
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden"):
            raise
        errors = errors_of(exc, console_user.language)
    fragment = request.headers.get("hx-request") == "true"
    return render(request, "setup/locations_import_preview.html" if fragment else "setup/locations_import.html",
                  console_user, site=site, tab="locations", plan=plan, text=text, errors=errors,
                  # htmx swaps only 2xx answers: the fragment shows the problem itself
                  status=200 if plan is not None or fragment else 422)


@post("/console/setup/sites/{site_id:int}/locations/import", include_in_schema=False, status_code=200)
async def import_commit(request: Request, site_id: FromPath[int],
                        console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    text = (await read_form(request)).get("text")
    try:
        await setup_locations.import_commit(site_id, text, actor=console_user)
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden"):
            raise
        plan = await setup_locations.import_preview(site_id, text, actor=console_user)
        return render(request, "setup/locations_import.html", console_user, site=site, tab="locations",
                      plan=plan, text=text, errors=errors_of(exc, console_user.language), status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/locations", "imported")


@get("/console/setup/sites/{site_id:int}/locations.csv", include_in_schema=False)
async def export_csv(site_id: FromPath[int], console_user: NamedDependency[CurrentUser]) -> Response:
    site = await require_site(console_user, site_id)
    text = await setup_locations.export_csv(site_id, actor=console_user)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{site["code"]}-locations.csv"',
        "Cache-Control": "no-store"})


HANDLERS = [locations_page, location_create, location_page, location_update, location_action, import_page,
            import_preview, import_commit, export_csv]
