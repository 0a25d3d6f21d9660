"""Text responses (the field app's shell, console pages) go out gzipped;
already-compressed bodies (PNG icons, photos) and tiny ones do not."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import httpx
from PIL import Image

from server.settings import ROOT

PWA = ROOT / "pwa"


async def _raw_get(console, path: str, encoding: str = "gzip") -> httpx.Response:
    """The response as sent, not decoded by the client (to see real bytes)."""
    request = console.client.build_request("GET", path, headers={"Accept-Encoding": encoding})
    response = await console.client.send(request, stream=True)
    response.raw_body = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response


async def test_app_shell_js_and_css_are_gzipped(console):
    for path, file in (("/pwa/js/app.js", "js/app.js"), ("/pwa/css/app.css", "css/app.css"),
                       ("/pwa/js/i18n.js", "js/i18n.js"), ("/", "index.html")):
        response = await _raw_get(console, path)
        original = (PWA / file).read_bytes()
        assert response.status_code == 200, path
        assert response.headers["content-encoding"] == "gzip", path
        assert "accept-encoding" in response.headers["vary"].lower(), path
        assert gzip.decompress(response.raw_body) == original, path
        assert len(response.raw_body) < len(original) / 2, path


async def test_console_page_is_gzipped(console):
    response = await _raw_get(console, "/console/login")
    assert response.headers["content-encoding"] == "gzip"
    assert b"<form" in gzip.decompress(response.raw_body)


async def test_no_gzip_without_accept_encoding(console):
    response = await _raw_get(console, "/pwa/js/app.js", encoding="identity")
    assert "content-encoding" not in response.headers
    assert response.raw_body == (PWA / "js" / "app.js").read_bytes()


async def test_png_icon_is_not_recompressed(console):
    response = await _raw_get(console, "/pwa/icons/icon-512.png")
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.raw_body == (PWA / "icons" / "icon-512.png").read_bytes()


async def test_small_json_is_not_gzipped(console):
    response = await _raw_get(console, "/healthz")
    assert response.status_code == 200
    assert len(response.raw_body) < 1024
    assert "content-encoding" not in response.headers


async def test_photo_bytes_are_not_gzipped(console, tmp_path: Path):
    """A photo uploaded by a phone comes back byte for byte, never gzip-wrapped."""
    import uuid

    await console.login("guard")
    img = Image.effect_noise((640, 480), 40).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    uid = str(uuid.uuid4())
    put = await console.client.put(
        f"/api/v1/photos/{uid}", content=data,
        headers={"Content-Type": "image/jpeg", "X-Content-SHA256": sha, "X-Rounds-Client": "pwa"})
    assert put.status_code == 201, put.text
    link = await console.client.get(f"/api/v1/photos/{uid}")
    assert link.status_code == 200, link.text
    original = link.json()["photo"]["urls"]["original"]
    response = await _raw_get(console, original)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert hashlib.sha256(response.raw_body).hexdigest() == sha
