"""/healthz answers from the process alone; /readyz checks the database, its
migrations and a real write to the photo store, with a reason code on 503.
Neither creates a session."""

from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db.tables import SessionRecord
from server.storage.base import StorageError
from tests.database_faults import database_outage


async def _client(settings):
    return AsyncTestClient(app=create_app(settings), base_url="http://testserver.local")


async def test_both_probes_answer_ok_without_making_a_session(settings, engine):
    async with await _client(settings) as client:
        for path in ("/healthz", "/readyz"):
            response = await client.get(path)
            assert response.status_code == 200 and response.json() == {"ok": True}, path
            assert "set-cookie" not in response.headers, path
    assert await SessionRecord.count().run() == 0


async def test_healthz_needs_no_database_and_readyz_names_it(settings, database_url):
    async with await _client(settings) as client:
        with database_outage(database_url) as outage:
            assert (await client.get("/readyz")).status_code == 200
            outage.cut()
            try:
                assert (await client.get("/healthz")).status_code == 200
                ready = await client.get("/readyz", headers={"Accept-Language": "en"})
            finally:
                outage.restore()
    assert ready.status_code == 503
    assert ready.json()["code"] == "database_unavailable" and ready.json()["ok"] is False
    assert ready.json()["messages"]["zh-CN"]


async def test_readyz_refuses_with_pending_migrations(settings, engine):
    from piccolo.apps.migrations.tables import Migration

    last = await Migration.select().order_by(Migration.name, ascending=False).first().run()
    await Migration.delete().where(Migration.name == last["name"]).run()
    try:
        async with await _client(settings) as client:
            ready = await client.get("/readyz")
    finally:  # the PostgreSQL schema is shared by the session's tests
        await Migration.insert(Migration(**{k: v for k, v in last.items() if k != "id"})).run()
    assert ready.status_code == 503 and ready.json()["code"] == "migrations_pending"


async def test_readyz_refuses_when_the_photo_store_cannot_take_a_write(settings, engine):
    app = create_app(settings)

    async def failing_put(key, data, *, content_type):
        raise StorageError("disk full")

    app.state.store.put = failing_put
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["code"] == "storage_unavailable"


async def test_readyz_writes_a_probe_to_s3_and_refuses_a_missing_bucket(settings, engine, moto_endpoint):
    from tests.api.conftest import s3_settings

    app = create_app(s3_settings(settings, moto_endpoint))
    store = app.state.store
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        missing = await client.get("/readyz")  # the bucket does not exist yet
        await store.ensure_bucket()
        ready = await client.get("/readyz")
        leftovers = [key async for key in store.iter_keys("")]
    assert missing.status_code == 503 and missing.json()["code"] == "storage_unavailable"
    assert ready.status_code == 200 and ready.json() == {"ok": True}
    assert leftovers == []  # the probe object was deleted again
