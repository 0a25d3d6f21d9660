from litestar import Controller, Request, Response, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from server.domain.errors import RoundsError
from server.services.accounts import CurrentUser
from server.services.photos import ingest_photo
from server.settings import Settings
from server.storage.base import BlobStore


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused with photo_too_large as soon as it is known to be over
    the limit: by Content-Length before reading, or while streaming."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise RoundsError("photo_too_large", {"max_bytes": limit})
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RoundsError("photo_too_large", {"max_bytes": limit})
        chunks.append(chunk)
    return b"".join(chunks)


class PhotoController(Controller):
    path = "/photos"
    tags = ["sync"]

    # The handler enforces its own limit (with a coded error); Litestar's is a backstop.
    @put("/{client_uuid:str}", summary="Upload a photo's bytes (idempotent by client UUID)",
         request_max_body_size=200 * 1024 * 1024)
    async def put_photo(
        self,
        request: Request,
        client_uuid: FromPath[str],
        user: NamedDependency[CurrentUser],
        settings: NamedDependency[Settings],
        store: NamedDependency[BlobStore],
        visit: FromQuery[str | None] = None,
        incident: FromQuery[str | None] = None,
        fix: FromQuery[str | None] = None,
        item: FromQuery[str | None] = None,
        captured_at: FromQuery[str | None] = None,
    ) -> Response:
        data = await read_limited(request, settings.max_photo_bytes)
        created, result = await ingest_photo(
            user, client_uuid, data,
            declared_sha256=request.headers.get("x-content-sha256"),
            store=store,
            max_bytes=settings.max_photo_bytes,
            max_pixels=settings.max_image_pixels,
            visit=visit, incident=incident, fix=fix, item_id=item, captured_at=captured_at,
            limiter=request.app.state.photo_limiter,
        )
        return Response({"photo": result}, status_code=201 if created else 200)
