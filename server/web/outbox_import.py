"""Console page: import a phone's exported outbox file (`rounds-outbox/1`).
For admins, and for supervisors importing for people of their own sites."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Template

from server.domain.errors import RoundsError
from server.services.accounts import CurrentUser
from server.services.outbox_import import import_outbox, require_importer
from server.settings import Settings
from server.storage.base import BlobStore
from server.web.context import page

PATH = "/console/outbox-import"
MAX_FILE_BYTES = 200 * 1024 * 1024  # a whole shift of photos, base64-encoded


def _render(request: Request, user: CurrentUser, *, status: int = 200, **context) -> Template:
    response = page(request, "console/outbox_import.html", user, active="nav.outbox_import", **context)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@get(PATH, include_in_schema=False)
async def outbox_import_page(request: Request, console_user: NamedDependency[CurrentUser]) -> Template:
    require_importer(console_user)
    return _render(request, console_user)


@post(PATH, include_in_schema=False, status_code=200, request_max_body_size=MAX_FILE_BYTES)
async def outbox_import_submit(
    request: Request,
    console_user: NamedDependency[CurrentUser],
    settings: NamedDependency[Settings],
    store: NamedDependency[BlobStore],
) -> Template:
    require_importer(console_user)
    form = await request.form()
    upload = form.get("file")
    raw = await upload.read() if hasattr(upload, "read") else b""
    filename = getattr(upload, "filename", "") or ""
    try:
        if not raw:
            raise RoundsError("invalid_outbox_file", {"reason": "no file", "field": "file"})
        report = await import_outbox(console_user, raw, store=store, secret=settings.secret_key,
                                     max_photo_bytes=settings.max_photo_bytes,
                                     max_pixels=settings.max_image_pixels)
    except RoundsError as exc:
        body = exc.body(console_user.language)
        return _render(request, console_user, status=exc.status or 422, filename=filename,
                       error={"code": exc.code, "message": body["message"], "detail": exc.detail})
    return _render(request, console_user, filename=filename, report=report)


HANDLERS = [outbox_import_page, outbox_import_submit]
