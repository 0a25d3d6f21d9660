"""The authorization matrix: every route the app registers × the eight roles
and an anonymous caller × an own-site, a foreign-site and (where a request
names a site and records) a mixed target, checked against the rules declared
once in tests/web/authz_rules.py. One app and one database per engine for the
whole walk; refused writes must change no row and store no blob; a foreign
target must answer exactly like an unknown one; allowed writes run last."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import httpx

from server.app import create_app
from server.db import engine as db
from server.db.tables import ALL_TABLES
from server.domain.roles import ROLES
from tests.factories import PASSWORD
from tests.web.authz_rules import (
    ANON_401,
    KNOWN_DEFECTS,
    LIKE_UNKNOWN,
    LOGIN,
    NO_IDS,
    PUBLIC,
    REFUSED,
    RULES,
    Rule,
)
from tests.web.authz_world import Ids, build_two_sites

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Writes to the caller's own session (language, log-out) are not executed for allowed roles.
SESSION_WRITES = {"/api/v1/session", "/console/language"}
# Sessions and log-in attempts are the caller's own bookkeeping, not data.
NOT_DATA = {"session_store", "login_attempt"}
# Text only site B's records carry; a reply to a site-A member must not contain it.
FOREIGN_MARKERS = ("Beta Tower", "乙大厦", "b_cleaner", "b_supervisor", "b_inspector")
PARAM_FIELDS = {"site_id": "site", "visit_id": "visit", "finding_id": "finding", "assignment_id": "spot_check",
                "location_id": "location", "tag_id": "tag_id", "template_id": "template",
                "version_id": "version", "round_id": "round", "user_id": "person", "day": "day",
                "client_uuid": "photo"}


def route_table(app) -> set[tuple[str, str]]:
    """(method, path) of every handler the app registers, but Litestar's
    automatic OPTIONS answers (CORS preflight, no handler of ours)."""
    out = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in getattr(handler, "http_methods", set()):
                if method == "OPTIONS" and handler.handler_name == "options_handler":
                    continue
                out.add((method, route.path))
    return out


def test_every_route_has_a_declared_rule(settings):
    routes = route_table(create_app(settings))
    assert set(RULES) - routes == set(), "rules for routes that no longer exist"
    assert routes - set(RULES) == set(), "routes without a rule in tests/web/authz_rules.py"


def _fill(template: str, ids: Ids) -> str:
    values = {**asdict(ids)}
    out = re.sub(r"\{(\w+):\w+\}", lambda m: "{" + PARAM_FIELDS.get(m.group(1), m.group(1)) + "}", template)
    out = out.format(**values, new="{new}")
    while "{new}" in out:
        out = out.replace("{new}", str(uuid.uuid4()), 1)
    return out


def _fresh(value):
    """Fresh UUIDs for every "{new}" in a request body."""
    if isinstance(value, str):
        while "{new}" in value:
            value = value.replace("{new}", str(uuid.uuid4()), 1)
        return value
    if isinstance(value, bytes):
        return value.replace(b"{new}", str(uuid.uuid4()).encode()) if b"{new}" in value else value
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    return value


def _code(response) -> str:
    if "json" in response.headers.get("content-type", ""):
        try:
            body = response.json()
        except ValueError:
            return ""
        return body.get("code", "") if isinstance(body, dict) else ""
    found = re.search(r"<code>([a-z_]+)</code>", response.text) or re.search(
        r'data-error-code="([a-z_]+)"', response.text)
    return found.group(1) if found else ""


@dataclass
class Walk:
    client: httpx.AsyncClient
    blobs: Path
    csrf: str
    cookies: dict[str, dict[str, str]]
    count_sql: str
    cases: int = 0
    by_scope: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    known_seen: set = field(default_factory=set)
    allowed_writes: list = field(default_factory=list)  # run after every refusal has been checked

    async def counts(self) -> tuple:
        rows = await db.current().run_ddl(self.count_sql)
        files = sum(1 for p in self.blobs.rglob("*") if p.is_file()) if self.blobs.exists() else 0
        return tuple(sorted(rows[0].items())), files

    async def call(self, who: str | None, method: str, path: str, rule: Rule, ids: Ids):
        self.client.cookies.clear()
        for name, value in (self.cookies.get(who or "", {}) | {"csrftoken": self.csrf}).items():
            self.client.cookies.set(name, value)
        kwargs = _fresh(rule.body(ids)) if rule.body else {}
        headers = {"X-Rounds-Client": "pwa", "x-csrftoken": self.csrf, **kwargs.pop("headers", {})}
        url = _fill(rule.url or path, ids)
        return await self.client.request(method, url, headers=headers, follow_redirects=False, **kwargs)

    def check(self, key: tuple, problem: str | None) -> None:
        self.cases += 1
        self.by_scope["anonymous" if key[2] == "anonymous" else key[3]] += 1
        if key in KNOWN_DEFECTS or (key[0], key[1], "*", key[3]) in KNOWN_DEFECTS:
            self.known_seen.add(key)
            if problem is None:
                self.failures.append(f"{key}: passes now; remove it from KNOWN_DEFECTS")
            return
        if problem is not None:
            self.failures.append(f"{key}: {problem}")


def _expect_anonymous(rule: Rule, response) -> str | None:
    status = response.status_code
    if rule.anonymous == ANON_401:
        return None if status == 401 else f"anonymous got {status}, expected 401"
    if rule.anonymous == LOGIN:
        location = response.headers.get("location", "")
        return None if status in (302, 303) and "/console/login" in location else (
            f"anonymous got {status} {location}, expected a redirect to the log-in page")
    expected = rule.ok
    return None if (status == expected if expected else status < 400) else f"anonymous got {status}"


def _expect_allowed(rule: Rule, response) -> str | None:
    status = response.status_code
    if rule.ok:
        return None if status == rule.ok else f"got {status}, expected {rule.ok}"
    if status >= 400 or "/console/login" in response.headers.get("location", ""):
        return f"allowed role got {status} {_code(response)}"
    return None


def _leaks(response) -> str | None:
    text = response.text if response.headers.get("content-type", "").startswith(("text", "application")) else ""
    found = [m for m in FOREIGN_MARKERS if m in text]
    return f"answer shows site B's data: {found}" if found else None


async def _walk_route(walk: Walk, method: str, path: str, rule: Rule, own: Ids, foreign: Ids, unknown: Ids):
    write = method in UNSAFE
    # anonymous: public writes (log-in, log-out) are not executed
    if not (write and rule.anonymous == PUBLIC):
        before = await walk.counts() if write else None
        r = await walk.call(None, method, path, rule, own)
        problem = _expect_anonymous(rule, r)
        if problem is None and write and await walk.counts() != before:
            problem = "an anonymous write changed rows or blobs"
        walk.check((method, path, "anonymous", "own"), problem)
    for role in ROLES:
        allowed = role in rule.roles
        # own-site target
        if write and allowed and rule.anonymous != PUBLIC and path not in SESSION_WRITES:
            walk.allowed_writes.append((method, path, rule, role))
        if not (write and allowed):
            before = await walk.counts() if write else None
            r = await walk.call(role, method, path, rule, own)
            if r.status_code >= 500:
                problem = f"{r.status_code} server error"
            elif allowed:
                problem = _expect_allowed(rule, r)
            else:
                problem = None if r.status_code == rule.refused else (
                    f"refused role got {r.status_code} {_code(r)}, expected {rule.refused}")
            if problem is None and write and await walk.counts() != before:
                problem = "a refused write changed rows or blobs"
            walk.check((method, path, role, "own"), problem)
        if rule.foreign == NO_IDS:
            continue
        await _walk_other(walk, method, path, rule, role, "foreign", foreign, unknown)
        if _names_records_under_a_site(rule, path):
            await _walk_other(walk, method, path, rule, role, "mixed", replace(foreign, site=own.site),
                              replace(unknown, site=own.site))


def _write_order(entry) -> tuple:
    # Deactivating a person or resetting their password ends their sessions: last.
    return (entry[1].startswith("/console/setup/people/"), entry[1], ROLES.index(entry[3]))


async def _walk_allowed_writes(walk: Walk, own: Ids) -> None:
    """Allowed writes on an own-site target, each executed once: the answer
    may be a refusal of the state (a finding already in rectification, a
    report already signed: 409/422), never a refusal of the caller."""
    for method, path, rule, role in sorted(walk.allowed_writes, key=_write_order):
        r = await walk.call(role, method, path, rule, own)
        status, location = r.status_code, r.headers.get("location", "")
        problem = None
        if status >= 500:
            problem = f"{status} server error"
        elif status in (401, 403, 404) or "/console/login" in location:
            problem = f"allowed role got {status} {_code(r)} {location}"
        walk.check((method, path, role, "own"), problem)


def _names_records_under_a_site(rule: Rule, path: str) -> bool:
    if rule.foreign != LIKE_UNKNOWN:
        return False
    fields = set(re.findall(r"\{(\w+)(?::\w+)?\}", rule.url or path))
    fields = {PARAM_FIELDS.get(f, f) for f in fields} - {"new", "day"}
    return rule.mixed or ("site" in fields and len(fields) > 1)


async def _walk_other(walk: Walk, method: str, path: str, rule: Rule, role: str, scope: str, target: Ids,
                      unknown: Ids) -> None:
    """A target that is not the caller's (`target`), and for comparison an
    unknown one: refused, changing nothing, showing nothing of site B, and for
    a role that may use the route, answered exactly like the unknown one."""
    allowed = role in rule.roles
    before = await walk.counts()
    r = await walk.call(role, method, path, rule, target)
    changed = await walk.counts() != before
    if r.status_code >= 500:
        problem = f"{r.status_code} server error"
    elif callable(rule.foreign):
        problem = rule.foreign(r)
    elif r.status_code < 400:
        problem = f"{scope} target answered {r.status_code}"
    elif rule.foreign == LIKE_UNKNOWN and allowed:
        u = await walk.call(role, method, path, rule, unknown)
        if (u.status_code, _code(u)) != (r.status_code, _code(r)):
            problem = (f"{scope} answers {r.status_code} {_code(r)}, unknown answers "
                       f"{u.status_code} {_code(u)}")
        else:
            problem = None
    else:
        assert rule.foreign in (LIKE_UNKNOWN, REFUSED)
        problem = None
    problem = problem or _leaks(r) or (f"a {scope}-target request changed rows or blobs" if changed else None)
    walk.check((method, path, role, scope), problem)


async def _login_all(client: httpx.AsyncClient, usernames: list[str]) -> dict[str, dict[str, str]]:
    out = {}
    for name in usernames:
        client.cookies.clear()
        r = await client.post("/api/v1/session", json={"username": name, "password": PASSWORD},
                              headers={"X-Rounds-Client": "pwa"})
        assert r.status_code == 200, r.text
        out[name] = dict(client.cookies.items())
    return out


async def test_authorization_matrix(settings):
    # The app runs in this test's event loop (httpx's ASGI transport, as in
    # tests/api/conftest.concurrent_api), so it may keep a connection pool:
    # some 3,000 requests and counts on one connection each would be slow.
    app = create_app(replace(settings, db_pool_size=4))
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        sites = await build_two_sites(app.state.store)
        assert route_table(app) == set(RULES)
        cookies = await _login_all(client, list(ROLES))
        client.cookies.clear()
        await client.get("/console/login")
        csrf = client.cookies.get("csrftoken")
        assert csrf
        tables = [t._meta.tablename for t in ALL_TABLES if t._meta.tablename not in NOT_DATA]
        sql = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}") AS "{t}"' for t in tables)
        walk = Walk(client, Path(settings.storage_url), csrf, cookies, sql)
        # reads first, then writes, so a write that is wrongly accepted spoils no read
        ordered = sorted(RULES.items(), key=lambda kv: kv[0][0] in UNSAFE)
        for (method, path), rule in ordered:
            await _walk_route(walk, method, path, rule, sites.own, sites.foreign, sites.unknown)
        await _walk_allowed_writes(walk, sites.own)
    # asserted outside the app's lifespan, which would wrap a failure in an exception group
    print(f"authorization matrix: {walk.cases} cases over {len(RULES)} routes {dict(walk.by_scope)}")
    assert not walk.failures, f"{len(walk.failures)} of {walk.cases} cases fail:\n" + "\n".join(walk.failures)
    stale = {k for k in KNOWN_DEFECTS if k[2] != "*"} - walk.known_seen
    assert not stale, f"KNOWN_DEFECTS names cases the matrix does not walk: {stale}"
