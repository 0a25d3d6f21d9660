from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response

from server.services.accounts import CurrentUser
from server.services.photo_views import evidence_image
from server.settings import Settings
from server.storage.base import BlobStore


@get("/photos/{client_uuid:str}/evidence.jpg", include_in_schema=False)
async def evidence(
    request: Request,
    client_uuid: FromPath[str],
    user: NamedDependency[CurrentUser],
    store: NamedDependency[BlobStore],
    settings: NamedDependency[Settings],
) -> Response:
    """The photo with a caption band (location, time, person, visit), for review and print."""
    image = await evidence_image(user, client_uuid, store, max_pixels=settings.max_image_pixels,
                                 max_bytes=settings.max_photo_bytes, limiter=request.app.state.photo_limiter)
    return Response(image, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})
