"""The site import form: a real export, uploaded through the page into an
empty database, gives the same setup (exported again, the documents match)."""

import json
import shutil

from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db import engine as db
from server.db.tables import Site, User
from server.settings import load_settings
from tests.conftest import truncate_all
from tests.factories import _HASH
from tests.web.conftest import Console


async def test_import_an_export_into_an_empty_database_through_the_page(console, settings, tmp_path, request):
    await console.login("admin")
    a = console.world.site_a
    exported = await console.client.get(f"/console/setup/sites/{a}/export.json")
    assert exported.status_code == 200
    original = exported.json()
    usernames = sorted({u["username"] for u in await User.select(User.username).run()})

    # an empty database of the same kind, with only the people the document names
    if db.is_sqlite():
        path = tmp_path / "empty.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        fresh = load_settings({**{k: str(v) for k, v in {
            "DATABASE_URL": f"sqlite:///{path}", "VAR_DIR": tmp_path / "var2", "STORAGE_URL": tmp_path / "blobs2",
            "SECRET_KEY": settings.secret_key, "BASE_URL": settings.base_url, "DATABASE_POOL_SIZE": 0}.items()}})
    else:
        await truncate_all()
        fresh = settings
    app = create_app(fresh)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await User.insert(*[User(username=u, password_hash=_HASH, display_name=u, role="admin" if u == "admin" else "guard")
                            for u in usernames]).run()
        assert not await Site.exists().run()
        page = Console(client, console.world)
        assert (await page.login("admin")).status_code == 303
        form = await client.get("/console/setup/import")
        assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
        done = await page.post("/console/setup/import", {}, files={
            "file": ("alpha-setup.json", exported.content, "application/json")}, follow_redirects=False)
        assert done.status_code == 303 and "done=site_imported" in done.headers["location"]
        site_id = int(done.headers["location"].split("/")[4].split("?")[0])
        landing = await client.get(done.headers["location"])
        assert landing.status_code == 200 and "项目已导入。" in landing.text  # a new user reads Chinese
        again = await client.get(f"/console/setup/sites/{site_id}/export.json")
        assert again.status_code == 200
        copy = again.json()
        for doc in (original, copy):
            doc.pop("exported_at")
        assert copy == original
        # a second upload of the same file is refused (the code exists) and writes nothing
        refused = await page.post("/console/setup/import", {}, files={
            "file": ("alpha-setup.json", exported.content, "application/json")})
        assert refused.status_code == 409 and 'data-code="conflict"' in refused.text
        assert 'id="err-code"' in refused.text  # the site code field says what clashed
        broken = await page.post("/console/setup/import", {}, files={"file": ("x.json", b"{not json", "application/json")})
        assert broken.status_code == 422 and 'data-code="invalid_document"' in broken.text
        assert await Site.count().run() == 1
        assert json.loads(exported.content)["site"]["code"] == "alpha"
