"""Photo pipeline: safe intake, upright metadata-free derivatives, hashes,
evidence prints. Framework-free and synchronous: run it in a worker thread."""

from server.photos.evidence import render_evidence
from server.photos.hashing import NEAR_DUPLICATE_MAX, phash_distance
from server.photos.intake import check_upload, sniff
from server.photos.pipeline import Processed, process

__all__ = [
    "NEAR_DUPLICATE_MAX",
    "Processed",
    "check_upload",
    "phash_distance",
    "process",
    "render_evidence",
    "sniff",
]
