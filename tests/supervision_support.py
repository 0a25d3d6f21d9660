"""Helpers for the supervision tests: visits sent through the real ingest
service (so the supervision hooks run), photos through the photo service."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime

from server.services.accounts import CurrentUser, load_user
from server.services.photos import ingest_photo
from server.services.visits import ingest_visit
from tests.factories import World, visit_body

SECRET = "test-secret-key-0123456789abcdefghijklmnop"


async def user(world: World, role: str) -> CurrentUser:
    u = await load_user(world.users[role])
    assert u is not None
    return u


def jpeg(colour=(120, 130, 140)) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), colour)
    ImageDraw.Draw(img).rectangle([100, 80, 220, 160], fill=(colour[2], colour[0], colour[1]))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


async def photo(u: CurrentUser, store, visit_uuid: str | None, item: str, colour=(120, 130, 140),
                fix: str | None = None) -> str:
    """A photo through the real photo service; `fix`: the fix it is the after-photo of."""
    raw = jpeg(colour)
    uid = str(uuid.uuid4())
    await ingest_photo(u, uid, raw, declared_sha256=hashlib.sha256(raw).hexdigest(), store=store,
                       max_bytes=5_000_000, max_pixels=50_000_000, visit=visit_uuid, fix=fix, item_id=item)
    return uid


async def send_visit(world: World, u: CurrentUser, *, floor: str = "pass", where: str = "a_toilet",
                     kind: str = "patrol", at: datetime | None = None, photos: list[str] | None = None,
                     visit_uuid: str | None = None, **extra) -> dict:
    """A toilet visit; floor="fail" fails the photo-on-fail item (with a note)."""
    vid = visit_uuid or str(uuid.uuid4())
    when = (at or datetime.now(UTC)).isoformat()
    floor_answer = {"item": "floor", "value": floor}
    if floor == "fail":
        floor_answer.update(note="垃圾 litter", photos=photos or [str(uuid.uuid4())])
    extra.setdefault("tag_code", world.tags[where]["code"])
    extra.setdefault("answers", [floor_answer, {"item": "smell", "value": True}, {"item": "soap", "value": "full"}])
    body = visit_body(world, kind=kind, scanned_at=when, finished_at=when, **extra)
    created, result = await ingest_visit(u, vid, body, secret=SECRET)
    assert created
    return result


async def rectifying_finding(world: World, owner: str = "cleaner", *, found_by: str = "cleaner") -> int:
    """A failed self-check by `found_by` whose finding a supervisor has put into
    rectification (整改) with `owner` to fix it by four hours from now."""
    from datetime import timedelta

    from server.db.tables import Finding
    from server.services import findings

    await send_visit(world, await user(world, found_by), floor="fail", kind="self_check")
    fid = (await Finding.select(Finding.id).order_by(Finding.id, ascending=False).first().run())["id"]
    await findings.open_rectification(await user(world, "supervisor"), fid, owner_id=world.users[owner],
                                      deadline=datetime.now(UTC) + timedelta(hours=4))
    return fid
