"""A route that raises: the error is logged with its traceback and the
request id, the response carries the same id, the API answers JSON with
`internal_error` and the console a page (in the reader's language)."""

import json
import re

import pytest
from litestar import get
from litestar.testing import AsyncTestClient

from server.app import create_app


@get("/api/v1/test-boom", include_in_schema=False)
async def api_boom() -> dict:
    raise RuntimeError("kaboom-api")


@get("/console/test-boom", include_in_schema=False)
async def console_boom() -> dict:
    raise RuntimeError("kaboom-console")


@pytest.fixture
async def client(settings):
    app = create_app(settings)
    app.register(api_boom)
    app.register(console_boom)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        yield client


def _error_block(err: str, request_id: str) -> str:
    """The 'unhandled exception' line for this request and the traceback under it."""
    start = err.index("event='unhandled exception'")
    line_start = err.rfind("\n", 0, start) + 1
    end = err.find("\ntimestamp=", start)
    block = err[line_start:end if end != -1 else None]
    assert f"request_id='{request_id}'" in block.splitlines()[0]
    return block


async def test_api_error_is_logged_with_traceback_and_answered_with_the_id(client, capsys):
    response = await client.get("/api/v1/test-boom")
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    body = response.json()
    assert body["code"] == "internal_error" and body["request_id"] == request_id
    assert body["messages"]["en"] and body["messages"]["zh-CN"]
    assert "kaboom" not in response.text  # the cause stays in the log
    block = _error_block(capsys.readouterr().err, request_id)
    assert "Traceback (most recent call last)" in block and 'in api_boom' in block
    assert "RuntimeError: kaboom-api" in block


@pytest.mark.parametrize("language,text", [("en", "Quote the request id"), ("zh-CN", "请提供请求编号")])
async def test_console_error_is_a_page_with_the_id(client, capsys, language, text):
    response = await client.get("/console/test-boom", headers={"Accept-Language": language})
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    request_id = response.headers["x-request-id"]
    assert request_id in response.text and "internal_error" in response.text and text in response.text
    assert 'href="/static/' in response.text  # the console's own layout and styles
    assert "RuntimeError: kaboom-console" in _error_block(capsys.readouterr().err, request_id)


async def test_json_log_format_puts_the_traceback_in_the_line(settings, capsys):
    import dataclasses

    app = create_app(dataclasses.replace(settings, log_format="json"))
    app.register(api_boom)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        response = await client.get("/api/v1/test-boom")
    request_id = response.headers["x-request-id"]
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    errors = [line for line in lines if line.get("event") == "unhandled exception"]
    assert len(errors) == 1 and errors[0]["request_id"] == request_id and errors[0]["level"] == "error"
    assert re.search(r"Traceback.*RuntimeError: kaboom-api", errors[0]["exception"], re.S)
