"""Every response carries the security headers: a strict CSP on pages, API
replies and static files; a sandboxing CSP and nosniff on images; HSTS only
when BASE_URL is https."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from server.app import create_app
from server.settings import load_settings
from tests.api.conftest import HEADERS, Api
from tests.factories import visit_body
from tests.photos.conftest import encode, synthetic_photo

PAGE_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' blob: data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(csp: str) -> dict[str, str]:
    out = {}
    for part in csp.split(";"):
        name, _, value = part.strip().partition(" ")
        out[name] = value.strip()
    return out


def assert_page_headers(response, where: str) -> None:
    h = response.headers
    assert h["x-content-type-options"] == "nosniff", where
    assert h["x-frame-options"] == "DENY", where
    assert h["referrer-policy"] == "same-origin", where
    csp = directives(h["content-security-policy"])
    for name, value in PAGE_DIRECTIVES.items():
        assert csp.get(name) == value, (where, name, csp.get(name))
    assert "unsafe-inline" not in h["content-security-policy"], where
    assert "unsafe-eval" not in h["content-security-policy"], where
    assert "strict-transport-security" not in h, where  # BASE_URL is http here


def assert_image_headers(response, where: str) -> None:
    assert response.status_code == 200, where
    assert response.headers["content-type"].startswith("image/"), where
    assert response.headers["x-content-type-options"] == "nosniff", where
    csp = directives(response.headers["content-security-policy"])
    assert "sandbox" in csp and csp["default-src"] == "'none'", where


async def test_console_page(console):
    response = await console.client.get("/console/login")
    assert response.status_code == 200
    assert_page_headers(response, "login page")
    await console.login("supervisor")
    response = await console.client.get("/console")
    assert response.status_code == 200
    assert_page_headers(response, "today board")


async def test_api_reply_and_errors(console):
    assert_page_headers(await console.client.get("/healthz"), "healthz")
    refused = await console.client.get("/api/v1/pack", headers=HEADERS)
    assert refused.status_code == 401
    assert_page_headers(refused, "401 from the API")
    # The router's own 404 (no handler, no middleware) is covered too.
    assert_page_headers(await console.client.get("/no/such/page"), "router 404")


async def test_static_files_and_field_app(console):
    for path in ("/static/console.css", "/static/console.js", "/", "/pwa/js/app.js", "/sw.js"):
        response = await console.client.get(path)
        assert response.status_code == 200, path
        assert_page_headers(response, path)


async def test_only_the_scanner_worker_may_compile_webassembly(console):
    worker = (await console.client.get("/pwa/js/scan-worker.js")).headers["content-security-policy"]
    assert directives(worker)["script-src"] == "'self' 'wasm-unsafe-eval'"
    app = (await console.client.get("/pwa/js/app.js")).headers["content-security-policy"]
    assert "wasm-unsafe-eval" not in app


async def test_photos_are_nosniff_and_sandboxed(console):
    api = Api(console.client, console.world)
    await api.login("guard")
    visit, photo = str(uuid.uuid4()), str(uuid.uuid4())
    data = encode(synthetic_photo(3, (800, 600)), "JPEG", quality=85)
    assert (await api.put_photo(photo, data, visit=visit, item="floor")).status_code == 201
    body = visit_body(console.world, answers=[
        {"item": "floor", "value": "fail", "note": "x", "photos": [photo]}, {"item": "smell", "value": True}])
    assert (await api.put_visit(visit, body)).status_code == 201
    links = (await console.client.get(f"/api/v1/photos/{photo}")).json()["photo"]["urls"]
    for name in ("thumb", "display", "original"):
        assert_image_headers(await console.client.get(links[name]), name)
    await api.login("supervisor")
    assert_image_headers(await console.client.get(f"/photos/{photo}/evidence.jpg"), "evidence print")
    assert_image_headers(await console.client.get("/pwa/icons/icon-192.png"), "icon")


def _settings(tmp_path, database_url, **env):
    return load_settings({
        "DATABASE_URL": database_url, "VAR_DIR": str(tmp_path / "var"), "STORAGE_URL": str(tmp_path / "blobs"),
        "SECRET_KEY": "test-secret-key-0123456789abcdefghijklmnop", **env})


async def _healthz(settings):
    async with AsyncTestClient(app=create_app(settings), base_url=settings.base_url) as client:
        return await client.get("/healthz")


async def test_hsts_only_with_an_https_base_url(tmp_path, database_url):
    https = await _healthz(_settings(tmp_path, database_url, BASE_URL="https://rounds.example.org"))
    assert https.headers["strict-transport-security"] == "max-age=31536000"
    plain = await _healthz(_settings(tmp_path, database_url, BASE_URL="http://rounds.example.org",
                                     HSTS_SECONDS="600"))
    assert "strict-transport-security" not in plain.headers
    off = await _healthz(_settings(tmp_path, database_url, BASE_URL="https://rounds.example.org", HSTS_SECONDS="0"))
    assert "strict-transport-security" not in off.headers


async def test_pages_may_show_photos_from_the_s3_endpoint(tmp_path, database_url):
    settings = _settings(tmp_path, database_url,
                         STORAGE_URL="s3://photos?endpoint=http://127.0.0.1:9000&public_endpoint=https://files.example.org",
                         S3_ACCESS_KEY="key", S3_SECRET_KEY="secret")
    csp = directives((await _healthz(settings)).headers["content-security-policy"])
    assert csp["img-src"] == "'self' blob: data: https://files.example.org"
    assert csp["connect-src"] == "'self' https://files.example.org"
