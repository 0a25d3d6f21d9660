"""A copy of site A's photo sent from site B is still flagged, but what people
of site B are shown names nothing of site A (no photo, visit or incident id):
the phone's reply and its resend, the photo API, the visit page, the review
screen, the evidence caption. Someone who may see site A's photo (an admin of
both sites) gets the ids."""

import hashlib
import uuid
from datetime import UTC, datetime

from server.db.tables import Membership, Photo, User
from server.services.accounts import load_user
from server.services.photo_views import caption_lines
from server.services.photos import ingest_photo
from tests.factories import PASSWORD, visit_body
from tests.photos.conftest import encode, synthetic_photo
from tests.supervision_support import send_visit, user

API = {"X-Rounds-Client": "pwa"}


async def _member(world, name: str, role: str, sites: list[int]) -> None:
    from server.lib.passwords import hash_password

    now = datetime.now(UTC)
    uid = (await User.insert(User(username=name, password_hash=hash_password(PASSWORD), display_name=name,
                                  role=role, language="en", created_at=now)).run())[0]["id"]
    for site in sites:
        await Membership.insert(Membership(user=uid, site=site, created_at=now)).run()


async def _api_login(console, username: str) -> None:
    console.client.cookies.clear()
    r = await console.client.post("/api/v1/session", json={"username": username, "password": PASSWORD}, headers=API)
    assert r.status_code == 200, r.text


async def _put_photo(console, uid: str, data: bytes, visit: str):
    return await console.client.put(f"/api/v1/photos/{uid}", content=data, params={"visit": visit, "item": "floor"},
                                    headers={**API, "Content-Type": "image/jpeg",
                                             "X-Content-SHA256": hashlib.sha256(data).hexdigest()})


async def test_a_copy_from_another_site_is_flagged_without_its_ids(console):
    w = console.world
    scene = synthetic_photo(41, (1200, 900))
    shot = encode(scene, "JPEG", quality=92)
    # site A: the guard's failed toilet visit with its photo
    guard = await user(w, "guard")
    a_visit, a_photo = str(uuid.uuid4()), str(uuid.uuid4())
    await ingest_photo(guard, a_photo, shot, declared_sha256=hashlib.sha256(shot).hexdigest(),
                       store=console.client.app.state.store, max_bytes=5_000_000, max_pixels=50_000_000,
                       visit=a_visit, item_id="floor")
    await send_visit(w, guard, floor="fail", visit_uuid=a_visit, photos=[a_photo])
    secrets = (a_photo, a_visit)

    # site B: the outsider sends the same bytes for their own visit
    await _api_login(console, "outsider")
    b_visit, b_photo = str(uuid.uuid4()), str(uuid.uuid4())
    sent = await _put_photo(console, b_photo, shot, b_visit)
    again = await _put_photo(console, b_photo, shot, b_visit)
    body = visit_body(w, tag_code=w.tags["b_toilet"]["code"], template_version_id=w.versions["b_toilet"],
                      answers=[{"item": "floor", "value": "fail", "note": "litter", "photos": [b_photo]},
                               {"item": "smell", "value": True}])
    visit = await console.client.put(f"/api/v1/visits/{b_visit}", json=body, headers=API)
    assert visit.status_code == 201, visit.text
    links = await console.client.get(f"/api/v1/photos/{b_photo}")
    assert (sent.status_code, again.status_code, links.status_code) == (201, 200, 200)
    for reply in (sent.json()["photo"], again.json()["photo"], links.json()["photo"]):
        [ref] = reply["flags"]["reused_exact"]
        assert ref["hidden"] is True and ref["other_site"] is True
        assert ref["photo"] is ref["visit"] is ref["incident"] is None
    for response in (sent, again, links):
        assert not any(s in response.text for s in secrets), response.text
    # a smaller, recompressed copy: a near copy, hidden the same way
    near = await _put_photo(console, str(uuid.uuid4()), encode(scene.resize((800, 600)), "JPEG", quality=70),
                            b_visit)
    assert near.status_code == 201, near.text
    [ref] = [r for r in near.json()["photo"]["flags"]["reused_near"] if r["other_site"]]
    assert ref["hidden"] is True and ref["photo"] is None and "distance" in ref
    assert not any(s in near.text for s in secrets)

    # the stored flag keeps the ids, for those who may see them
    row = await Photo.select().where(Photo.client_uuid == uuid.UUID(b_photo)).output(load_json=True).first().run()
    assert row["flags"]["reused_exact"][0]["photo"] == a_photo

    # the evidence caption says "also used before" with a date only
    lines = "\n".join(await caption_lines(row, None))
    assert "also used before" in lines and not any(s in lines for s in secrets)

    # site B's supervisor: flagged on the visit page and the review screen, no site-A ids
    await _member(w, "supervisor_b", "supervisor", [w.site_b])
    await console.login("supervisor_b")
    page = await console.client.get(f"/console/visits/{visit.json()['visit']['id']}")
    review = await console.client.get(f"/console/review?site={w.site_b}")
    assert page.status_code == review.status_code == 200
    assert 'data-flag="photo_reused"' in page.text and b_photo in review.text and "⚠" in review.text
    for response in (page, review):
        assert not any(s in response.text for s in secrets)

    # an admin of both sites may see site A's photo: the visit page names it
    await _member(w, "admin_ab", "admin", [w.site_a, w.site_b])
    await console.login("admin_ab")
    page = await console.client.get(f"/console/visits/{visit.json()['visit']['id']}")
    assert page.status_code == 200 and a_photo in page.text
    admin = await load_user((await User.select(User.id).where(User.username == "admin_ab").first().run())["id"])
    from server.services.photo_views import flags_for

    [seen] = await flags_for(admin, [row["flags"]])
    assert seen["reused_exact"][0]["visit"] == a_visit
