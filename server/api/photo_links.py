from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from server.services.accounts import CurrentUser
from server.services.photo_views import photo_links
from server.storage.base import BlobStore


class PhotoLinkController(Controller):
    path = "/photos"
    tags = ["photos"]

    @get("/{client_uuid:str}", summary="A photo's record and short-lived links to view it")
    async def get_photo(
        self, client_uuid: FromPath[str], user: NamedDependency[CurrentUser], store: NamedDependency[BlobStore]
    ) -> dict:
        return {"photo": await photo_links(user, client_uuid, store)}
