"""Dependencies shared by the API controllers."""

from litestar.datastructures import State

from server.settings import Settings
from server.storage.base import BlobStore


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_store(state: State) -> BlobStore:
    return state.store
