"""The demo loader is idempotent: a second run adds nothing and breaks nothing."""

from server.db.tables import (
    Answer,
    Finding,
    Location,
    Membership,
    Round,
    RoundCheckpoint,
    Site,
    Tag,
    Template,
    TemplateVersion,
    User,
    Visit,
)
from server.demo import catalog
from server.demo.loader import load_demo

TABLES = [Site, User, Membership, Location, Tag, Template, TemplateVersion, Round, RoundCheckpoint,
          Visit, Answer, Finding]


async def _counts():
    return {t._meta.tablename: await t.count().run() for t in TABLES}


async def test_loading_twice_gives_the_same_database(engine):
    await load_demo(secret="s" * 40, history_days=2)
    first = await _counts()
    assert first["site"] == 1
    assert first["app_user"] == len(catalog.USERS)
    points = await Location.count().where(Location.kind == "point").run()
    assert 40 <= points <= 50 and first["tag"] == points
    assert first["visit"] > 0 and first["answer"] > first["visit"]
    assert first["finding"] > 0  # synthetic history includes failures

    await load_demo(secret="s" * 40, history_days=2)
    assert await _counts() == first


async def test_if_empty_leaves_an_existing_site_alone(engine):
    await Site.insert(Site(code="mine", name_zh="我的", name_en="Mine")).run()
    report = await load_demo(secret="s" * 40, if_empty=True, history_days=1)
    assert "not loaded" in report
    assert await Site.count().run() == 1 and await User.count().run() == 0


async def test_demo_users_can_log_in_with_the_documented_password(engine):
    from server.services.accounts import authenticate

    await load_demo(secret="s" * 40, history_days=0)
    user = await authenticate(catalog.USERS[0]["username"], catalog.DEMO_PASSWORD, ip="t",
                              max_attempts=5, window_seconds=60)
    assert user.site_ids


async def test_demo_reference_photos_are_stored_and_loading_twice_adds_no_version(engine, tmp_path):
    from server.domain import reference_photo
    from server.storage.local import LocalStore

    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    await load_demo(secret="s" * 40, history_days=0, store=store)
    versions = await TemplateVersion.count().run()
    rows = await TemplateVersion.select().output(load_json=True).run()
    refs = [i["reference_photo"] for v in rows for i in v["items"] if i["reference_photo"]]
    assert len(refs) == 4 and all(reference_photo.is_stored(r) for r in refs)
    for ref in refs:
        assert await store.exists(f"reference/{ref[:2]}/{ref}.webp")
    await load_demo(secret="s" * 40, history_days=0, store=store)
    assert await TemplateVersion.count().run() == versions
