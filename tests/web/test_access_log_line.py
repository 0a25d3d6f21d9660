"""One access line per request: method, path, status, duration, request id and
the user id when someone is signed in; key=value by default, JSON lines with
LOG_FORMAT=json. A refusal with a stable code is logged at INFO with its code,
not with a traceback."""

import dataclasses
import json
import re

from litestar.testing import AsyncTestClient

from server.app import create_app
from tests.api.conftest import HEADERS
from tests.factories import PASSWORD, build_world


def _access_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "logger='rounds.access'" in line]


async def test_one_key_value_line_per_request_with_the_user(settings, capsys):
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        world = await build_world()
        capsys.readouterr()
        login = await client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD},
                                  headers=HEADERS)
        pack = await client.get("/api/v1/pack", headers=HEADERS)
    lines = _access_lines(capsys.readouterr().err)
    assert len(lines) == 2, lines
    assert "method='POST'" in lines[0] and "path='/api/v1/session'" in lines[0] and "status=200" in lines[0]
    assert f"request_id='{login.headers['x-request-id']}'" in lines[0]
    assert f"request_id='{pack.headers['x-request-id']}'" in lines[1]
    assert f"user_id={world.users['guard']}" in lines[1] and "status=200" in lines[1]
    assert re.search(r"duration_ms=\d+(\.\d+)?", lines[1])


async def test_json_lines_when_asked(settings, capsys):
    app = create_app(dataclasses.replace(settings, log_format="json"))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        capsys.readouterr()
        response = await client.get("/healthz")
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    access = [r for r in records if r["logger"] == "rounds.access"]
    assert len(access) == 1
    assert access[0] | {"duration_ms": 0, "timestamp": ""} == {
        "event": "request", "level": "info", "logger": "rounds.access", "method": "GET", "path": "/healthz",
        "status": 200, "duration_ms": 0, "user_id": None, "request_id": response.headers["x-request-id"],
        "timestamp": "",
    }


async def test_a_refusal_is_logged_at_info_with_its_code_and_no_traceback(settings, capsys):
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        capsys.readouterr()
        response = await client.get("/api/v1/pack", headers=HEADERS)  # not signed in
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    err = capsys.readouterr().err
    refused = [line for line in err.splitlines() if "event='refused'" in line]
    assert len(refused) == 1 and "level='info'" in refused[0] and "code='not_authenticated'" in refused[0]
    assert f"request_id='{response.headers['x-request-id']}'" in refused[0]
    assert "Traceback" not in err


async def test_a_storage_refusal_is_logged_as_a_warning_with_its_code(settings, capsys):
    import hashlib
    import uuid

    from tests.api.storage_faults import display_writes_fail
    from tests.photos.conftest import encode, synthetic_photo

    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await build_world()
        await client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD}, headers=HEADERS)
        data = encode(synthetic_photo(5), "JPEG")
        capsys.readouterr()
        with display_writes_fail(app.state.store):
            response = await client.put(
                f"/api/v1/photos/{uuid.uuid4()}", content=data, params={"visit": str(uuid.uuid4())},
                headers={**HEADERS, "Content-Type": "image/jpeg", "X-Content-SHA256": hashlib.sha256(data).hexdigest()})
    assert response.status_code == 503 and response.json()["code"] == "storage_unavailable"
    refused = [line for line in capsys.readouterr().err.splitlines() if "event='refused'" in line]
    assert len(refused) == 1 and "level='warning'" in refused[0] and "code='storage_unavailable'" in refused[0]
