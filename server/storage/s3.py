"""Blobs in an S3-compatible bucket through boto3.

boto3 is synchronous, so every call runs in a worker thread (clients are
thread-safe). The checksum mode is a setting because botocore >= 1.36 sends
CRC trailers by default, which many non-AWS servers reject (stack notes C.1)."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import quote

import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from server.storage.base import BlobNotFound, StorageError, validate_key, validate_prefix

T = TypeVar("T")

_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
CHECKSUM_MODES = ("when_required", "when_supported")


class S3Store:
    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key: str | None = None,
        secret_key: str | None = None,
        path_style: bool = True,
        checksum_mode: str = "when_required",
        public_endpoint_url: str | None = None,
    ) -> None:
        if checksum_mode not in CHECKSUM_MODES:
            raise ValueError(f"checksum_mode must be one of {CHECKSUM_MODES}")
        prefix = prefix.strip("/")
        if prefix:
            validate_key(prefix)
        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""
        self.region = region
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if path_style else "auto"},
            request_checksum_calculation=checksum_mode,
            response_checksum_validation=checksum_mode,
            retries={"mode": "standard", "max_attempts": 3},
            connect_timeout=5,
            read_timeout=30,
        )
        # A private session: boto3's default session is not thread-safe to create clients from.
        session = boto3.session.Session(
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
        )
        self._client = session.client("s3", endpoint_url=endpoint_url, config=config)
        # Presigning is offline, but the host is part of the signature: when
        # browsers reach the bucket by another name than the server does, sign
        # with a second client pointed at the public name.
        self._presign_client = (
            session.client("s3", endpoint_url=public_endpoint_url, config=config)
            if public_endpoint_url
            else self._client
        )

    def _full(self, key: str) -> str:
        return self.prefix + validate_key(key)

    async def _call(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        return await self._run(functools.partial(fn, **kwargs), kwargs.get("Key", ""))

    async def _run(self, fn: Callable[[], T], key: str = "") -> T:
        """Run a blocking boto3 call in a thread and translate its failures."""
        try:
            return await anyio.to_thread.run_sync(fn)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _NOT_FOUND:
                raise BlobNotFound(key) from None
            raise StorageError(f"S3 {code or 'error'}: {exc}") from exc
        except BotoCoreError as exc:  # connection refused, timeouts, truncated bodies
            raise StorageError(f"S3 unavailable: {exc}") from exc

    async def ensure_bucket(self) -> None:
        """Create the bucket if it is missing (tests, `rounds` CLI set-up)."""
        try:
            await self._call(self._client.head_bucket, Bucket=self.bucket)
            return
        except BlobNotFound:
            pass
        kwargs: dict[str, Any] = {"Bucket": self.bucket}
        if self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        await self._call(self._client.create_bucket, **kwargs)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        # S3 PUTs are atomic; Content-MD5 makes the server reject a damaged body.
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        await self._call(
            self._client.put_object,
            Bucket=self.bucket,
            Key=self._full(key),
            Body=data,
            ContentType=content_type,
            ContentMD5=md5,
        )

    async def get(self, key: str) -> bytes:
        full = self._full(key)

        def read() -> bytes:
            # Read the body inside the thread too: it streams from the socket.
            return self._client.get_object(Bucket=self.bucket, Key=full)["Body"].read()

        return await self._run(read, key)

    async def exists(self, key: str) -> bool:
        try:
            await self._call(self._client.head_object, Bucket=self.bucket, Key=self._full(key))
        except BlobNotFound:
            return False
        return True

    async def modified_at(self, key: str) -> float:
        head = await self._call(self._client.head_object, Bucket=self.bucket, Key=self._full(key))
        return head["LastModified"].timestamp()

    async def delete(self, key: str) -> None:
        # DeleteObject on a missing key succeeds in S3: idempotent for free.
        await self._call(self._client.delete_object, Bucket=self.bucket, Key=self._full(key))

    def url_for(self, key: str, *, expires: int = 300, filename: str | None = None) -> str:
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self._full(key)}
        if filename:
            params["ResponseContentDisposition"] = content_disposition(filename)
        return self._presign_client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=int(expires)
        )

    async def iter_keys(self, prefix: str) -> AsyncIterator[str]:
        validate_prefix(prefix)
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix + prefix}
        cut = len(self.prefix)
        while True:
            page = await self._call(self._client.list_objects_v2, **kwargs)
            for item in page.get("Contents", []):
                yield item["Key"][cut:]
            if not page.get("IsTruncated"):
                return
            kwargs["ContinuationToken"] = page["NextContinuationToken"]

    async def close(self) -> None:
        self._client.close()
        if self._presign_client is not self._client:
            self._presign_client.close()


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266: an ASCII fallback plus the UTF-8 name (Chinese file names)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
