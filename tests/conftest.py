"""Shared fixtures. Database tests run twice: on SQLite and on a real
PostgreSQL (DATABASE_URL_PG; skipped only when it is unset — CI sets it)."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import server.db  # noqa: F401  (points Piccolo at our configuration first)
from server.db import engine as db
from server.db.migrate import migrate
from server.db.tables import ALL_TABLES
from server.settings import Settings, load_settings

PG_URL = os.environ.get("DATABASE_URL_PG")
ENGINES = ["sqlite", "postgres"]


def _migrate_into(url: str) -> None:
    async def run() -> None:
        async with db.connected(url):
            await migrate()

    asyncio.run(run())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate_into(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    if not PG_URL:
        pytest.skip("DATABASE_URL_PG is not set")

    async def reset() -> None:
        async with db.connected(PG_URL) as engine:
            await engine.run_ddl("DROP SCHEMA public CASCADE")
            await engine.run_ddl("CREATE SCHEMA public")
            await migrate()

    asyncio.run(reset())
    return PG_URL


async def truncate_all() -> None:
    names = ", ".join(f'"{t._meta.tablename}"' for t in ALL_TABLES)
    await db.current().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path) -> str:
    """A migrated, empty database of each kind, private to the test."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "rounds.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")

    async def clean() -> None:
        async with db.connected(url):
            await truncate_all()

    asyncio.run(clean())
    return url


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return load_settings({
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
        "STORAGE_URL": str(tmp_path / "blobs"),
        "SECRET_KEY": "test-secret-key-0123456789abcdefghijklmnop",
        "BASE_URL": "http://testserver.local",
        "LOGIN_ATTEMPTS": "5",
        "MAX_PHOTO_BYTES": str(3 * 1024 * 1024),
        # The test client runs the app in its own event loop: a pool would be
        # shared across loops, so tests open a connection per query.
        "DATABASE_POOL_SIZE": "0",
    })


@pytest.fixture
async def engine(database_url) -> AsyncIterator[object]:
    """The test's database, bound and started (for service-level tests)."""
    async with db.connected(database_url) as eng:
        yield eng


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 server over real HTTP on 127.0.0.1, one per session; tests
    make a bucket of their own."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def scratch_pg():
    """`scratch_pg(suffix)` -> the URL of a new, empty PostgreSQL database beside
    DATABASE_URL_PG's (named <its name>_<suffix>), dropped after the test.
    Call it from a sync fixture (it runs its own event loop)."""
    if not PG_URL:
        pytest.skip("DATABASE_URL_PG is not set")
    import asyncpg

    made: list[str] = []

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def make(suffix: str) -> str:
        parsed = urlsplit(PG_URL)
        name = f"{parsed.path.lstrip('/')}_{suffix}"
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return urlunsplit(parsed._replace(path=f"/{name}"))

    yield make
    for name in made:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
