"""An old photo submitted again for another visit is flagged — exact copies by
sha256, near copies (resized, recompressed) by perceptual hash."""

import uuid

from server.db.tables import Photo
from tests.photos.conftest import encode, synthetic_photo


async def _upload(api, data):
    visit = str(uuid.uuid4())
    response = await api.put_photo(str(uuid.uuid4()), data, visit=visit)
    assert response.status_code == 201, response.text
    return response.json()["photo"]


async def test_exact_and_near_copies_are_flagged_unrelated_photos_are_not(api):
    await api.login("guard")
    scene = synthetic_photo(7, (1200, 900))
    original = encode(scene, "JPEG", quality=92)
    first = await _upload(api, original)
    assert first["flags"] == {}

    exact = await _upload(api, original)
    assert [f["photo"] for f in exact["flags"]["reused_exact"]] == [first["client_uuid"]]

    near_copy = encode(scene.resize((800, 600)), "JPEG", quality=70)
    near = await _upload(api, near_copy)
    assert "reused_exact" not in near["flags"]
    assert first["client_uuid"] in {f["photo"] for f in near["flags"]["reused_near"]}

    for seed in (11, 12, 13):
        other = await _upload(api, encode(synthetic_photo(seed, (1200, 900)), "JPEG", quality=90))
        assert other["flags"] == {}, seed
    assert await Photo.count().run() == 6


async def test_resend_of_one_photo_is_not_a_reuse(api):
    await api.login("guard")
    data = encode(synthetic_photo(21), "JPEG")
    uid, visit = str(uuid.uuid4()), str(uuid.uuid4())
    first = await api.put_photo(uid, data, visit=visit)
    again = await api.put_photo(uid, data, visit=visit)
    assert again.status_code == 200 and again.json()["photo"]["flags"] == {} == first.json()["photo"]["flags"]
