"""Exact duplicates share a sha256; a resized / re-encoded copy is within
NEAR_DUPLICATE_MAX by pHash; unrelated photos are not."""

from __future__ import annotations

import itertools

import pytest

from server.photos import NEAR_DUPLICATE_MAX, phash_distance, process
from server.photos.hashing import to_signed64

SIZE = (800, 600)


@pytest.fixture(scope="module")
def scene(helpers):
    return helpers.synthetic_photo(11, SIZE)


@pytest.fixture(scope="module")
def scene_result(helpers, scene):
    return process(helpers.encode(scene, "JPEG", quality=90))


def test_exact_duplicate_has_equal_sha256_and_phash(helpers, scene):
    data = helpers.encode(scene, "JPEG", quality=90)
    a, b = process(data), process(bytes(data))
    assert a.sha256 == b.sha256 and a.phash == b.phash


def test_one_byte_changes_the_sha256(helpers, scene):
    data = bytearray(helpers.encode(scene, "JPEG", quality=90))
    original = process(bytes(data))
    data[-3] ^= 1  # inside the entropy-coded data, still decodable
    assert process(bytes(data)).sha256 != original.sha256


@pytest.mark.parametrize(
    ("scale", "pil_format", "options"),
    [
        (0.5, "JPEG", {"quality": 50}),
        (0.5, "WEBP", {"quality": 60}),
        (1.5, "JPEG", {"quality": 70}),
        (1.0, "PNG", {}),
        (0.25, "JPEG", {"quality": 40}),
    ],
)
def test_resized_recompressed_copy_is_near(helpers, scene, scene_result, scale, pil_format, options):
    copy = scene.resize((int(SIZE[0] * scale), int(SIZE[1] * scale)))
    result = process(helpers.encode(copy, pil_format, **options))
    assert result.sha256 != scene_result.sha256
    assert phash_distance(scene_result.phash, result.phash) <= NEAR_DUPLICATE_MAX


def test_slightly_cropped_copy_is_near(helpers, scene, scene_result):
    crop = scene.crop((12, 9, SIZE[0] - 12, SIZE[1] - 9))  # ~3% off the edges
    result = process(helpers.encode(crop, "JPEG", quality=75))
    assert phash_distance(scene_result.phash, result.phash) <= NEAR_DUPLICATE_MAX


def test_unrelated_photos_are_not_near(helpers):
    hashes = [
        process(helpers.encode(helpers.synthetic_photo(seed, (480, 360)), "JPEG", quality=85)).phash
        for seed in range(200, 216)
    ]
    distances = [phash_distance(a, b) for a, b in itertools.combinations(hashes, 2)]
    assert min(distances) > NEAR_DUPLICATE_MAX
    assert sum(distances) / len(distances) > 24  # ~32 expected for independent hashes


def test_hash_fits_a_signed_bigint_and_distance_ignores_sign():
    assert to_signed64(2**64 - 1) == -1
    assert to_signed64(2**63) == -(2**63)
    assert to_signed64(2**63 - 1) == 2**63 - 1
    assert phash_distance(-1, 0) == 64
    assert phash_distance(-1, 2**64 - 1) == 0
    assert phash_distance(0b1011, 0b0001) == 2
    assert phash_distance(5, 5) == 0
