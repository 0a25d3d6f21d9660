"""A NUL character (%00) in a URL path or query string never reaches a file
system call or a database: static files, the field app's files, tag links,
path parameters and query parameters answer 404 or 422 with a code, never 500."""

from __future__ import annotations

import logging

import pytest

PATHS = ["/static/%00", "/static/css/%00.css", "/pwa/%00", "/pwa/js/%00app.js", "/t/%00", "/t/abc%00",
         "/api/v1/photos/%00", "/api/v1/reference-photos/%00", "/console/visits/%00", "/photos/%00/evidence.jpg"]


@pytest.mark.parametrize("path", PATHS)
async def test_nul_in_the_path_is_not_found(console, caplog, path):
    await console.login("admin")
    with caplog.at_level(logging.INFO, logger="rounds"):
        response = await console.client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)


@pytest.mark.parametrize("path", ["/static/%00", "/pwa/%00"])
async def test_static_nul_is_a_coded_404_and_logged(console, caplog, path):
    with caplog.at_level(logging.INFO, logger="rounds"):
        response = await console.client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert any("not_found" in r.getMessage() and "\\x00" in r.getMessage() for r in caplog.records), caplog.text


@pytest.mark.parametrize("url", ["/static/console.css?v=%00", "/console?site=%00", "/api/v1/pack?x=%00"])
async def test_nul_in_the_query_is_refused(console, url):
    await console.login("admin")
    response = await console.client.get(url)
    assert response.status_code == 422, (url, response.status_code)
    assert "nul_character" in response.text
