"""Rounds of a site: list, create, edit details and schedule, the route of
checkpoints, activate/deactivate, and a preview of the next seven days."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.domain import locations as rules
from server.domain import schedule, schedule_form
from server.domain.errors import RoundsError
from server.domain.roles import ROLE_NAMES, ROLES, VISIT_KIND_NAMES, VISIT_KINDS
from server.lib.clock import now
from server.services import setup_locations, setup_people, setup_rounds, setup_templates
from server.services.accounts import CurrentUser
from server.services.setup_sites import require_site
from server.settings import Settings
from server.web.setup.common import Form, errors_of, read_form, render, see_other

DETAILS = ("key", "name_zh", "name_en", "kind", "department", "assigned_role", "assignee", "ordered")
SCHEDULE = ("type", "windows", "days", "every_minutes", "from", "to", "window_minutes", "grace_minutes",
            "not_before")
DEFAULT_RULE = {"type": "daily", "windows": [{"start": "08:00", "end": "10:00"}, {"start": "11:00", "end": "13:00"},
                                              {"start": "14:00", "end": "16:00"}, {"start": "17:00", "end": "19:00"}],
                "grace_minutes": 30}


def _details(form: Form) -> dict:
    values = form.dict(*DETAILS)
    values["ordered"] = form.getall("ordered")[-1:] == ["1"]
    return values


def _schedule_values(form: Form) -> dict:
    values = form.dict(*SCHEDULE)
    values["weekdays"] = [int(d) for d in form.getall("weekdays") if d.isdigit()]
    return values


async def _choices(site_id: int) -> dict:
    return {"kinds": VISIT_KINDS, "kind_names": VISIT_KIND_NAMES, "roles": ROLES, "role_names": ROLE_NAMES,
            "people": await setup_people.active_users(site_id), "types": schedule.TYPES,
            "departments": rules.DEPARTMENTS}


def _preview(rule: dict | None, site: dict, secret: str, round_id: int | None) -> list[dict] | None:
    if not rule:
        return None
    try:
        return setup_rounds.preview(rule, tz=site["timezone"], at=now(), secret=secret, round_id=round_id)
    except RoundsError:
        return None


@get("/console/setup/sites/{site_id:int}/rounds", include_in_schema=False)
async def rounds_page(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser]) -> Template:
    site = await require_site(console_user, site_id)
    return await _list(request, console_user, site)


async def _list(request: Request, user: CurrentUser, site: dict, *, values: dict | None = None,
                sched: dict | None = None, errors: dict | None = None, status: int = 200) -> Template:
    return render(request, "setup/rounds.html", user, site=site, tab="rounds", errors=errors, status=status,
                  rounds=await setup_rounds.list_rounds(site["id"]),
                  values=values or {"kind": "patrol", "ordered": True, "assigned_role": "team_lead"},
                  sched=sched or schedule_form.form_from_rule(DEFAULT_RULE), **await _choices(site["id"]))


@post("/console/setup/sites/{site_id:int}/rounds", include_in_schema=False, status_code=200)
async def round_create(request: Request, site_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    values, sched = _details(form), _schedule_values(form)
    try:
        rule = schedule_form.rule_from_form(sched, sched["weekdays"])
        rid = await setup_rounds.create(site_id, values, rule, actor=console_user)
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden"):
            raise
        return await _list(request, console_user, site, values=values, sched=sched,
                           errors=errors_of(exc, console_user.language), status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/rounds/{rid}", "round_created")


async def _edit(request: Request, user: CurrentUser, site: dict, round_id: int, settings: Settings, *,
                values: dict | None = None, sched: dict | None = None, checkpoints: list | None = None,
                errors: dict | None = None, unsaved: bool = False, status: int = 200) -> Template:
    row = await setup_rounds.get(site["id"], round_id)
    points = [r for r in await setup_locations.tree(site["id"]) if r["kind"] == "point"]
    cps = checkpoints if checkpoints is not None else [
        {"location": c["location"], "template": c["template"]} for c in row["checkpoint_rows"]]
    return render(request, "setup/round_edit.html", user, site=site, tab="rounds", round=row,
                  values=values or row, sched=sched or schedule_form.form_from_rule(row["schedule"] or DEFAULT_RULE),
                  checkpoints=cps, points=points, templates=await setup_templates.published_templates(site["id"]),
                  preview=_preview(row["schedule"], site, settings.secret_key, round_id), errors=errors,
                  unsaved=unsaved, status=status, **await _choices(site["id"]))


@get("/console/setup/sites/{site_id:int}/rounds/{round_id:int}", include_in_schema=False)
async def round_page(request: Request, site_id: FromPath[int], round_id: FromPath[int],
                     console_user: NamedDependency[CurrentUser], settings: NamedDependency[Settings]) -> Template:
    site = await require_site(console_user, site_id)
    return await _edit(request, console_user, site, round_id, settings)


@post("/console/setup/sites/{site_id:int}/rounds/{round_id:int}", include_in_schema=False, status_code=200)
async def round_update(request: Request, site_id: FromPath[int], round_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser],
                       settings: NamedDependency[Settings]) -> Template | Redirect:
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    values, sched = _details(form), _schedule_values(form)
    try:
        rule = schedule_form.rule_from_form(sched, sched["weekdays"])
        await setup_rounds.update(site_id, round_id, values, rule, actor=console_user)
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden", "not_found"):
            raise
        return await _edit(request, console_user, site, round_id, settings, values=values, sched=sched,
                           errors=errors_of(exc, console_user.language), status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/rounds/{round_id}", "saved")


@post("/console/setup/sites/{site_id:int}/rounds/{round_id:int}/checkpoints", include_in_schema=False,
      status_code=200)
async def round_checkpoints(request: Request, site_id: FromPath[int], round_id: FromPath[int],
                            console_user: NamedDependency[CurrentUser],
                            settings: NamedDependency[Settings]) -> Template | Redirect:
    """The route form: rows of (location, template); add/up/down/remove only
    rearrange the form, "save" writes the route."""
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    rows = [{"location": int(loc) if loc.isdigit() else None, "template": int(t) if t.isdigit() else None}
            for loc, t in zip(form.getall("location"), form.getall("template"), strict=False)]
    op = form.get("op") or "save"
    name, _, arg = op.partition(":")
    if name != "save":
        if name == "add":
            rows.append({"location": None, "template": None})
        elif arg.isdigit() and int(arg) < len(rows):
            i = int(arg)
            if name == "remove":
                rows.pop(i)
            elif name in ("up", "down"):
                j = i - 1 if name == "up" else i + 1
                if 0 <= j < len(rows):
                    rows[i], rows[j] = rows[j], rows[i]
        return await _edit(request, console_user, site, round_id, settings, checkpoints=rows, unsaved=True)
    try:
        if any(r["location"] is None or r["template"] is None for r in rows):
            raise rules.invalid("checkpoints", "choose a location and a checklist on every row")
        await setup_rounds.set_checkpoints(site_id, round_id, [(r["location"], r["template"]) for r in rows],
                                           actor=console_user)
    except RoundsError as exc:
        if exc.code in ("forbidden", "site_forbidden", "not_found"):
            raise
        return await _edit(request, console_user, site, round_id, settings, checkpoints=rows,
                           errors=errors_of(exc, console_user.language), unsaved=True, status=exc.status or 422)
    return see_other(f"/console/setup/sites/{site_id}/rounds/{round_id}", "route_saved")


@post("/console/setup/sites/{site_id:int}/rounds/{round_id:int}/active", include_in_schema=False, status_code=303)
async def round_active(request: Request, site_id: FromPath[int], round_id: FromPath[int],
                       console_user: NamedDependency[CurrentUser]) -> Redirect:
    active = (await read_form(request)).get("active") == "1"
    await setup_rounds.set_active(site_id, round_id, active, actor=console_user)
    return see_other(f"/console/setup/sites/{site_id}/rounds/{round_id}", "activated" if active else "deactivated")


@post("/console/setup/sites/{site_id:int}/rounds/preview", include_in_schema=False, status_code=200)
async def round_preview(request: Request, site_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                        settings: NamedDependency[Settings]) -> Template:
    """htmx: the next seven days of the schedule as typed (nothing saved)."""
    site = await require_site(console_user, site_id)
    form = await read_form(request)
    sched = _schedule_values(form)
    round_id = int(form.get("round_id")) if form.get("round_id").isdigit() else None
    errors = None
    preview = None
    try:
        rule = schedule_form.rule_from_form(sched, sched["weekdays"])
        preview = setup_rounds.preview(rule, tz=site["timezone"], at=now(), secret=settings.secret_key,
                                       round_id=round_id)
    except RoundsError as exc:
        errors = errors_of(exc, console_user.language)
    return render(request, "setup/_schedule_preview.html", console_user, site=site, preview=preview,
                  preview_errors=errors)


HANDLERS = [rounds_page, round_create, round_page, round_update, round_checkpoints, round_active, round_preview]
