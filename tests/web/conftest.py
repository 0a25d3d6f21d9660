from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from tests.factories import PASSWORD, World, build_world


class Console:
    """A browser-like client for the server-rendered console (forms + CSRF)."""

    def __init__(self, client: AsyncTestClient, world: World):
        self.client = client
        self.world = world

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""

    async def login(self, username: str, password: str = PASSWORD):
        self.client.cookies.clear()
        page = await self.client.get("/console/login")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        return await self.client.post("/console/login", data={
            "username": username, "password": password, "next": "/console", "_csrf_token": token},
            follow_redirects=False)

    async def post(self, url: str, data: dict | None = None, **kwargs):
        return await self.client.post(url, data={**(data or {}), "_csrf_token": self.csrf()}, **kwargs)


@pytest.fixture
async def console(settings) -> AsyncIterator[Console]:
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        yield Console(client, await build_world())
