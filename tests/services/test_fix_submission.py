"""The owner's fix from the phone is idempotent by its UUID (a resend gets the
stored result, another body under the same UUID is refused), needs a note and
an after-photo, and is refused — writing nothing — when the finding is not the
caller's or is no longer being rectified."""

import uuid
from datetime import UTC, datetime

import pytest

from server.db.tables import AuditLog, FindingEvent
from server.domain.errors import RoundsError
from server.services import findings
from server.storage.local import LocalStore
from tests.factories import build_world
from tests.supervision_support import photo, rectifying_finding, send_visit, user


def _body(fid: int, photos: list[str], note: str = "已清扫") -> dict:
    return {"finding_id": fid, "note": note, "photos": photos, "fixed_at": datetime.now(UTC).isoformat(),
            "device_id": "phone-1"}


async def _written() -> tuple[int, int]:
    fixes = await FindingEvent.count().where(FindingEvent.kind == "fix_submitted").run()
    audits = await AuditLog.count().where(AuditLog.action == "finding.fix_submitted").run()
    return fixes, audits


async def test_a_resend_is_answered_from_the_stored_fix(engine, tmp_path):
    world = await build_world()
    fid = await rectifying_finding(world)
    cleaner = await user(world, "cleaner")
    fix_uuid = str(uuid.uuid4())
    # The after-photo may come after the fix: the fix names it, the page shows it once it is here.
    created, first = await findings.submit_fix(cleaner, fix_uuid, body := _body(fid, [str(uuid.uuid4())]))
    assert created and first["finding_id"] == fid
    again, second = await findings.submit_fix(cleaner, fix_uuid, body)
    assert not again and second == first
    with pytest.raises(RoundsError) as exc:
        await findings.submit_fix(cleaner, fix_uuid, {**body, "note": "something else"})
    assert exc.value.code == "idempotency_conflict"
    assert await _written() == (1, 1)
    row = await FindingEvent.select().where(FindingEvent.kind == "fix_submitted").first().run()
    assert str(row["client_uuid"]) == fix_uuid and row["device_id"] == "phone-1" and row["occurred_at"]
    # Even after the finding closes, the phone resending its fix still gets its answer.
    await send_visit(world, await user(world, "team_lead"), floor="pass")
    assert (await findings.submit_fix(cleaner, fix_uuid, body))[0] is False
    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    assert await photo(cleaner, store, None, "floor", fix=fix_uuid)


@pytest.mark.parametrize("change,code", [
    ({"note": "  "}, "fix_incomplete"),
    ({"photos": []}, "fix_incomplete"),
    ({"photos": ["not-a-uuid"]}, "malformed_body"),
    ({"finding_id": 0}, "malformed_body"),
    ({"finding_id": 999999}, "unknown_finding"),
    ({"fixed_at": "yesterday"}, "invalid_time"),
    ({"extra": 1}, "malformed_body"),
])
async def test_bad_fixes_are_refused(engine, change, code):
    world = await build_world()
    fid = await rectifying_finding(world)
    with pytest.raises(RoundsError) as exc:
        await findings.submit_fix(await user(world, "cleaner"), str(uuid.uuid4()),
                                  {**_body(fid, [str(uuid.uuid4())]), **change})
    assert exc.value.code == code and 400 <= exc.value.status < 500
    assert await _written() == (0, 0)


async def test_only_the_owner_and_only_while_rectifying(engine, tmp_path):
    world = await build_world()
    fid = await rectifying_finding(world)
    guard = await user(world, "guard")
    with pytest.raises(RoundsError) as exc:
        await findings.submit_fix(guard, str(uuid.uuid4()), _body(fid, [str(uuid.uuid4())]))
    assert (exc.value.code, exc.value.status) == ("not_finding_owner", 403)
    outsider = await user(world, "guard")
    outsider = type(outsider)(**{**outsider.__dict__, "id": world.outsider, "site_ids": frozenset({world.site_b})})
    with pytest.raises(RoundsError) as exc:
        await findings.submit_fix(outsider, str(uuid.uuid4()), _body(fid, [str(uuid.uuid4())]))
    assert exc.value.code == "unknown_finding"  # another site's finding is not even confirmed to exist

    # someone else's photo cannot be passed off as the owner's after-photo
    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    theirs = await photo(guard, store, None, "floor")
    cleaner = await user(world, "cleaner")
    with pytest.raises(RoundsError) as exc:
        await findings.submit_fix(cleaner, str(uuid.uuid4()), _body(fid, [theirs]))
    assert exc.value.code == "forbidden"

    await send_visit(world, await user(world, "team_lead"), floor="pass")  # re-inspected and closed
    with pytest.raises(RoundsError) as exc:
        await findings.submit_fix(cleaner, str(uuid.uuid4()), _body(fid, [str(uuid.uuid4())]))
    assert (exc.value.code, exc.value.status) == ("finding_not_rectifying", 422)
    assert await _written() == (0, 0)
