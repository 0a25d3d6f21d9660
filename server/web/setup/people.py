"""People: list, add, edit (role, department, language, sites), reset a
password, deactivate/reactivate."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.domain import locations as rules
from server.domain.roles import ROLE_NAMES, ROLES
from server.services import setup_people, setup_sites
from server.services.accounts import CurrentUser
from server.web.setup.common import admin, attempt, errors_of, read_form, render, see_other

FIELDS = ("username", "display_name", "role", "department", "language", "password")


async def _choices(user: CurrentUser) -> dict:
    return {"roles": ROLES, "role_names": ROLE_NAMES, "departments": rules.DEPARTMENTS,
            "sites": await setup_sites.site_summaries(user)}


async def _list(request: Request, user: CurrentUser, *, values: dict | None = None, site_ids: list | None = None,
                errors: dict | None = None, status: int = 200) -> Template:
    people = await setup_people.list_people(actor=admin(user))
    return render(request, "setup/people.html", user, people=people, errors=errors, status=status,
                  values=values or {"role": "guard", "language": "zh-CN"},
                  chosen_sites=site_ids if site_ids is not None else sorted(user.site_ids), **await _choices(user))


@get("/console/setup/people", include_in_schema=False)
async def people_page(request: Request, console_user: NamedDependency[CurrentUser]) -> Template:
    return await _list(request, console_user)


@post("/console/setup/people", include_in_schema=False, status_code=200)
async def person_create(request: Request, console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    admin(console_user)
    form = await read_form(request)
    values, site_ids = form.dict(*FIELDS), [int(s) for s in form.getall("sites") if s.isdigit()]
    uid, error = await attempt(setup_people.create, values, site_ids, actor=console_user)
    if error:
        values.pop("password", None)
        return await _list(request, console_user, values=values, site_ids=site_ids,
                           errors=errors_of(error, console_user.language), status=error.status or 422)
    return see_other(f"/console/setup/people/{uid}", "person_created")


async def _edit(request: Request, user: CurrentUser, user_id: int, *, values: dict | None = None,
                errors: dict | None = None, status: int = 200) -> Template:
    person = await setup_people.get(user_id, actor=user)
    return render(request, "setup/person.html", user, person=person, values=values or person, errors=errors,
                  status=status, **await _choices(user))


@get("/console/setup/people/{user_id:int}", include_in_schema=False)
async def person_page(request: Request, user_id: FromPath[int], console_user: NamedDependency[CurrentUser]) -> Template:
    return await _edit(request, console_user, user_id)


@post("/console/setup/people/{user_id:int}", include_in_schema=False, status_code=200)
async def person_update(request: Request, user_id: FromPath[int],
                        console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    form = await read_form(request)
    values = form.dict("display_name", "role", "department", "language")
    site_ids = [int(s) for s in form.getall("sites") if s.isdigit()]
    _, error = await attempt(setup_people.update, user_id, values, site_ids, actor=console_user)
    if error:
        person = await setup_people.get(user_id, actor=console_user)
        return await _edit(request, console_user, user_id, values={**person, **values, "site_ids": site_ids},
                           errors=errors_of(error, console_user.language), status=error.status or 422)
    return see_other(f"/console/setup/people/{user_id}", "saved")


@post("/console/setup/people/{user_id:int}/password", include_in_schema=False, status_code=200)
async def person_password(request: Request, user_id: FromPath[int],
                          console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    password = (await read_form(request)).get("password")
    _, error = await attempt(setup_people.reset_password, user_id, password, actor=console_user)
    if error:
        return await _edit(request, console_user, user_id, errors=errors_of(error, console_user.language),
                           status=error.status or 422)
    return see_other(f"/console/setup/people/{user_id}", "password_reset")


@post("/console/setup/people/{user_id:int}/active", include_in_schema=False, status_code=200)
async def person_active(request: Request, user_id: FromPath[int],
                        console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    active = (await read_form(request)).get("active") == "1"
    _, error = await attempt(setup_people.set_active, user_id, active, actor=console_user)
    if error:
        return await _edit(request, console_user, user_id, errors=errors_of(error, console_user.language),
                           status=error.status or 422)
    return see_other(f"/console/setup/people/{user_id}", "activated" if active else "deactivated")


HANDLERS = [people_page, person_create, person_page, person_update, person_password, person_active]
