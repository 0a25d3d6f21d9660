"""Upgrading a database an older release left behind, full of real data: the
schema is migrated only up to an older migration, rows are written with SQL
of that older schema (visits with answers, photos whose blobs are stored,
findings, sessions, audit entries), then `migrate` brings it to head. The
data-rewriting migrations must fill the new columns of the populated rows
(the phash quarters of each photo) and the app must read the upgraded data."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.db import engine as db
from server.db import raw
from server.db.migrate import migrate
from server.db.tables import Photo, SessionRecord, TemplateVersion
from server.photos.hashing import quarters
from server.services.accounts import load_user
from server.services.photo_ops import verify
from server.services.visit_detail import visit_detail
from server.storage import LocalStore, key_for
from tests.factories import TOILET_ITEMS
from tests.photos.conftest import encode, synthetic_photo

# The last migration before the 2026-12-01 ones (sessions' user_id/revoked,
# immutable template versions, fix UUIDs, phash quarters and their backfill).
OLDER = "2026-11-22T06:40:01:000000"
SECRET = "test-secret-key-0123456789abcdefghijklmnop"
# One hash with the top bit set: the backfill shifts a signed 64-bit integer.
PHASHES = [0x0123_4567_89AB_CDEF, -0x1122_3344_5566_7788]


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite3'}"
    return request.getfixturevalue("scratch_pg")("upgrade")


async def _insert(table: str, **values) -> int:
    rows = await raw.insert_rows(table, list(values), [list(values.values())], returning=["id"])
    return rows[0]["id"]


async def _older_release_data(store: LocalStore) -> dict:
    """Rows as the older release wrote them: only the columns it had."""
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    site = await _insert("site", code="alpha", name_zh="甲大厦", name_en="Alpha Tower",
                         timezone="Asia/Shanghai", created_at=t0)
    guard = await _insert("app_user", username="guard1", password_hash="x", display_name="Guard",
                          role="guard", language="en", created_at=t0)
    boss = await _insert("app_user", username="boss", password_hash="x", display_name="Boss",
                         role="supervisor", language="en", created_at=t0)
    for uid in (guard, boss):
        await _insert("membership", user=uid, site=site, created_at=t0)
    location = await _insert("location", site=site, key="t1", kind="point", type="toilet",
                             name_zh="一楼卫生间", name_en="1F toilet", created_at=t0)
    template = await _insert("template", site=site, key="toilet", name_zh="卫生间", name_en="Toilet",
                             created_at=t0)
    version = await _insert("template_version", template=template, version=1, name_zh="卫生间",
                            name_en="Toilet", items=json.dumps(TOILET_ITEMS), checksum="c" * 64,
                            published_at=t0)
    visit_uuid = uuid.uuid4()
    visit = await _insert("visit", client_uuid=visit_uuid, fingerprint="f" * 64, user=guard, site=site,
                          location=location, template_version=version, kind="patrol", scan_method="scan",
                          scanned_at=t0, finished_at=t0 + timedelta(minutes=3),
                          received_at=t0 + timedelta(minutes=4), device_id="dev-1", failed_count=1,
                          points_earned=1, points_possible=3)
    photos = []
    for seed, phash in zip((1, 2), PHASHES, strict=True):
        data = encode(synthetic_photo(seed), "JPEG")
        sha = hashlib.sha256(data).hexdigest()
        keys = (key_for("originals", sha), key_for("display", sha, "webp"), key_for("thumbs", sha, "webp"))
        for key, body in zip(keys, (data, b"display", b"thumb"), strict=True):
            await store.put(key, body, content_type="image/jpeg")
        photo_uuid = uuid.uuid4()
        await _insert("photo", client_uuid=photo_uuid, user=guard, visit_uuid=visit_uuid,
                      item_id="floor" if seed == 1 else "", sha256=sha, size_bytes=len(data),
                      content_type="image/jpeg", format="JPEG", width=64, height=48, storage_key=keys[0],
                      display_key=keys[1], thumb_key=keys[2], phash=phash, received_at=t0, flags="{}")
        photos.append(str(photo_uuid))
    await _insert("answer", visit=visit, item_id="floor", kind="pass_fail", value=json.dumps("fail"),
                  failed=True, photos=json.dumps([photos[0]]))
    await _insert("answer", visit=visit, item_id="smell", kind="yes_no", value=json.dumps(True),
                  failed=False, points=1, photos="[]")
    finding = await _insert("finding", visit=visit, item_id="floor", site=site, location=location,
                            status="open", created_at=t0 + timedelta(minutes=4))
    await _insert("session_store", key="older-session", data=json.dumps({"uid": guard}).encode(),
                  expires_at=2_000_000_000)
    await _insert("audit_log", at=t0, actor=guard, site=site, action="visit.create", object_type="visit",
                  object_id=str(visit), detail=json.dumps({"client_uuid": str(visit_uuid)}))
    return {"visit": visit, "boss": boss, "guard": guard, "finding": finding, "photos": photos}


async def test_populated_older_database_upgrades_and_reads(empty_url, tmp_path):
    store = LocalStore(tmp_path / "blobs", SECRET.encode())
    async with db.connected(empty_url):
        await migrate(up_to=OLDER)
        assert not await raw.fetch(lambda p: "SELECT 1 FROM migration WHERE name > '2026-11-22T06:40:01:000000'")
        old = await _older_release_data(store)

        await migrate()

        rows = await Photo.select().order_by(Photo.id).run()
        assert [r["phash"] for r in rows] == PHASHES
        for row in rows:
            assert (row["phash_q0"], row["phash_q1"], row["phash_q2"], row["phash_q3"]) == quarters(row["phash"])
            assert row["fix_uuid"] is None
        session = await SessionRecord.select().where(SessionRecord.key == "older-session").first().run()
        assert session["revoked"] is False and session["user_id"] is None
        with pytest.raises(Exception, match="immutable"):  # the trigger added on the way
            await TemplateVersion.update({TemplateVersion.name_en: "changed"}, force=True).run()

        boss = await load_user(old["boss"])
        detail = await visit_detail(boss, old["visit"], store, secret=SECRET)
        floor = next(i for i in detail["items"] if i["item"]["id"] == "floor")
        assert floor["failed"] and [p["uuid"] for p in floor["photos"]] == [old["photos"][0]]
        assert floor["photos"][0]["present"]
        assert [p["uuid"] for p in detail["loose_photos"]] == [old["photos"][1]]
        assert [(f["id"], f["status"]) for f in detail["findings"]] == [(old["finding"], "open")]
        assert detail["who"]["username"] == "guard1"

        report = await verify(store)
        assert report.ok == 2 and not report.missing and not report.corrupt and not report.unreferenced
