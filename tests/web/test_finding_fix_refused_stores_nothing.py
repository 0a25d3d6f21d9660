"""A console "fixed on the spot" that is refused (a role that may not act, a
supervisor of another site, a closed finding, a note too long) stores no
after-photo: no photo row, no blob."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from server.db.tables import Finding, FindingEvent, Membership, Photo, User
from tests.factories import PASSWORD
from tests.supervision_support import jpeg, send_visit, user


async def _site_b_supervisor(world) -> None:
    from server.lib.passwords import hash_password

    now = datetime.now(UTC)
    uid = (await User.insert(User(username="supervisor_b", password_hash=hash_password(PASSWORD),
                                  display_name="supervisor_b", role="supervisor", language="en",
                                  created_at=now)).run())[0]["id"]
    await Membership.insert(Membership(user=uid, site=world.site_b, created_at=now)).run()


def _blobs(root: Path) -> int:
    return len([p for p in root.rglob("*") if p.is_file()]) if root.exists() else 0


@pytest.mark.parametrize("who,note,closed,status,code", [
    ("inspector", "swept", False, 403, "forbidden"),  # sees findings, may not act on them
    ("supervisor_b", "swept", False, 404, "not_found"),  # another site's supervisor: like an unknown finding
    ("supervisor", "swept", True, 409, "conflict"),  # already fixed
    ("supervisor", "x" * 1001, False, 422, "validation_error"),
])
async def test_a_refused_fix_leaves_no_photo(console, settings, who, note, closed, status, code):
    await send_visit(console.world, await user(console.world, "cleaner"), floor="fail", kind="self_check")
    fid = (await Finding.select(Finding.id).first().run())["id"]
    if closed:
        await Finding.update({Finding.status: "fixed"}).where(Finding.id == fid).run()
    await _site_b_supervisor(console.world)
    blobs = Path(settings.storage_url)
    photos, blob_count = await Photo.count().run(), _blobs(blobs)

    await console.login(who)
    r = await console.client.post(f"/console/findings/{fid}/fix", data={"note": note},
                                  files={"photo": ("after.jpg", jpeg((10, 200, 30)), "image/jpeg")},
                                  headers={"x-csrftoken": console.csrf(), "accept": "application/json"},
                                  follow_redirects=False)

    assert r.status_code == status, r.text
    assert code in r.text
    assert await Photo.count().run() == photos
    assert _blobs(blobs) == blob_count
    assert await FindingEvent.count().where(FindingEvent.kind == "fixed_on_spot").run() == 0
