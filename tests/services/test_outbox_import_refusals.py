"""Items of an imported outbox file that the server refuses (a photo whose bytes
do not match its sha256, a revoked label) are reported with their code and
write nothing; the file's other items are still stored."""

from __future__ import annotations

import base64
import uuid

from server.db.tables import Photo, Visit
from server.services.outbox_import import import_outbox
from server.storage.local import LocalStore
from tests.factories import visit_body
from tests.photos.conftest import encode, synthetic_photo
from tests.services.outbox_support import (
    failed_visit_with_photo,
    json_item,
    outbox_file,
    photo_item,
)

SECRET = "test-secret-key-0123456789abcdefghijklmnop"


async def test_refused_items_are_reported_and_the_rest_stored(world, admin, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    good, good_visit, good_photo = failed_visit_with_photo(world, seed=3)
    # A photo whose bytes were damaged after hashing: the declared sha256 no longer matches.
    bad_photo = photo_item(good_visit, encode(synthetic_photo(4), "JPEG"), item="floor")
    data = bytearray(base64.b64decode(bad_photo["request"]["body_base64"]))
    data[len(data) // 2] ^= 0xFF
    bad_photo["request"]["body_base64"] = base64.b64encode(bytes(data)).decode()
    revoked = json_item("visit", visit_body(world, tag_code=world.tags["a_old"]["code"],
                                            template_version_id=world.versions["a_toilet"]),
                        state="attention", error={"status": 422, "code": "revoked_tag"})
    raw = outbox_file(world.users["guard"], "guard", [*good, bad_photo, revoked])

    report = await import_outbox(admin, raw, store=store, secret=SECRET, max_photo_bytes=5_000_000,
                                 max_pixels=50_000_000)
    outcome = {r.item.uuid: r for r in report.results}
    assert outcome[good_photo].outcome == "created"
    assert outcome[good_visit].outcome == "created"
    assert outcome[bad_photo["uuid"]].outcome == "refused"
    assert outcome[bad_photo["uuid"]].error.code == "photo_checksum_mismatch"
    assert outcome[revoked["uuid"]].outcome == "refused"
    assert outcome[revoked["uuid"]].error.code == "revoked_tag"
    assert report.counts == {"created": 2, "held": 0, "refused": 2}
    assert not await Photo.exists().where(Photo.client_uuid == uuid.UUID(bad_photo["uuid"])).run()
    assert not await Visit.exists().where(Visit.client_uuid == uuid.UUID(revoked["uuid"])).run()
    assert await Photo.count().run() == 1 and await Visit.count().run() == 1
    # Only the good photo's objects are in storage (original + display + thumb).
    assert len([p for p in (tmp_path / "blobs").rglob("*") if p.is_file() and ".tmp" not in p.parts]) == 3


async def test_photo_without_bytes_is_refused_unless_already_held(world, admin, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    items, _, photo_uuid = failed_visit_with_photo(world, seed=5)
    raw = outbox_file(world.users["guard"], "guard", items)
    assert [r.outcome for r in (await import_outbox(admin, raw, store=store, secret=SECRET,
                                                    max_photo_bytes=5_000_000, max_pixels=50_000_000)).results] \
        == ["created", "created"]
    # The phone dropped the bytes of a photo the server confirmed: held, not refused.
    items[0]["request"]["body_base64"] = None
    lost = photo_item(items[1]["uuid"], b"x")
    lost["request"]["body_base64"] = None
    report = await import_outbox(admin, outbox_file(world.users["guard"], "guard", [items[0], lost]), store=store,
                                 secret=SECRET, max_photo_bytes=5_000_000, max_pixels=50_000_000)
    assert [r.outcome for r in report.results] == ["held", "refused"]
    assert report.results[1].error.code == "photo_empty"
    assert await Photo.count().run() == 1
