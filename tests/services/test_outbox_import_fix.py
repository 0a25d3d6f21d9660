"""A waiting fix (the owner's rectification evidence, 整改) in a phone's
exported outbox file is imported like the phone would have sent it: the
after-photo and the fix are stored as the owner, once, however often the file
is imported."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from server.db.tables import FindingEvent, Photo
from server.services.outbox_import import import_outbox
from server.storage.local import LocalStore
from tests.photos.conftest import encode, synthetic_photo
from tests.services.outbox_support import json_item, outbox_file, photo_item
from tests.supervision_support import rectifying_finding

SECRET = "test-secret-key-0123456789abcdefghijklmnop"


async def test_a_waiting_fix_and_its_photo_are_imported_once(world, admin, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    fid = await rectifying_finding(world)
    fix_uuid = str(uuid.uuid4())
    after = photo_item(fix_uuid, encode(synthetic_photo(7), "JPEG"), parent_kind="fix")
    fix = json_item("fix", {"finding_id": fid, "note": "已清扫 / swept", "photos": [after["uuid"]],
                            "fixed_at": datetime.now(UTC).isoformat(), "device_id": "d-test"}, fix_uuid)
    raw = outbox_file(world.users["cleaner"], "cleaner", [fix, after])

    first = await import_outbox(admin, raw, store=store, secret=SECRET, max_photo_bytes=5_000_000,
                                max_pixels=50_000_000)
    again = await import_outbox(admin, raw, store=store, secret=SECRET, max_photo_bytes=5_000_000,
                                max_pixels=50_000_000)

    assert [r.outcome for r in first.results] == ["created", "created"], [r.error for r in first.results]
    assert [r.outcome for r in again.results] == ["held", "held"]
    event = await FindingEvent.select().where(FindingEvent.kind == "fix_submitted").first().run()
    assert str(event["client_uuid"]) == fix_uuid and event["actor"] == world.users["cleaner"]
    assert await FindingEvent.count().where(FindingEvent.kind == "fix_submitted").run() == 1
    photo = await Photo.select().where(Photo.client_uuid == uuid.UUID(after["uuid"])).first().run()
    assert photo["user"] == world.users["cleaner"] and str(photo["fix_uuid"]) == fix_uuid
