"""An outbox import reaches no further than the field API would, for the
importer and for the person in the file: an admin of site B cannot store
anything on site A through a file, whoever recorded it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from server.db.tables import FindingEvent, Incident, Membership, Photo, User, Visit
from server.domain.errors import RoundsError
from server.services.accounts import load_user
from server.services.outbox_import import import_outbox
from server.services.visits import ingest_visit
from server.storage.local import LocalStore
from tests.factories import PASSWORD, visit_body
from tests.photos.conftest import encode, synthetic_photo
from tests.services.outbox_support import (
    failed_visit_with_photo,
    json_item,
    outbox_file,
    photo_item,
)
from tests.supervision_support import rectifying_finding, user

SECRET = "test-secret-key-0123456789abcdefghijklmnop"
LIMITS = {"secret": SECRET, "max_photo_bytes": 5_000_000, "max_pixels": 50_000_000}


async def _site_b_admin(world):
    from server.lib.passwords import hash_password

    now = datetime.now(UTC)
    uid = (await User.insert(User(username="admin_b", password_hash=hash_password(PASSWORD), display_name="admin_b",
                                  role="admin", language="en", created_at=now)).run())[0]["id"]
    await Membership.insert(Membership(user=uid, site=world.site_b, created_at=now)).run()
    return await load_user(uid)


async def _snapshot() -> tuple[int, ...]:
    return (await Visit.count().run(), await Incident.count().run(), await Photo.count().run(),
            await FindingEvent.count().run())


def _blobs(tmp_path) -> int:
    return len([p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]) if (tmp_path / "blobs").exists() else 0


async def test_site_b_admin_cannot_import_for_a_site_a_person(world, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    admin_b = await _site_b_admin(world)
    incident = json_item("incident", {"kind": "hazard", "note": "x", "location_id": world.locations["a_pump"],
                                      "occurred_at": datetime.now(UTC).isoformat()})
    items, _, _ = failed_visit_with_photo(world)
    before = await _snapshot()
    with pytest.raises(RoundsError) as refused:
        await import_outbox(admin_b, outbox_file(world.users["guard"], "guard", [incident, *items]), store=store,
                            **LIMITS)
    assert refused.value.code == "forbidden"
    assert await _snapshot() == before and _blobs(tmp_path) == 0


async def test_items_on_the_importers_other_sites_are_refused_per_item(world, tmp_path):
    """The person works on both sites; the site-B admin imports their file: every
    site-A item (visit, incident by label and by location, fix, and each one's
    photo) is refused with the field API's code; the site-B visit is stored."""
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    admin_b = await _site_b_admin(world)
    await Membership.insert(Membership(user=world.users["cleaner"], site=world.site_b,
                                       created_at=datetime.now(UTC))).run()
    cleaner = await user(world, "cleaner")
    fid = await rectifying_finding(world)  # site A, owned by the cleaner
    synced_body = visit_body(world, kind="self_check")
    created, synced = await ingest_visit(cleaner, str(uuid.uuid4()), synced_body, secret=SECRET)
    assert created  # a site-A visit already on the server

    visit_items, a_visit, a_visit_photo = failed_visit_with_photo(world, seed=2)
    visit_items[1]["request"]["body"]["kind"] = "self_check"
    def now() -> str:
        return datetime.now(UTC).isoformat()

    by_label = json_item("incident", {"kind": "hazard", "note": "x", "tag_code": world.tags["a_pump"]["code"],
                                      "occurred_at": now()})
    by_location = json_item("incident", {"kind": "hazard", "note": "x", "location_id": world.locations["a_pump"],
                                         "occurred_at": now()})
    incident_photo = photo_item(by_location["uuid"], encode(synthetic_photo(3), "JPEG"), item=None,
                                parent_kind="incident")
    fix_uuid = str(uuid.uuid4())
    after = photo_item(fix_uuid, encode(synthetic_photo(4), "JPEG"), item=None, parent_kind="fix")
    fix = json_item("fix", {"finding_id": fid, "note": "swept", "photos": [after["uuid"]], "fixed_at": now(),
                            "device_id": "d-test"}, fix_uuid)
    late_photo = photo_item(synced["client_uuid"], encode(synthetic_photo(5), "JPEG"))
    # the site-A visit already on the server, in the file again: not reported back as "held"
    resent = json_item("visit", synced_body, synced["client_uuid"])
    b_visit = json_item("visit", visit_body(world, kind="self_check", tag_code=world.tags["b_toilet"]["code"],
                                            template_version_id=world.versions["b_toilet"]))
    raw = outbox_file(world.users["cleaner"], "cleaner",
                      [*visit_items, by_label, by_location, incident_photo, after, fix, late_photo, resent, b_visit])
    visits, incidents, photos, events = await _snapshot()

    report = await import_outbox(admin_b, raw, store=store, **LIMITS)

    codes = {r.item.uuid: (r.outcome, r.error.code if r.error else None) for r in report.results}
    assert codes == {
        a_visit: ("refused", "unknown_tag"),
        a_visit_photo: ("refused", "unknown_tag"),
        by_label["uuid"]: ("refused", "unknown_tag"),
        by_location["uuid"]: ("refused", "unknown_location"),
        incident_photo["uuid"]: ("refused", "unknown_location"),
        fix_uuid: ("refused", "unknown_finding"),
        after["uuid"]: ("refused", "unknown_finding"),
        late_photo["uuid"]: ("refused", "forbidden"),
        synced["client_uuid"]: ("refused", "forbidden"),
        b_visit["uuid"]: ("created", None),
    }
    assert await _snapshot() == (visits + 1, incidents, photos, events)
    assert _blobs(tmp_path) == 0
    stored = await Visit.select(Visit.site).where(Visit.client_uuid == uuid.UUID(b_visit["uuid"])).first().run()
    assert stored["site"] == world.site_b
