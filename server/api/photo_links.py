from typing import Annotated, Any

from litestar import Controller, get
from litestar.di import NamedDependency

from server.api.schemas.common import errors, uuid_path
from server.services.accounts import CurrentUser
from server.services.photo_views import photo_links
from server.storage.base import BlobStore


class PhotoLinkController(Controller):
    path = "/photos"
    tags = ["photos"]

    @get("/{client_uuid:str}", summary="A photo's record and short-lived links to view it",
         responses=errors("not_found", "forbidden", "storage_unavailable"))
    async def get_photo(
        self, client_uuid: Annotated[str, uuid_path("The photo's UUID")], user: NamedDependency[CurrentUser], store: NamedDependency[BlobStore]
    ) -> dict[str, dict[str, Any]]:
        return {"photo": await photo_links(user, client_uuid, store)}
