from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from server.api.schemas.common import errors
from server.services import setup_reference_photos
from server.services.accounts import CurrentUser
from server.storage.base import BlobStore


class ReferencePhotoController(Controller):
    path = "/reference-photos"
    tags = ["pack"]

    @get("/{name:str}", summary="A checklist item's reference photo (WebP)", media_type="image/webp",
         responses=errors("not_found", "storage_unavailable"))
    async def reference_photo(self, name: FromPath[str], user: NamedDependency[CurrentUser],
                              store: NamedDependency[BlobStore]) -> Response[bytes]:
        """Any signed-in user: reference photos are illustrations shared by the
        checklists, and their names are 256-bit content hashes. The content
        never changes under a name, so it may be cached for good."""
        data = await setup_reference_photos.image(name, store)
        return Response(data, media_type="image/webp",
                        headers={"Cache-Control": "private, max-age=31536000, immutable"})
