"""Keys are built server-side; anything else is refused before any I/O."""

from __future__ import annotations

import pytest

from server.storage import key_for, validate_key

SHA = "ab" + "c" * 62

BAD_KEYS = [
    "",
    "/abs/path",
    "../etc/passwd",
    "originals/../../x",
    "originals//x",
    "originals/ab/",
    "Originals/x",
    ".tmp/x",
    "a/./b",
    "a/.hidden",
    "a\\b",
    "a b",
    "a\x00b",
    "a%2fb",
    "x" * 202,
    "照片/x",
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_validate_key_refuses(key):
    with pytest.raises(ValueError):
        validate_key(key)


@pytest.mark.parametrize("key", ["originals/ab/" + SHA, "display/ab/x.webp", "a", "x" * 201])
def test_validate_key_accepts(key):
    assert validate_key(key) == key


def test_key_for_builds_fanned_out_keys():
    assert key_for("originals", SHA) == f"originals/ab/{SHA}"
    assert key_for("display", SHA, "webp") == f"display/ab/{SHA}.webp"
    assert key_for("thumbs", SHA, ".webp") == f"thumbs/ab/{SHA}.webp"


@pytest.mark.parametrize(
    "args",
    [("originals", "AB" + "c" * 62), ("originals", "abc"), ("../x", SHA), ("display", SHA, "we/bp")],
)
def test_key_for_refuses_bad_parts(args):
    with pytest.raises(ValueError):
        key_for(*args)


@pytest.mark.parametrize("key", ["../escape", "originals//x", "/etc/passwd"])
async def test_every_store_method_refuses_bad_keys(store, key):
    with pytest.raises(ValueError):
        await store.put(key, b"x", content_type="text/plain")
    with pytest.raises(ValueError):
        await store.get(key)
    with pytest.raises(ValueError):
        await store.exists(key)
    with pytest.raises(ValueError):
        await store.delete(key)
    with pytest.raises(ValueError):
        store.url_for(key)
