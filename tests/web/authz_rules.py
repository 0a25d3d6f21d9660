"""Who may call each route, declared once. tests/web/test_authorization_matrix.py
walks every route the app registers against this table: each of the eight
roles plus an anonymous caller, on an own-site and a foreign-site target.

A rule says:
- `roles`: who may (an own-site target). Anyone else gets `refused` (403).
- `anonymous`: API routes answer 401, console pages redirect to the login
  page, public routes (the field app's shell, static files, log-in) answer.
- `foreign`: what a target of another site gets. LIKE_UNKNOWN: exactly the
  answer an unknown id gets (status and code), never a 2xx and never the
  other site's data. REFUSED: a 4xx that changes nothing, where an unknown id
  is legitimately accepted (see the rule's comment). NO_IDS: the route names
  nothing site-scoped. A callable checks a 2xx answer itself.
  Where a request names a site and records (a URL under /sites/{site_id}/, or
  a form with a site and ids), a MIXED target is walked too: the caller's own
  site with another site's records, answered like unknown records there.
- `url`: the request path with {fields} of authz_world.Ids ({new} is a fresh
  UUID); by default the route's own path with its parameters filled in.
- `body`: the request's keyword arguments (data / json / files / params /
  content) for a target, so writes reach the authorisation they test.

Refused writes are executed and must change no row and store no blob.
Allowed writes on an own-site target run last, once per allowed role (they
change the world the other cases read), and must not be refused as such (a
409/422 about the record's state is fine); log-in, log-out and language
changes of the caller's own session are declared only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from server.domain.roles import CONSOLE_ROLES, ROLES
from tests.supervision_support import jpeg
from tests.web.authz_world import Ids

ANON_401 = "401"
LOGIN = "login"
PUBLIC = "public"

LIKE_UNKNOWN = "like_unknown"
REFUSED = "refused"
NO_IDS = "no_ids"

EVERYONE = frozenset(ROLES)
CONSOLE = frozenset(CONSOLE_ROLES)
ADMIN = frozenset({"admin"})
NOBODY: frozenset[str] = frozenset()
# Field staff may file self-checks and patrols; team leads, inspectors and up also joint / spot checks.
SPOT_CHECKERS = frozenset({"inspector", "supervisor", "manager", "admin"})
REPORT_READERS = frozenset({"supervisor", "manager", "admin"})
FINDING_ACTORS = frozenset({"team_lead", "supervisor", "manager", "admin"})
IMPORTERS = frozenset({"supervisor", "admin"})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    anonymous: str
    foreign: str | Callable[[Any], str | None] = LIKE_UNKNOWN
    url: str | None = None
    body: Callable[[Ids], dict] | None = None
    ok: int | None = None  # the allowed answer when it is not simply 2xx/3xx
    refused: int = 403
    mixed: bool = False  # the body names records besides the site (a URL's are found by themselves)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _visit(ids: Ids) -> dict:
    return {"tag_code": ids.tag_code, "template_version_id": ids.version, "kind": "patrol",
            "scan_method": "scan", "scanned_at": _now(), "finished_at": _now(), "device_id": "matrix",
            "note": "", "answers": [{"item": "floor", "value": "pass"}, {"item": "smell", "value": True},
                                    {"item": "soap", "value": "full"}]}


def _jpeg_put(ids: Ids) -> dict:
    import hashlib

    raw = jpeg((200, 10, 10))
    return {"content": raw, "headers": {"Content-Type": "image/jpeg",
                                        "X-Content-SHA256": hashlib.sha256(raw).hexdigest()},
            "params": {"visit": ids.visit_uuid, "item": "floor"}}


def _nothing_held(response) -> str | None:
    """sync/status answers 200 for any UUID; another site's must read as not held."""
    if response.status_code != 200:
        return f"status {response.status_code}"
    body = response.json()
    held = [k for values in body.values() for k, v in values.items() if v]
    return f"reports another site's records as held: {held}" if held else None


