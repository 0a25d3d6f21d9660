from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from tests.factories import PASSWORD, World, build_world

HEADERS = {"X-Rounds-Client": "pwa"}


class Api:
    """A test client that speaks like the phone app."""

    def __init__(self, client: AsyncTestClient, world: World):
        self.client = client
        self.world = world

    async def login(self, username: str, password: str = PASSWORD):
        self.client.cookies.clear()
        response = await self.client.post(
            "/api/v1/session", json={"username": username, "password": password}, headers=HEADERS
        )
        assert response.status_code == 200, response.text
        return response

    async def put_visit(self, uid: str, body: dict):
        return await self.client.put(f"/api/v1/visits/{uid}", json=body, headers=HEADERS)

    async def put_photo(self, uid: str, data: bytes, sha: str | None = None, **params):
        import hashlib

        headers = {**HEADERS, "Content-Type": "image/jpeg",
                   "X-Content-SHA256": sha or hashlib.sha256(data).hexdigest()}
        return await self.client.put(f"/api/v1/photos/{uid}", content=data, headers=headers,
                                     params={k: v for k, v in params.items() if v is not None})


@pytest.fixture
async def api(settings) -> AsyncIterator[Api]:
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        world = await build_world()
        yield Api(client, world)
