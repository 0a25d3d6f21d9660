"""Export a site's setup, import it into an empty database: the same setup."""

import shutil

import pytest

from server.db import engine as db
from server.db.tables import Tag, User
from server.domain.errors import RoundsError
from server.services import setup_locations, site_transfer
from tests.conftest import truncate_all
from tests.factories import _HASH


def _comparable(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "exported_at"}


async def test_export_then_import_into_an_empty_database_gives_the_same_setup(world, admin, database_url, tmp_path,
                                                                              request):
    await setup_locations.update(world.site_a, world.locations["a_toilet"], {
        "kind": "point", "type": "toilet", "name_zh": "卫生间", "name_en": "Toilet",
        "responsible": world.users["cleaner"]}, actor=admin)
    doc = await site_transfer.export_site(world.site_a)
    usernames = sorted({u["username"] for u in await User.select(User.username).run()})
    # an empty database of the same kind
    if db.is_sqlite():
        path = tmp_path / "empty.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        await db.stop()
        db.use_database(f"sqlite:///{path}")
        await db.start(pool_size=0)
    else:
        await truncate_all()
    await User.insert(*[User(username=u, password_hash=_HASH, display_name=u, role="admin") for u in usernames]).run()
    summary = await site_transfer.import_site(doc, actor=None)
    assert summary["unknown_users"] == [] and summary["locations"] == 4 and summary["tags"] == 3
    again = await site_transfer.export_site(summary["site_id"])
    assert _comparable(again) == _comparable(doc)
    # importing twice is refused (code exists); copying needs fresh labels
    with pytest.raises(RoundsError):
        await site_transfer.import_site(doc, actor=None)
    with pytest.raises(RoundsError) as exc:
        await site_transfer.import_site(doc, actor=None, code="alpha-copy")
    assert exc.value.detail["field"] == "tags"
    copy = await site_transfer.import_site(doc, actor=None, code="alpha-copy", fresh_labels=True)
    assert copy["tags"] == 2  # the revoked label is not copied
    assert await Tag.count().where(Tag.site == copy["site_id"]).run() == 2


async def test_a_broken_document_imports_nothing(world):
    doc = await site_transfer.export_site(world.site_a)
    doc["site"]["code"] = "gamma"
    doc["rounds"][0]["checkpoints"].append({"location": "nowhere", "template": "toilet"})
    with pytest.raises(RoundsError) as exc:
        await site_transfer.import_site(doc, actor=None)
    assert exc.value.code == "invalid_document" and exc.value.detail["path"].startswith("rounds[0].checkpoints")
    from server.db.tables import Site
    assert not await Site.exists().where(Site.code == "gamma").run()
