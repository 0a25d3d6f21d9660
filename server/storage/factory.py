"""STORAGE_URL -> a BlobStore. The only place that knows the URL forms:

    var/blobs   or   file:///srv/rounds/blobs                       -> LocalStore
    s3://bucket/optional/prefix?endpoint=http://127.0.0.1:9000
        &region=us-east-1&path_style=true&checksum=when_required
        &public_endpoint=https://files.example.org                 -> S3Store

Credentials never ride in the URL (it ends up in logs); pass them separately."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from server.storage.base import BlobStore
from server.storage.local import LocalStore
from server.storage.s3 import CHECKSUM_MODES, S3Store

_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_S3_PARAMS = {"endpoint", "region", "path_style", "checksum", "public_endpoint"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _fail(message: str) -> ValueError:
    return ValueError(f"STORAGE_URL {message}")


def _http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _fail(f"{name}= must be an http(s):// address, got {value!r}")
    return value


def open_store(
    storage_url: str,
    *,
    signing_key: bytes,
    access_key: str | None = None,
    secret_key: str | None = None,
) -> BlobStore:
    raw = (storage_url or "").strip()
    if not raw:
        raise _fail("is empty")
    parts = urlsplit(raw)
    # "C:\\..." style paths parse with a one-letter scheme; treat them as paths.
    if parts.scheme == "" or len(parts.scheme) == 1:
        return LocalStore(Path(raw), signing_key)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise _fail(f"file:// needs an absolute path (file:///srv/blobs), got {raw!r}")
        if parts.query:
            raise _fail(f"file:// takes no query parameters, got {raw!r}")
        return LocalStore(Path(unquote(parts.path)), signing_key)
    if parts.scheme == "s3":
        return _s3(raw, parts, access_key, secret_key)
    raise _fail(f"must be a folder, file:///path or s3://bucket, got {raw!r}")


def _s3(raw: str, parts, access_key: str | None, secret_key: str | None) -> S3Store:
    if "@" in parts.netloc:
        raise _fail("must not contain credentials; use S3_ACCESS_KEY / S3_SECRET_KEY")
    bucket = parts.netloc
    if not _BUCKET_RE.fullmatch(bucket) or ".." in bucket:
        raise _fail(f"has an invalid S3 bucket name {bucket!r}")
    prefix = unquote(parts.path).strip("/")
    try:
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise _fail(f"has a malformed query string: {raw!r}") from None
    unknown = sorted(set(query) - _S3_PARAMS)
    if unknown:
        raise _fail(f"has unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_S3_PARAMS))}")
    for name, values in query.items():
        if len(values) != 1 or values[0] == "":
            raise _fail(f"parameter {name}= must be given once with a value")
    q = {name: values[0] for name, values in query.items()}

    path_style_raw = q.get("path_style", "true").lower()
    if path_style_raw not in _TRUE | _FALSE:
        raise _fail(f"path_style= must be true or false, got {q['path_style']!r}")
    checksum = q.get("checksum", "when_required")
    if checksum not in CHECKSUM_MODES:
        raise _fail(f"checksum= must be one of {', '.join(CHECKSUM_MODES)}, got {checksum!r}")
    endpoint = _http_url("endpoint", q["endpoint"]) if "endpoint" in q else None
    public = _http_url("public_endpoint", q["public_endpoint"]) if "public_endpoint" in q else None
    try:
        return S3Store(
            bucket,
            prefix=prefix,
            endpoint_url=endpoint,
            region=q.get("region", "us-east-1"),
            access_key=access_key,
            secret_key=secret_key,
            path_style=path_style_raw in _TRUE,
            checksum_mode=checksum,
            public_endpoint_url=public,
        )
    except ValueError as exc:  # e.g. a prefix that is not a valid key
        raise _fail(f"is not usable: {exc}") from None
