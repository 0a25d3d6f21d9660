"""Serves local-storage objects through short-lived signed links (S3 uses
presigned URLs instead)."""

from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import File

from server.domain.errors import RoundsError
from server.storage.local import LocalStore


@get("/blobs/{key:path}", include_in_schema=False)
async def blob(request: Request, key: FromPath[str], exp: FromQuery[int], sig: FromQuery[str], fn: FromQuery[str | None] = None) -> File:
    store = request.app.state.store
    key = key.lstrip("/")
    if not isinstance(store, LocalStore) or not store.verify_signed(key, exp, sig, fn):
        raise RoundsError("not_found")
    path = store.path_for(key)
    if not path.is_file():
        raise RoundsError("not_found")
    media = "image/webp" if key.endswith(".webp") else ("image/jpeg" if key.endswith(".jpg") else None)
    return File(path, filename=fn or path.name, media_type=media, content_disposition_type="inline",
                headers={"Cache-Control": "private, max-age=300"})
