"""A JSON body nested 1,000 deep (about 2 KB) makes decoders recurse past the
interpreter's limit. Every JSON endpoint, found in the app's route table (so a
new one is covered without touching this test), refuses it with 400
json_too_deep before decoding, writes nothing and logs the refusal; logged in
or not (the login itself takes JSON)."""

from __future__ import annotations

import json
import logging
import re
import uuid

import pytest

from server.app import create_app
from server.lib.json_depth import MAX_DEPTH
from server.security.request_guard import takes_json_body
from server.settings import load_settings
from tests.factories import row_counts

DEEP = b"[" * 1000 + b"]" * 1000


def _json_endpoints() -> list[tuple[str, str]]:
    app = create_app(load_settings({"DATABASE_URL": "sqlite:///unused.sqlite3", "SECRET_KEY": "x" * 40}))
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if takes_json_body(handler):
                path = re.sub(r"\{[^}:]+:(str|uuid)\}", str(uuid.uuid4()), route.path)
                path = re.sub(r"\{[^}:]+:int\}", "1", path)
                found += [(method, path) for method in sorted(handler.http_methods)]
    return found


ENDPOINTS = _json_endpoints()


def test_the_route_table_has_the_json_endpoints():
    # The enumeration itself must see the phone's endpoints, login included.
    assert ("POST", "/api/v1/session") in ENDPOINTS
    assert any(m == "PUT" and p.startswith("/api/v1/visits/") for m, p in ENDPOINTS)
    assert len(ENDPOINTS) >= 7


async def _send(api, method: str, path: str, body: bytes):
    headers = {"X-Rounds-Client": "pwa", "Content-Type": "application/json",
               "X-CSRFToken": api.client.cookies.get("csrftoken") or ""}
    return await api.client.request(method, path, content=body, headers=headers)


@pytest.mark.parametrize("logged_in", [True, False], ids=["logged-in", "anonymous"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=[f"{m} {p.split('/')[3]}" for m, p in ENDPOINTS])
async def test_deep_json_is_refused_and_logged(api, caplog, method, path, logged_in):
    if logged_in:
        await api.login("team_lead")
    else:
        api.client.cookies.clear()
    before = await row_counts()
    with caplog.at_level(logging.INFO, logger="rounds"):
        response = await _send(api, method, path, DEEP)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "json_too_deep"
    assert body["messages"]["en"] and body["messages"]["zh-CN"]
    assert await row_counts() == before
    assert any(r.levelno >= logging.INFO and path in r.getMessage() and "json_too_deep" in r.getMessage()
               for r in caplog.records), caplog.text


async def test_deep_string_content_and_the_limit_itself_pass(api):
    """Brackets inside strings do not count, and MAX_DEPTH levels are still
    decoded (the refusal, if any, is the endpoint's own)."""
    await api.login("guard")
    note = "[" * 5000
    response = await _send(api, "POST", "/api/v1/sync/status",
                           json.dumps({"visits": [], "device_id": "d1", "note": note}).encode())
    assert response.status_code == 200, response.text
    nested = b'{"visits": []' + b', "x": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"}"
    response = await _send(api, "POST", "/api/v1/sync/status", nested)
    assert response.status_code == 200, response.text
