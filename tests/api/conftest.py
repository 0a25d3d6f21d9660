from __future__ import annotations

import contextlib
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


class LiveServer:
    """`rounds serve` on a free port against the test's database, with a world built."""

    def __init__(self, base_url: str, world: World, database_url: str):
        self.base_url, self.world, self.database_url = base_url, world, database_url

    def count(self, table: str) -> int:
        import asyncio

        from server.db import engine as db

        async def run() -> int:
            async with db.connected(self.database_url) as engine:
                return (await engine.run_ddl(f'SELECT count(*) AS n FROM "{table}"'))[0]["n"]

        return asyncio.run(run())


@pytest.fixture
def live_server(database_url, tmp_path):
    import asyncio
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    from server.db import engine as db

    async def build() -> World:
        async with db.connected(database_url):
            return await build_world()

    world = asyncio.run(build())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(tmp_path / "var"),
           "STORAGE_URL": str(tmp_path / "blobs"), "SECRET_KEY": "live-secret-key-0123456789abcdefghijkl",
           "BASE_URL": f"http://127.0.0.1:{port}", "LOGIN_ATTEMPTS": "1000"}
    rounds = str(Path(sys.executable).parent / "rounds")
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([rounds, "serve", "--port", str(port), "--quiet"], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        yield LiveServer(base, world, database_url)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def s3_settings(settings, endpoint: str):
    import dataclasses
    import uuid

    return dataclasses.replace(
        settings,
        storage_url=f"s3://rounds-{uuid.uuid4().hex[:10]}/photos?endpoint={endpoint}&region=us-east-1&path_style=true",
        s3_access_key="testing", s3_secret_key="testing",
    )


@pytest.fixture(params=["local", "s3"])
async def backend_api(request, settings) -> AsyncIterator[Api]:
    """The phone's client against each storage backend: local files, and S3
    (moto over HTTP). Runs on both databases, like `api`."""
    if request.param == "s3":
        settings = s3_settings(settings, request.getfixturevalue("moto_endpoint"))
    app = create_app(settings)
    if request.param == "s3":
        await app.state.store.ensure_bucket()
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        yield Api(client, await build_world())



@contextlib.asynccontextmanager
async def concurrent_api(settings) -> AsyncIterator[Api]:
    """Like `api`, but requests really run concurrently, in the caller's event
    loop (httpx's ASGI transport): Litestar's AsyncTestClient hands each
    request to a blocking portal, so two of its requests never overlap. A
    context manager, not a fixture: the app's lifespan must start and end in
    the same task."""
    import httpx

    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            client.app = app  # as on Litestar's test client: tests reach app.state through it
            yield Api(client, await build_world())


@contextlib.asynccontextmanager
async def clients_at(settings, *addresses: str) -> AsyncIterator[tuple[World, list[Api]]]:
    """One app, and a phone's client connecting from each address (the TCP
    peer the app sees), each with its own cookies. A context manager, like
    concurrent_api."""
    import httpx

    app = create_app(settings)
    async with app.lifespan(), contextlib.AsyncExitStack() as stack:
        clients = []
        for address in addresses:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://testserver.local"))
            client.app = app
            clients.append(client)
        world = await build_world()
        yield world, [Api(client, world) for client in clients]
