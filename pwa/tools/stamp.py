"""Write the precache lists and their content versions into pwa/sw.js.

    .venv/bin/python pwa/tools/stamp.py          # rewrite sw.js
    .venv/bin/python pwa/tools/stamp.py --check  # exit 1 if sw.js is stale (CI/tests)

A changed shell file changes SHELL_VERSION, so sw.js changes byte-wise, so the
browser installs the new worker and the app offers "Reload to update".
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

PWA = Path(__file__).resolve().parent.parent

SHELL = [
    "/",
    "/manifest.webmanifest",
    "/pwa/css/app.css",
    "/pwa/js/boot.js",
    "/pwa/js/app.js",
    "/pwa/js/i18n.js",
    "/pwa/js/store.js",
    "/pwa/js/sync.js",
    "/pwa/js/photo.js",
    "/pwa/js/scanner.js",
    "/pwa/icons/icon-192.png",
    "/pwa/icons/favicon-48.png",
]
DECODER = [
    "/pwa/js/scan-worker.js",
    "/pwa/vendor/barcode-detector-polyfill.js",
    "/pwa/vendor/zxing_reader.wasm",
]


def file_for(url: str) -> Path:
    if url == "/":
        return PWA / "index.html"
    if url == "/manifest.webmanifest":
        return PWA / "manifest.webmanifest"
    assert url.startswith("/pwa/"), url
    return PWA / url[len("/pwa/"):]


def version(urls: list[str]) -> str:
    h = hashlib.sha256()
    for u in urls:
        h.update(u.encode() + b"\0" + hashlib.sha256(file_for(u).read_bytes()).digest())
    return h.hexdigest()[:12]


def block() -> str:
    lines = ["// @stamp-begin", f'const SHELL_VERSION = "{version(SHELL)}";', "const SHELL_FILES = ["]
    lines += [f'  "{u}",' for u in SHELL]
    lines += ["];", f'const DECODER_VERSION = "{version(DECODER)}";', "const DECODER_FILES = ["]
    lines += [f'  "{u}",' for u in DECODER]
    lines += ["];", "// @stamp-end"]
    return "\n".join(lines)


def main() -> int:
    sw = PWA / "sw.js"
    text = sw.read_text()
    new = re.sub(r"// @stamp-begin.*?// @stamp-end", lambda _m: block(), text, flags=re.S)
    if "--check" in sys.argv:
        if new != text:
            print("pwa/sw.js is stale: run .venv/bin/python pwa/tools/stamp.py")
            return 1
        print("pwa/sw.js is up to date")
        return 0
    if new != text:
        sw.write_text(new)
    print(block())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
