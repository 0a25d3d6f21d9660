"""The near-copy lookup reads candidates through the four indexed phash
quarters (multi-index hashing). It must find every stored photo within
NEAR_DUPLICATE_MAX bits — including the worst case for the method, the
differing bits spread evenly over the quarters — and nothing further; on
both engines, with negative (signed) hashes too."""

import itertools
import random
import uuid
from datetime import UTC, datetime

import pytest

from server.db.tables import Photo, User
from server.photos.hashing import NEAR_DUPLICATE_MAX, phash_distance, quarters, to_signed64
from server.services import photos as photo_service
from server.services.photos import _quarter_columns


@pytest.fixture
async def owner(engine) -> int:
    return (await User.insert(User(username="u", password_hash="x", display_name="u", role="guard",
                                   created_at=datetime.now(UTC))).run())[0]["id"]


def flip(value: int, bits) -> int:
    for b in bits:
        value ^= 1 << b
    return to_signed64(value)


def variants(probe: int, rng: random.Random) -> list[int]:
    out = [probe]
    for d in range(1, 13):  # d bits spread 2-2-2-2 (worst case), packed in one quarter, and at random
        spread = [16 * (i % 4) + rng.randrange(16) for i in range(d)]
        out.append(flip(probe, set(spread)) if len(set(spread)) == d else flip(probe, range(d)))
        out.append(flip(probe, range(16, 16 + d)))
        out.append(flip(probe, rng.sample(range(64), d)))
    out += [flip(probe, [16 * q + b for q in range(4) for b in (0, 1)])]  # exactly 2 per quarter: 8 bits
    out += [to_signed64(rng.getrandbits(64)) for _ in range(200)]
    out += [0, -1, -(1 << 63), (1 << 63) - 1]
    return out


@pytest.mark.parametrize("probe", [0, -1, 0x0123456789ABCDEF, to_signed64(0xFEDCBA9876543210), -(1 << 63)])
async def test_every_photo_within_the_limit_is_found_and_no_other(owner, monkeypatch, probe):
    rng = random.Random(probe & 0xFFFF)
    hashes = variants(probe, rng)
    rows = [Photo(client_uuid=uuid.uuid4(), user=owner, visit_uuid=uuid.uuid4(), sha256=f"{i:064x}",
                  size_bytes=1, storage_key=f"originals/00/{i:064x}", phash=h, **_quarter_columns(h),
                  received_at=datetime.now(UTC)) for i, h in enumerate(hashes)]
    ids = [r["id"] for r in await Photo.insert(*rows).returning(Photo.id).run()]
    monkeypatch.setattr(photo_service, "REUSE_LISTED", len(hashes))

    found = await photo_service._near_copies(uuid.uuid4(), "f" * 64, probe, uuid.uuid4(), None)
    expected = {i: phash_distance(h, probe) for i, h in zip(ids, hashes, strict=True)
                if phash_distance(h, probe) <= NEAR_DUPLICATE_MAX}
    assert {r["id"]: r["distance"] for r in found} == expected
    assert [r["distance"] for r in found] == sorted(expected.values())
    assert len(expected) >= 20  # the spread, packed and random variants up to 8 bits


def test_quarters_cut_the_unsigned_form():
    for h in (0, -1, -(1 << 63), 0x0123456789ABCDEF):
        q = quarters(h)
        assert sum(part << (16 * k) for k, part in enumerate(q)) == h & ((1 << 64) - 1)
    # pigeonhole: within the limit, some quarter differs by at most the radius
    for bits in itertools.combinations(range(0, 64, 7), NEAR_DUPLICATE_MAX):
        a, b = 0, flip(0, bits)
        assert min(phash_distance(x, y) for x, y in zip(quarters(a), quarters(b), strict=True)) <= 2
