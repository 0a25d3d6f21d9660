"""A file that is not an outbox export, or whose person is unknown here or
outside the importer's sites, is refused as a whole with a code; nothing is written."""

from __future__ import annotations

import json

import pytest

from server.domain.errors import RoundsError
from server.services.accounts import load_user
from server.services.outbox_import import import_outbox
from server.storage.local import LocalStore
from tests.services.outbox_support import counts, failed_visit_with_photo, outbox_file

SECRET = "test-secret-key-0123456789abcdefghijklmnop"
EMPTY = {"visit": 0, "photo": 0, "incident": 0, "audit_import": 0}


async def _refused(importer, raw, store) -> RoundsError:
    with pytest.raises(RoundsError) as info:
        await import_outbox(importer, raw, store=store, secret=SECRET, max_photo_bytes=5_000_000,
                            max_pixels=50_000_000)
    assert await counts() == EMPTY
    return info.value


def _mutate(world, change) -> bytes:
    items, _, _ = failed_visit_with_photo(world)
    doc = json.loads(outbox_file(world.users["guard"], "guard", items))
    change(doc)
    return json.dumps(doc).encode()


async def test_malformed_files_are_refused_whole(world, admin, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    cases = {
        "not json": b"\x89PNG not json",
        "wrong format": _mutate(world, lambda d: d.update(format="rounds-outbox/9")),
        "no user": _mutate(world, lambda d: d.pop("user")),
        "items not a list": _mutate(world, lambda d: d.update(items={"a": 1})),
        "bad kind": _mutate(world, lambda d: d["items"][1].update(kind="work_order")),
        "path of another item": _mutate(world, lambda d: d["items"][1]["request"].update(
            path=d["items"][0]["request"]["path"])),
        "not base64": _mutate(world, lambda d: d["items"][0]["request"].update(body_base64="%%%")),
        "method": _mutate(world, lambda d: d["items"][1]["request"].update(method="DELETE")),
        "same uuid twice": _mutate(world, lambda d: d["items"].append(d["items"][1])),
    }
    for name, raw in cases.items():
        error = await _refused(admin, raw, store)
        assert error.code == "invalid_outbox_file", name
        assert error.status == 422
        assert error.message_en and error.message_zh
    # The item and field at fault are named, for the page to show.
    error = await _refused(admin, cases["not base64"], store)
    assert error.detail == {"reason": "body_base64 is not base64", "index": 0, "field": "request.body_base64"}


async def test_unknown_person_is_refused(world, admin, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    items, _, _ = failed_visit_with_photo(world)
    # Same id, another name: a file from another server.
    error = await _refused(admin, outbox_file(world.users["guard"], "someone_else", items), store)
    assert error.code == "outbox_unknown_user"
    error = await _refused(admin, outbox_file(999_999, "guard", items), store)
    assert error.code == "outbox_unknown_user"


async def test_only_admins_and_the_persons_supervisor_may_import(world, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    items, _, _ = failed_visit_with_photo(world)
    for role in ("guard", "team_lead", "inspector", "manager"):
        error = await _refused(await load_user(world.users[role]), outbox_file(world.users["guard"], "guard", items),
                               store)
        assert error.code == "forbidden", role
    # The supervisor of site A may not import for a guard of site B.
    supervisor = await load_user(world.users["supervisor"])
    error = await _refused(supervisor, outbox_file(world.outsider, "outsider", items), store)
    assert error.code == "forbidden"
