"""The PostgreSQL backup procedure of docs/deploy.md: `pg_dump -Fc` of a
database with visits, photos and an audit log, `pg_restore` into a fresh
database, gives the same visits, answers, photos and audit log, and the
restored database takes new visits (its sequences came along)."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
import uuid

import pytest

from server.db import engine as db
from server.db.migrate import migrate
from server.db.tables import Answer, AuditLog, Photo, Visit
from server.services.accounts import load_user
from server.services.photos import ingest_photo
from server.services.visits import ingest_visit
from server.storage import LocalStore
from tests.conftest import truncate_all
from tests.factories import build_world, visit_body
from tests.photos.conftest import encode, synthetic_photo

SECRET = "test-secret-key-0123456789abcdefghijklmnop"


@pytest.fixture
def source_url(pg_migrated) -> str:
    async def clean() -> None:
        async with db.connected(pg_migrated):
            await truncate_all()

    asyncio.run(clean())
    return pg_migrated


@pytest.fixture
def target_url(scratch_pg) -> str:
    return scratch_pg("restore")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


async def _tables() -> dict:
    return {
        "visits": await Visit.select().order_by(Visit.id).run(),
        "answers": await Answer.select().order_by(Answer.id).run(),
        "photos": await Photo.select().order_by(Photo.id).run(),
        "audit": await AuditLog.select().order_by(AuditLog.id).run(),
    }


async def test_pg_dump_restores_into_a_fresh_database(source_url, target_url, tmp_path):
    store = LocalStore(tmp_path / "blobs", SECRET.encode())
    async with db.connected(source_url):
        world = await build_world()
        guard = await load_user(world.users["guard"])
        for seed in range(3):
            data = encode(synthetic_photo(seed), "JPEG")
            photo, visit = str(uuid.uuid4()), str(uuid.uuid4())
            await ingest_photo(guard, photo, data, declared_sha256=hashlib.sha256(data).hexdigest(), store=store,
                               max_bytes=10_000_000, max_pixels=50_000_000, visit=visit, item_id="floor")
            await ingest_visit(guard, visit, visit_body(world, answers=[
                {"item": "floor", "value": "fail", "photos": [photo], "note": "litter"},
                {"item": "smell", "value": True}]), secret=SECRET)
        before = await _tables()
    assert len(before["visits"]) == 3 and len(before["audit"]) >= 3

    dump = tmp_path / "rounds.dump"
    subprocess.run([_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(dump), "-d", source_url],
                   check=True, capture_output=True, timeout=120)
    restored = subprocess.run([_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", target_url, str(dump)],
                              capture_output=True, text=True, timeout=120)
    assert restored.returncode == 0, restored.stderr

    async with db.connected(target_url):
        assert await _tables() == before
        await migrate()  # the migration history came along: nothing to apply, nothing fails
        visit = str(uuid.uuid4())
        created, _ = await ingest_visit(guard, visit, visit_body(world), secret=SECRET)
        assert created and await Visit.count().run() == 4
