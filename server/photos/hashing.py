"""Perceptual-hash comparison. Hashes are stored as signed 64-bit ints so they
fit a BIGINT column on SQLite and Postgres alike."""

from __future__ import annotations

_MASK = (1 << 64) - 1

# At most this many differing bits means "the same scene re-submitted".
# Measured on synthetic photos (tests/photos/test_duplicates.py): copies that
# were resized and re-encoded (JPEG q50, WebP, PNG) or cropped by 3% landed at
# 0-6 bits; 780 pairs of unrelated scenes were never closer than 20 (mean 31).
# Re-tune on real field photos.
NEAR_DUPLICATE_MAX = 8


def to_signed64(value: int) -> int:
    value &= _MASK
    return value - (1 << 64) if value >= 1 << 63 else value


def phash_distance(a: int, b: int) -> int:
    """Hamming distance between two 64-bit hashes (signed or unsigned form)."""
    return ((a ^ b) & _MASK).bit_count()


def is_near_duplicate(a: int, b: int, max_distance: int = NEAR_DUPLICATE_MAX) -> bool:
    return phash_distance(a, b) <= max_distance
