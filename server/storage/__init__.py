"""Blob storage behind one interface: LocalStore (default) or S3Store (boto3)."""

from server.storage.base import BlobNotFound, BlobStore, StorageError, key_for, validate_key
from server.storage.factory import open_store
from server.storage.local import LocalStore
from server.storage.s3 import S3Store

__all__ = [
    "BlobNotFound",
    "BlobStore",
    "LocalStore",
    "S3Store",
    "StorageError",
    "key_for",
    "open_store",
    "validate_key",
]
