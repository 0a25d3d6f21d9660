"""STORAGE_URL forms -> the right store; bad ones -> one-line ValueError naming STORAGE_URL."""

from __future__ import annotations

import pytest

from server.storage import LocalStore, S3Store, open_store

KEY = b"k" * 32


def test_plain_path_is_local(tmp_path):
    store = open_store(str(tmp_path / "blobs"), signing_key=KEY)
    assert isinstance(store, LocalStore) and store.root == (tmp_path / "blobs").resolve()


def test_file_url_is_local(tmp_path):
    store = open_store(f"file://{tmp_path}/my%20blobs", signing_key=KEY)
    assert isinstance(store, LocalStore) and store.root == (tmp_path / "my blobs").resolve()


def test_s3_url_with_options():
    store = open_store(
        "s3://rounds-photos/site-a/?endpoint=http://127.0.0.1:9000&region=eu-west-1"
        "&path_style=false&checksum=when_supported",
        signing_key=KEY, access_key="a", secret_key="b",
    )
    assert isinstance(store, S3Store)
    assert (store.bucket, store.prefix, store.region) == ("rounds-photos", "site-a/", "eu-west-1")
    cfg = store._client.meta.config
    assert cfg.s3["addressing_style"] == "auto"
    assert cfg.request_checksum_calculation == "when_supported"
    assert store._client.meta.endpoint_url == "http://127.0.0.1:9000"


def test_s3_public_endpoint():
    store = open_store(
        "s3://rounds-photos?endpoint=http://minio:9000&public_endpoint=https://files.example.org",
        signing_key=KEY, access_key="a", secret_key="b",
    )
    assert store.url_for("a/b").startswith("https://files.example.org/rounds-photos/a/b?")


def test_s3_defaults():
    store = open_store("s3://rounds-photos", signing_key=KEY, access_key="a", secret_key="b")
    cfg = store._client.meta.config
    assert store.prefix == "" and cfg.s3["addressing_style"] == "path"
    assert cfg.request_checksum_calculation == "when_required"
    assert cfg.response_checksum_validation == "when_required"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://host/x",
        "http://example.org/blobs",
        "file://otherhost/x",
        "file:relative",
        "s3://",
        "s3://B",
        "s3://bad_bucket",
        "s3://key:secret@bucket",
        "s3://rounds?endpoint=ftp://x",
        "s3://rounds?endpoint=",
        "s3://rounds?region=a&region=b",
        "s3://rounds?checksum=always",
        "s3://rounds?path_style=maybe",
        "s3://rounds?edpoint=http://x",
        "s3://rounds/../x",
        "s3://rounds?public_endpoint=files.example.org",
    ],
)
def test_bad_urls_are_one_line_errors(url):
    with pytest.raises(ValueError) as info:
        open_store(url, signing_key=KEY)
    message = str(info.value)
    assert message.startswith("STORAGE_URL") and "\n" not in message
