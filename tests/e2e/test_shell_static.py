"""Static checks of the field app: no browser, no server."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PWA = ROOT / "pwa"
CONSOLE_VENDOR = ROOT / "server" / "web" / "static" / "vendor"

pytestmark = pytest.mark.e2e


def test_service_worker_stamp_is_current():
    r = subprocess.run([sys.executable, str(PWA / "tools" / "stamp.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_vendored_files_match_versions():
    rows = [ln.split() for ln in (PWA / "vendor" / "VERSIONS").read_text().splitlines() if ln and not ln.startswith("#")]
    assert rows
    for name, _pkg, *_rest, sha in rows:
        assert hashlib.sha256((PWA / "vendor" / name).read_bytes()).hexdigest() == sha, name
    # The polyfill must load exactly the wasm it was built against.
    polyfill = (PWA / "vendor" / "barcode-detector-polyfill.js").read_text()
    wasm_sha = hashlib.sha256((PWA / "vendor" / "zxing_reader.wasm").read_bytes()).hexdigest()
    assert f"`{wasm_sha}`" in polyfill
    assert "zxing-wasm@3.1.3" in polyfill


def test_console_htmx_matches_versions():
    """htmx for the console: the committed file is the recorded 2.x release
    (litestar-htmx 0.5 speaks htmx 2's headers), and it is the one pages load."""
    rows = [ln.split() for ln in (CONSOLE_VENDOR / "VERSIONS").read_text().splitlines()
            if ln.strip() and not ln.startswith("#")]
    htmx = [r for r in rows if r[1].startswith("htmx.org@")]
    assert len(htmx) == 1
    name, package, _path, sha = htmx[0]
    assert package.startswith("htmx.org@2."), package
    data = (CONSOLE_VENDOR / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha, name
    assert f'version:"{package.split("@")[1]}"'.encode() in data
    base = (ROOT / "server" / "web" / "templates" / "base.html").read_text()
    assert f"/static/vendor/{name}" in base
    for row in rows:  # anything else vendored there is checked too
        assert hashlib.sha256((CONSOLE_VENDOR / row[0]).read_bytes()).hexdigest() == row[-1], row[0]


def test_both_languages_have_every_string():
    src = (PWA / "js" / "i18n.js").read_text()
    en = src[src.index('"en": {'):src.index('"zh-CN": {')]
    zh = src[src.index('"zh-CN": {'):src.index("export const LANGS")]
    key = re.compile(r"^\s+([a-z0-9_]+):", re.M)
    en_keys, zh_keys = set(key.findall(en)), set(key.findall(zh))
    assert en_keys == zh_keys, (en_keys ^ zh_keys)
    used = set()
    for f in (PWA / "js").glob("*.js"):
        used |= set(re.findall(r"\bt\(\"([a-z0-9_]+)\"", f.read_text()))
    dynamic_prefixes = ("kind_", "inc_", "st_", "role_", "scanned_via_")
    missing = {k for k in used - en_keys if not k.startswith(dynamic_prefixes)}
    assert not missing, missing


def test_manifest_icons_exist_with_their_sizes():
    from PIL import Image

    manifest = json.loads((PWA / "manifest.webmanifest").read_text())
    purposes = set()
    for icon in manifest["icons"]:
        path = PWA / icon["src"].removeprefix("/pwa/")
        w, h = Image.open(path).size
        assert icon["sizes"] == f"{w}x{h}"
        purposes.add(icon["purpose"])
    assert {"any", "maskable"} <= purposes
    sizes = {i["sizes"] for i in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
