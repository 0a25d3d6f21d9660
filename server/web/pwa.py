"""Serves the field app (pwa/). The shell is served for every app URL, including
/t/<code> (the link a phone's camera opens), so the service worker can answer
the same URLs offline."""

from litestar import Router, get
from litestar.params import FromPath
from litestar.response import File
from litestar.static_files import create_static_files_router

from server.settings import ROOT

PWA_DIR = ROOT / "pwa"
NO_CACHE = {"Cache-Control": "no-cache"}


def _shell() -> File:
    return File(PWA_DIR / "index.html", media_type="text/html; charset=utf-8",
                content_disposition_type="inline", headers=NO_CACHE)


@get(["/", "/login", "/app", "/app/{rest:path}"], exclude_from_auth=True, include_in_schema=False)
async def shell() -> File:
    return _shell()


@get("/t/{code:str}", include_in_schema=False)
async def tag_link(code: FromPath[str]) -> File:
    # The code is resolved by the app from its offline pack, not here: the same
    # page must work with no network.
    return _shell()


@get("/sw.js", include_in_schema=False)
async def service_worker() -> File:
    return File(PWA_DIR / "sw.js", media_type="text/javascript", content_disposition_type="inline",
                headers={**NO_CACHE, "Service-Worker-Allowed": "/"})


@get("/manifest.webmanifest", include_in_schema=False)
async def manifest() -> File:
    return File(PWA_DIR / "manifest.webmanifest", media_type="application/manifest+json",
                content_disposition_type="inline", headers=NO_CACHE)


def pwa_router() -> Router:
    static = create_static_files_router(path="/pwa", directories=[PWA_DIR], name="pwa")
    return Router(path="/", route_handlers=[shell, tag_link, service_worker, manifest, static])
