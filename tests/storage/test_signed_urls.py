"""url_for gives a time-limited link that serves the object; LocalStore links
are HMAC-signed and refuse tampering and expiry."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from server.storage import LocalStore, S3Store, key_for

SHA = "cd" + "1" * 62


async def test_url_for_serves_the_bytes(store, fetch):
    key = key_for("display", SHA, "webp")
    data = b"RIFF....WEBP" + bytes(range(200))
    await store.put(key, data, content_type="image/webp")
    body, _ = await fetch(store, store.url_for(key, expires=60))
    assert body == data


async def test_url_for_with_filename_offers_a_download(store, fetch):
    key = key_for("evidence", SHA, "jpg")
    await store.put(key, b"jpeg-bytes", content_type="image/jpeg")
    body, headers = await fetch(store, store.url_for(key, filename="巡检 evidence.jpg"))
    assert body == b"jpeg-bytes"
    if headers:  # S3 sets the header; the local web layer builds it from fn=
        assert "attachment" in headers["content-disposition"]
        assert "%E5%B7%A1%E6%A3%80" in headers["content-disposition"]


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_local_url_shape(local_store):
    url = local_store.url_for("display/ab/x.webp", expires=300, filename="a b.jpg")
    assert url.startswith("/blobs/display/ab/x.webp?")
    q = _query(url)
    assert int(q["exp"]) - time.time() == pytest.approx(300, abs=5)
    assert len(q["sig"]) == 64 and q["fn"] == "a b.jpg"


def test_local_signature_verifies(local_store):
    q = _query(local_store.url_for("display/ab/x.webp", filename="f.jpg"))
    assert local_store.verify_signed("display/ab/x.webp", q["exp"], q["sig"], "f.jpg")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda k, e, s, f: ("display/ab/y.webp", e, s, f),  # another key
        lambda k, e, s, f: (k, str(int(e) + 3600), s, f),  # extended expiry
        lambda k, e, s, f: (k, e, s[:-1] + ("0" if s[-1] != "0" else "1"), f),  # flipped sig
        lambda k, e, s, f: (k, e, s, "other.jpg"),  # another download name
        lambda k, e, s, f: (k, e, s, None),  # dropped download name
        lambda k, e, s, f: (k, "soon", s, f),  # junk expiry
        lambda k, e, s, f: (k, e, "é" * 64, f),  # non-ASCII signature
        lambda k, e, s, f: ("../display/ab/x.webp", e, s, f),  # bad key
    ],
)
def test_local_tampered_link_is_refused(local_store, tamper):
    q = _query(local_store.url_for("display/ab/x.webp", filename="f.jpg"))
    assert not local_store.verify_signed(*tamper("display/ab/x.webp", q["exp"], q["sig"], "f.jpg"))


def test_local_expired_link_is_refused(local_store):
    q = _query(local_store.url_for("display/ab/x.webp", expires=60))
    exp = int(q["exp"])
    assert local_store.verify_signed("display/ab/x.webp", exp, q["sig"], now=exp)
    assert not local_store.verify_signed("display/ab/x.webp", exp, q["sig"], now=exp + 1)


def test_local_links_from_another_secret_are_refused(local_store, tmp_path):
    other = LocalStore(tmp_path / "blobs", b"another-secret-entirely-000000000")
    q = _query(other.url_for("display/ab/x.webp"))
    assert not local_store.verify_signed("display/ab/x.webp", q["exp"], q["sig"])


def test_local_path_for_stays_under_root(local_store, tmp_path):
    assert local_store.path_for("a/b").is_relative_to(local_store.root)
    # a symlinked folder pointing outside the root must not be followed
    local_store.root.mkdir(parents=True, exist_ok=True)
    (local_store.root / "evil").symlink_to(tmp_path)
    with pytest.raises(ValueError):
        local_store.path_for("evil/secret")


def test_s3_links_can_name_a_public_endpoint():
    # The server may reach the bucket at an internal address while browsers use
    # a public one; the host is part of the signature, so sign for the public one.
    store = S3Store(
        "rounds-photos", endpoint_url="http://10.0.0.5:9000",
        public_endpoint_url="https://files.example.org", access_key="a", secret_key="b",
    )
    url = store.url_for("display/ab/x.webp", expires=120)
    assert url.startswith("https://files.example.org/rounds-photos/display/ab/x.webp?")
    assert "X-Amz-Expires=120" in url and "X-Amz-Signature=" in url
