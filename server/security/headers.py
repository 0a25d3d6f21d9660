"""Security headers on every response, added in one place: a `before_send` hook,
which (unlike route middleware) also sees the router's own 404/405 answers.

Pages get a strict Content-Security-Policy: scripts and styles only from our
own files (no inline code, no eval), images also from blob:/data: (the field
app's photo previews) and from the photo store's origin when it is S3, no
plugins, no framing, forms only to us. Images get a policy of their own with
`sandbox`, so an image opened on its own can never run script. Everything gets
`nosniff`, so a browser never guesses a type we did not send."""

from __future__ import annotations

from urllib.parse import urlparse

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

# The ZXing decoder compiles WebAssembly; only the scanner's worker script,
# whose own response carries the policy the worker runs under, may do that.
WASM_SCRIPTS = ("/pwa/js/scan-worker.js",)
# An image opened on its own: nothing may load, nothing may run.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of an absolute URL, None for a relative one."""
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return f"{parsed.scheme}://{parsed.netloc}"
    return None


def page_csp(*, photo_origins: tuple[str, ...] = (), wasm: bool = False) -> str:
    photos = "".join(f" {o}" for o in photo_origins)
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'" + (" 'wasm-unsafe-eval'" if wasm else ""),
        "style-src 'self'",
        "img-src 'self' blob: data:" + photos,
        # The service worker and the app fetch photo links to keep them offline.
        "connect-src 'self'" + photos,
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeaders:
    """The before_send hook; built once by server/app.py from the settings.
    photo_origins: where signed photo links point when photos are on S3.
    hsts_seconds: 0 sends no Strict-Transport-Security (plain-http BASE_URL)."""

    def __init__(self, *, photo_origins: tuple[str, ...] = (), hsts_seconds: int = 0) -> None:
        self.common = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY",
        }
        if hsts_seconds > 0:
            self.common["Strict-Transport-Security"] = f"max-age={hsts_seconds}"
        self.page = page_csp(photo_origins=photo_origins)
        self.wasm_page = page_csp(photo_origins=photo_origins, wasm=True)

    def csp_for(self, path: str, content_type: str) -> str | None:
        media = content_type.split(";", 1)[0].strip().lower()
        if media.startswith("image/"):
            return IMAGE_CSP
        if media == "application/pdf":
            # Chromium shows a PDF through an embedded viewer that object-src
            # 'none' would block; a PDF runs no script of ours anyway.
            return None
        return self.wasm_page if path in WASM_SCRIPTS else self.page

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in self.common.items():
            if name not in headers:
                headers[name] = value
        csp = self.csp_for(scope.get("path", ""), headers.get("content-type") or "")
        if csp and "content-security-policy" not in headers:
            headers["Content-Security-Policy"] = csp
