"""Who may see a photo, the short-lived links, and the evidence print."""

import hashlib
import uuid
from io import BytesIO

from PIL import Image

from tests.api.conftest import HEADERS
from tests.factories import visit_body
from tests.photos.conftest import encode, synthetic_photo


async def _visit_with_photo(api):
    await api.login("guard")
    visit, photo = str(uuid.uuid4()), str(uuid.uuid4())
    data = encode(synthetic_photo(9, (1200, 900)), "JPEG", quality=90)
    assert (await api.put_photo(photo, data, visit=visit, item="floor",
                                captured_at="2026-11-22T09:00:00+08:00")).status_code == 201
    body = visit_body(api.world, answers=[
        {"item": "floor", "value": "fail", "note": "纸屑", "photos": [photo]},
        {"item": "smell", "value": True}])
    assert (await api.put_visit(visit, body)).status_code == 201
    return photo, data


async def test_owner_and_site_supervisor_see_it_others_do_not(api):
    photo, data = await _visit_with_photo(api)
    links = (await api.client.get(f"/api/v1/photos/{photo}")).json()["photo"]
    thumb = await api.client.get(links["urls"]["thumb"])
    assert thumb.status_code == 200 and Image.open(BytesIO(thumb.content)).format == "WEBP"
    original = await api.client.get(links["urls"]["original"])
    assert hashlib.sha256(original.content).hexdigest() == hashlib.sha256(data).hexdigest()
    tampered = links["urls"]["original"].replace("sig=", "sig=0")
    assert (await api.client.get(tampered)).status_code == 404

    await api.login("cleaner")  # same site, field role, not the owner
    assert (await api.client.get(f"/api/v1/photos/{photo}")).status_code == 404
    await api.login("supervisor")
    assert (await api.client.get(f"/api/v1/photos/{photo}")).status_code == 200
    await api.login("outsider")
    assert (await api.client.get(f"/api/v1/photos/{photo}", headers=HEADERS)).status_code == 404


async def test_evidence_print_has_a_caption_band_and_leaves_the_original_alone(api):
    photo, data = await _visit_with_photo(api)
    await api.login("supervisor")
    response = await api.client.get(f"/photos/{photo}/evidence.jpg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    im = Image.open(BytesIO(response.content))
    assert im.width == 1200 and im.height > 900  # the whole photo (never upscaled), plus the band
    links = (await api.client.get(f"/api/v1/photos/{photo}")).json()["photo"]
    original = await api.client.get(links["urls"]["original"])
    assert original.content == data
