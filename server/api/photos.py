from typing import Annotated

from litestar import Controller, Request, Response, put
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIFormat
from litestar.params import QueryParameter

from server.api.schemas.common import created, errors, uuid_path, uuid_query
from server.api.schemas.photos import PhotoReply, PhotoUpload
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
         description="The body is the image's bytes (JPEG, PNG, WebP, HEIC), sent with "
                     "`X-Content-SHA256: <hex sha256 of the bytes>`.",
         request_max_body_size=200 * 1024 * 1024, operation_class=PhotoUpload,
         responses={201: created(PhotoReply),
                    **errors("missing_header", "forbidden", "invalid_time", "photo_checksum_mismatch",
                             "photo_too_large", "photo_empty", "unsupported_media_type", "image_corrupt",
                             "image_too_many_pixels", "idempotency_conflict", "storage_unavailable")})
    async def put_photo(
        self,
        request: Request,
        client_uuid: Annotated[str, uuid_path("The photo's UUID, made on the phone")],
        user: NamedDependency[CurrentUser],
        settings: NamedDependency[Settings],
        store: NamedDependency[BlobStore],
        visit: Annotated[str | None, uuid_query("The visit the photo belongs to (with `item`)")] = None,
        incident: Annotated[str | None, uuid_query("Or: the incident it belongs to")] = None,
        fix: Annotated[str | None, uuid_query("Or: the fix it is the after-photo of")] = None,
        item: Annotated[str | None, QueryParameter(description="The checklist item id (with `visit`)",
                                                   pattern=r"^[A-Za-z0-9_-]{0,32}$")] = None,
        captured_at: Annotated[str | None, QueryParameter(description="When the camera took it (ISO 8601 with offset)",
                                                          schema_extra={"format": OpenAPIFormat.DATE_TIME})] = None,
    ) -> Response[PhotoReply]:
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
