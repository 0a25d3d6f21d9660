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


# Multi-index hashing: the hash is cut into four 16-bit quarters, stored in
# indexed columns. Two hashes at most NEAR_DUPLICATE_MAX bits apart differ, by
# pigeonhole, in at most NEAR_DUPLICATE_MAX // 4 bits in at least one quarter;
# so looking up, per quarter, every value within that radius finds every near
# copy, while reading only a small share of the rows.
QUARTERS = 4
QUARTER_RADIUS = NEAR_DUPLICATE_MAX // QUARTERS
_QUARTER_MASKS = [m for m in range(1 << 16) if m.bit_count() <= QUARTER_RADIUS]


def quarters(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit quarters of a 64-bit hash (signed or unsigned form)."""
    u = value & _MASK
    return tuple((u >> (16 * k)) & 0xFFFF for k in range(QUARTERS))  # type: ignore[return-value]


def quarter_neighbours(quarter: int) -> list[int]:
    """Every 16-bit value within QUARTER_RADIUS bits of `quarter` (137 for radius 2)."""
    return [quarter ^ m for m in _QUARTER_MASKS]


def to_signed64(value: int) -> int:
    value &= _MASK
    return value - (1 << 64) if value >= 1 << 63 else value


def phash_distance(a: int, b: int) -> int:
    """Hamming distance between two 64-bit hashes (signed or unsigned form)."""
    return ((a ^ b) & _MASK).bit_count()


def is_near_duplicate(a: int, b: int, max_distance: int = NEAR_DUPLICATE_MAX) -> bool:
    return phash_distance(a, b) <= max_distance