def _outbox_file(ids: Ids) -> dict:
    """A field app's exported outbox: the site's cleaner's incident at the site's label."""
    from tests.services.outbox_support import json_item, outbox_file

    raw = outbox_file(ids.person, ids.person_name, [json_item("incident", {
        "kind": "hazard", "note": "matrix", "photos": [], "tag_code": ids.tag_code, "occurred_at": _now()})])
    return {"files": {"file": ("rounds-outbox-cleaner.json", raw, "application/json")}}


def _form(**fields: Any) -> Callable[[Ids], dict]:
    return lambda ids: {"data": {k: (v(ids) if callable(v) else v) for k, v in fields.items()}}


SITE_FORM = _form(code="matrix", name_zh="矩阵", name_en="Matrix", timezone="Asia/Shanghai")
LOCATION_FORM = _form(key="matrix-x", kind="point", name_zh="矩阵点")
ROUND_FORM = _form(key="matrix-r", name_zh="夜巡", kind="patrol", assigned_role="", type="daily",
                   windows="20:00-21:00")
PERSON_FORM = _form(username="matrix-person", display_name="M", role="guard", password="matrix-password-123",
                    language="en", sites=lambda ids: str(ids.site))

# (method, route path as registered) -> rule
RULES: dict[tuple[str, str], Rule] = {
    # --- the field app's JSON API -------------------------------------------------
    ("POST", "/api/v1/session"): Rule(EVERYONE, PUBLIC, NO_IDS),  # log in
    ("GET", "/api/v1/session"): Rule(EVERYONE, ANON_401, NO_IDS),
    ("PATCH", "/api/v1/session"): Rule(EVERYONE, ANON_401, NO_IDS, body=lambda ids: {"json": {"language": "en"}}),
    ("DELETE", "/api/v1/session"): Rule(EVERYONE, PUBLIC, NO_IDS),  # log out
    ("GET", "/api/v1/pack"): Rule(EVERYONE, ANON_401, NO_IDS),
    ("PUT", "/api/v1/visits/{client_uuid:str}"): Rule(
        EVERYONE, ANON_401, url="/api/v1/visits/{new}", body=lambda ids: {"json": _visit(ids)}),
    ("POST", "/api/v1/visits/batch"): Rule(
        EVERYONE, ANON_401, body=lambda ids: {"json": {"visits": [{"client_uuid": "{new}", "body": _visit(ids)}]}},
        # each entry carries its own outcome; the batch itself answers 200
        foreign=lambda r: None if r.status_code == 200 and all(
            x["status"] >= 400 for x in r.json()["results"]) else f"batch entry accepted: {r.text[:200]}"),
    # A photo may arrive before its visit, so an unknown visit UUID is accepted;
    # another person's (or site's) visit is refused.
    ("PUT", "/api/v1/photos/{client_uuid:str}"): Rule(
        frozenset({"cleaner"}), ANON_401, REFUSED, url="/api/v1/photos/{new}", body=_jpeg_put),
    # a photo is shown to its taker and the site's console roles; to anyone else it does not exist
    ("GET", "/api/v1/photos/{client_uuid:str}"): Rule(
        CONSOLE | {"cleaner"}, ANON_401, url="/api/v1/photos/{photo}", refused=404),
    ("PUT", "/api/v1/incidents/{client_uuid:str}"): Rule(
        EVERYONE, ANON_401, url="/api/v1/incidents/{new}", body=lambda ids: {"json": {
            "kind": "hazard", "note": "matrix", "photos": [], "tag_code": ids.tag_code, "occurred_at": _now()}}),
    ("PUT", "/api/v1/fixes/{client_uuid:str}"): Rule(
        frozenset({"cleaner"}), ANON_401, url="/api/v1/fixes/{new}", body=lambda ids: {"json": {
            "finding_id": ids.rectifying, "note": "matrix", "photos": ["{new}"], "fixed_at": _now()}}),
    ("POST", "/api/v1/sync/status"): Rule(
        EVERYONE, ANON_401, _nothing_held, body=lambda ids: {"json": {
            "visits": [ids.visit_uuid], "photos": [ids.photo], "incidents": [ids.incident], "fixes": [ids.fix]}}),
    # reference photos are shared illustrations named by content hash: nothing site-scoped
    ("GET", "/api/v1/reference-photos/{name:str}"): Rule(
        EVERYONE, ANON_401, NO_IDS, url="/api/v1/reference-photos/" + "0" * 64 + ".webp", ok=404),
    # --- the field app's shell and static files -------------------------------------
    ("GET", "/"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("GET", "/login"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("GET", "/app"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("GET", "/app/{rest:path}"): Rule(EVERYONE, PUBLIC, NO_IDS, url="/app/visits"),
    # the label link opens the app shell whatever the code: the app resolves it offline
    ("GET", "/t/{code:str}"): Rule(EVERYONE, PUBLIC, NO_IDS, url="/t/{tag_code}"),
    ("GET", "/sw.js"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("GET", "/manifest.webmanifest"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("GET", "/pwa/{file_path:path}"): Rule(EVERYONE, PUBLIC, NO_IDS, url="/pwa/js/app.js"),
    ("HEAD", "/pwa/{file_path:path}"): Rule(EVERYONE, PUBLIC, NO_IDS, url="/pwa/js/app.js"),
    ("GET", "/static/{file_path:path}"): Rule(EVERYONE, PUBLIC, NO_IDS, url="/static/console.css"),
    ("HEAD", "/static/{file_path:path}"): Rule(EVERYONE, PUBLIC, NO_IDS, url="/static/console.css"),
    ("GET", "/healthz"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("GET", "/readyz"): Rule(EVERYONE, PUBLIC, NO_IDS),
    # signed links: without a valid signature nobody gets anything
    ("GET", "/blobs/{key:path}"): Rule(EVERYONE, PUBLIC, NO_IDS, url="/blobs/originals/x.jpg?exp=1&sig=x", ok=404),
    ("GET", "/photos/{client_uuid:str}/evidence.jpg"): Rule(
        CONSOLE | {"cleaner"}, ANON_401, url="/photos/{photo}/evidence.jpg", refused=404),
    # --- console: log-in and language ---------------------------------------------------
    ("GET", "/console/login"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("POST", "/console/login"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("POST", "/console/logout"): Rule(EVERYONE, PUBLIC, NO_IDS),
    ("POST", "/console/language"): Rule(EVERYONE, ANON_401, NO_IDS, body=_form(language="en")),
    ("GET", "/console"): Rule(CONSOLE, LOGIN, NO_IDS),
    # --- console: supervision --------------------------------------------------------
    ("GET", "/console/sites/{site_id:int}/today"): Rule(CONSOLE, LOGIN),
    ("GET", "/console/sites/{site_id:int}/visits"): Rule(CONSOLE, LOGIN),
    ("GET", "/console/visits/{visit_id:int}"): Rule(CONSOLE, LOGIN),
    ("GET", "/console/review"): Rule(CONSOLE, LOGIN, url="/console/review?site={site}"),
    ("POST", "/console/review"): Rule(CONSOLE, LOGIN, mixed=True, body=_form(
        site=lambda ids: ids.site, visit_id=lambda ids: ids.visit, photo=lambda ids: ids.photo, verdict="approved")),
    ("GET", "/console/findings"): Rule(CONSOLE, LOGIN, url="/console/findings?site={site}"),
    ("GET", "/console/findings/{finding_id:int}"): Rule(CONSOLE, LOGIN),
    ("POST", "/console/findings/{finding_id:int}/fix"): Rule(
        FINDING_ACTORS, LOGIN, body=lambda ids: {"data": {"note": "matrix"},
                                                 "files": {"photo": ("a.jpg", jpeg((5, 5, 200)), "image/jpeg")}}),
    ("POST", "/console/findings/{finding_id:int}/rectify"): Rule(
        FINDING_ACTORS, LOGIN, body=_form(owner=lambda ids: ids.person, deadline="2099-01-01T18:00")),
    ("GET", "/console/spot-checks"): Rule(SPOT_CHECKERS, LOGIN, url="/console/spot-checks?site={site}"),
    ("GET", "/console/spot-checks/{assignment_id:int}"): Rule(SPOT_CHECKERS, LOGIN),
    ("GET", "/console/reports"): Rule(REPORT_READERS, LOGIN, url="/console/reports?site={site}"),
    ("GET", "/console/reports/{site_id:int}/{day:str}/csv"): Rule(REPORT_READERS, LOGIN),
    ("POST", "/console/reports/{site_id:int}/{day:str}/sign"): Rule(
        frozenset({"supervisor", "manager"}), LOGIN, body=_form(note="matrix")),
    ("GET", "/console/outbox-import"): Rule(IMPORTERS, LOGIN, NO_IDS),
    # A file naming a person of another site is refused 403 forbidden, one naming
    # a person unknown here 422 outbox_unknown_user (tests/services/
    # test_outbox_import_bad_file.py holds both): refused, not "like unknown".
    ("POST", "/console/outbox-import"): Rule(IMPORTERS, LOGIN, REFUSED, body=_outbox_file),
    # --- console: setup (administrators only) ------------------------------------------
    ("GET", "/console/setup"): Rule(ADMIN, LOGIN, NO_IDS),
    ("POST", "/console/setup/sites"): Rule(ADMIN, LOGIN, NO_IDS, body=SITE_FORM),
    ("GET", "/console/setup/sites/{site_id:int}"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}"): Rule(ADMIN, LOGIN, body=SITE_FORM),
    ("GET", "/console/setup/sites/{site_id:int}/export.json"): Rule(ADMIN, LOGIN),
    ("GET", "/console/setup/import"): Rule(ADMIN, LOGIN, NO_IDS),
    ("POST", "/console/setup/import"): Rule(ADMIN, LOGIN, NO_IDS, body=_form(text="{}")),
    ("GET", "/console/setup/sites/{site_id:int}/locations"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/locations"): Rule(ADMIN, LOGIN, body=LOCATION_FORM),
    ("GET", "/console/setup/sites/{site_id:int}/locations/{location_id:int}"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/locations/{location_id:int}"): Rule(
        ADMIN, LOGIN, body=_form(kind="point", name_zh="改名")),
    ("POST", "/console/setup/sites/{site_id:int}/locations/{location_id:int}/{action:str}"): Rule(
        ADMIN, LOGIN, url="/console/setup/sites/{site}/locations/{location}/retire", body=_form()),
    ("GET", "/console/setup/sites/{site_id:int}/locations/import"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/locations/import"): Rule(
        ADMIN, LOGIN, body=_form(text="key,kind,name_zh\nmatrix-csv,point,矩阵\n")),
    ("POST", "/console/setup/sites/{site_id:int}/locations/import/preview"): Rule(
        ADMIN, LOGIN, body=_form(text="key,kind,name_zh\nmatrix-csv,point,矩阵\n")),
    ("GET", "/console/setup/sites/{site_id:int}/locations.csv"): Rule(ADMIN, LOGIN),
    ("GET", "/console/setup/sites/{site_id:int}/labels"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/labels/issue"): Rule(
        ADMIN, LOGIN, mixed=True, body=_form(locations=lambda ids: ids.location)),
    ("GET", "/console/setup/sites/{site_id:int}/labels.pdf"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/labels/{tag_id:int}/revoke"): Rule(ADMIN, LOGIN, body=_form()),
    ("POST", "/console/setup/sites/{site_id:int}/labels/revoke-batch"): Rule(
        ADMIN, LOGIN, body=_form(batch="matrix")),
    ("GET", "/console/setup/sites/{site_id:int}/templates"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/templates"): Rule(
        ADMIN, LOGIN, body=_form(key="matrix-t", name_zh="矩阵", department="")),
    ("POST", "/console/setup/sites/{site_id:int}/templates/library/{key:str}"): Rule(
        ADMIN, LOGIN, url="/console/setup/sites/{site}/templates/library/toilet", body=_form()),
    ("POST", "/console/setup/sites/{site_id:int}/templates/import"): Rule(ADMIN, LOGIN, body=_form(text="{}")),
    ("GET", "/console/setup/sites/{site_id:int}/templates/{template_id:int}"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/templates/{template_id:int}"): Rule(
        ADMIN, LOGIN, body=_form(op="save", name_zh="改名")),
    ("POST", "/console/setup/sites/{site_id:int}/templates/{template_id:int}/copy"): Rule(
        ADMIN, LOGIN, body=_form()),
    ("POST", "/console/setup/sites/{site_id:int}/templates/{template_id:int}/discard"): Rule(
        ADMIN, LOGIN, body=_form()),
    ("GET", "/console/setup/sites/{site_id:int}/templates/{template_id:int}/export.json"): Rule(ADMIN, LOGIN),
    ("GET", "/console/setup/sites/{site_id:int}/versions/{version_id:int}"): Rule(ADMIN, LOGIN),
    ("GET", "/console/setup/sites/{site_id:int}/rounds"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/rounds"): Rule(ADMIN, LOGIN, body=ROUND_FORM),
    ("POST", "/console/setup/sites/{site_id:int}/rounds/preview"): Rule(ADMIN, LOGIN, body=ROUND_FORM),
    ("GET", "/console/setup/sites/{site_id:int}/rounds/{round_id:int}"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/sites/{site_id:int}/rounds/{round_id:int}"): Rule(ADMIN, LOGIN, body=ROUND_FORM),
    ("POST", "/console/setup/sites/{site_id:int}/rounds/{round_id:int}/checkpoints"): Rule(
        ADMIN, LOGIN, mixed=True, body=_form(location=lambda ids: ids.location, template=lambda ids: ids.template, op="save")),
    ("POST", "/console/setup/sites/{site_id:int}/rounds/{round_id:int}/active"): Rule(
        ADMIN, LOGIN, body=_form(active="0")),
    ("GET", "/console/setup/sites/{site_id:int}/visits/{visit_id:int}"): Rule(ADMIN, LOGIN),
    ("GET", "/console/setup/people"): Rule(ADMIN, LOGIN, NO_IDS),
    ("POST", "/console/setup/people"): Rule(ADMIN, LOGIN, body=PERSON_FORM),
    ("GET", "/console/setup/people/{user_id:int}"): Rule(ADMIN, LOGIN),
    ("POST", "/console/setup/people/{user_id:int}"): Rule(
        ADMIN, LOGIN, body=_form(display_name="M", role="guard", language="en", sites=lambda ids: str(ids.site))),
    ("POST", "/console/setup/people/{user_id:int}/password"): Rule(
        ADMIN, LOGIN, body=_form(password="matrix-password-456")),
    ("POST", "/console/setup/people/{user_id:int}/active"): Rule(ADMIN, LOGIN, body=_form(active="0")),
}

# Litestar's own OpenAPI pages: public, describe the API, hold no data.
SCHEMA_PATHS = ("/schema", "/schema/openapi.json", "/schema/openapi.yaml", "/schema/openapi.yml",
                "/schema/elements", "/schema/rapidoc", "/schema/redoc", "/schema/swagger",
                "/schema/oauth2-redirect.html")
for _path in SCHEMA_PATHS:
    RULES[("GET", _path)] = Rule(EVERYONE, PUBLIC, NO_IDS)
RULES[("GET", "/schema/{path:str}")] = Rule(EVERYONE, PUBLIC, NO_IDS, url="/schema/nothing-here", ok=404)

# Cases allowed to fail for a defect being fixed elsewhere (empty: none). A listed
# case that passes fails the test, so the set cannot go stale. Keys: (method,
# route path, role or "*", scope).
KNOWN_DEFECTS: set[tuple[str, str, str, str]] = set()
