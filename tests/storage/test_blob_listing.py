"""iter_keys lists what is stored, by prefix, for verify/repair tooling."""

from __future__ import annotations

import pytest

from server.storage import key_for

SHAS = ["ab" + "1" * 62, "ab" + "2" * 62, "cd" + "3" * 62]


async def _listed(store, prefix: str) -> list[str]:
    return sorted([key async for key in store.iter_keys(prefix)])


async def test_iter_keys_by_prefix(store):
    for sha in SHAS:
        await store.put(key_for("originals", sha), b"o", content_type="image/jpeg")
        await store.put(key_for("thumbs", sha, "webp"), b"t", content_type="image/webp")
    assert await _listed(store, "originals/") == [key_for("originals", s) for s in SHAS]
    assert await _listed(store, "originals/ab/") == [key_for("originals", s) for s in SHAS[:2]]
    assert await _listed(store, "thumbs/cd") == [key_for("thumbs", SHAS[2], "webp")]
    assert len(await _listed(store, "")) == 6
    assert await _listed(store, "display/") == []


async def test_iter_keys_refuses_bad_prefixes(store):
    with pytest.raises(ValueError):
        await _listed(store, "../")


async def test_s3_prefix_is_hidden_from_keys(moto_endpoint):
    from server.storage import S3Store

    store = S3Store(
        "rounds-prefix-test", prefix="tenant-a/", endpoint_url=moto_endpoint,
        access_key="testing", secret_key="testing",
    )
    await store.ensure_bucket()
    try:
        await store.put("originals/ab/x", b"1", content_type="image/jpeg")
        assert await _listed(store, "originals/") == ["originals/ab/x"]
        assert await store.get("originals/ab/x") == b"1"
        assert "/tenant-a/originals/ab/x" in store.url_for("originals/ab/x")
    finally:
        await store.close()
