"""An old photo submitted again for another record is flagged — exact copies by
sha256, near copies (resized, recompressed) by perceptual hash — whoever sends
it and on whatever day; incident and loose photos too. Copies inside one visit
or one incident, resends and unrelated photos are not flagged."""

import uuid
from datetime import timedelta

from server.db.tables import Photo
from server.services import photos as photo_service
from tests.photos.conftest import encode, synthetic_photo


async def _upload(api, data, *, visit=None, incident=None, expect=201):
    response = await api.put_photo(str(uuid.uuid4()), data, visit=visit, incident=incident)
    assert response.status_code == expect, response.text
    return response.json()["photo"]


async def _stored_flags(photo: dict) -> dict:
    row = await Photo.select(Photo.flags).where(Photo.client_uuid == uuid.UUID(photo["client_uuid"])).output(
        load_json=True).first().run()
    return row["flags"]


def _scene(seed=7):
    return synthetic_photo(seed, (1200, 900))


async def _days_ago(photo: dict, days: int) -> None:
    await Photo.update({Photo.received_at: Photo.received_at - timedelta(days=days)}).where(
        Photo.client_uuid == uuid.UUID(photo["client_uuid"])).run()


async def test_exact_and_near_copies_by_other_people_on_other_days_are_flagged(api):
    scene = _scene()
    await api.login("guard")
    first = await _upload(api, encode(scene, "JPEG", quality=92), visit=str(uuid.uuid4()))
    assert first["flags"] == {}
    await _days_ago(first, 3)

    await api.login("cleaner")  # another person, three days later
    exact = await _upload(api, encode(scene, "JPEG", quality=92), visit=str(uuid.uuid4()))
    stored = await _stored_flags(exact)  # what a supervisor of the site is shown
    assert [f["photo"] for f in stored["reused_exact"]] == [first["client_uuid"]]
    assert stored["reused_exact"][0]["visit"] == first["visit_uuid"]
    # the cleaner may not open the guard's photo: the reply flags it without its ids
    assert [(f["hidden"], f["photo"]) for f in exact["flags"]["reused_exact"]] == [(True, None)]

    await api.login("outsider")  # another site's guard, a recompressed, smaller copy
    near = await _upload(api, encode(scene.resize((800, 600)), "JPEG", quality=70), visit=str(uuid.uuid4()))
    assert "reused_exact" not in near["flags"]
    matched = {f["photo"]: f["distance"] for f in (await _stored_flags(near))["reused_near"]}
    assert first["client_uuid"] in matched and matched[first["client_uuid"]] <= 8

    await api.login("technician")
    for seed in (11, 12, 13):
        other = await _upload(api, encode(_scene(seed), "JPEG", quality=90), visit=str(uuid.uuid4()))
        assert other["flags"] == {}, seed
    assert await Photo.count().run() == 6


async def test_incident_and_loose_photos_are_flagged(api):
    await api.login("guard")
    data = encode(_scene(31), "JPEG", quality=90)
    incident = str(uuid.uuid4())
    first = await _upload(api, data, incident=incident)
    assert first["flags"] == {}
    # Two shots of one incident with the same bytes: one record, not a reuse.
    same_incident = await _upload(api, data, incident=incident)
    assert same_incident["flags"] == {}

    other_incident = await _upload(api, data, incident=str(uuid.uuid4()))
    assert {f["photo"] for f in other_incident["flags"]["reused_exact"]} == {
        first["client_uuid"], same_incident["client_uuid"]}
    assert other_incident["flags"]["reused_exact"][0]["incident"] == incident

    as_visit_photo = await _upload(api, data, visit=str(uuid.uuid4()))
    assert len(as_visit_photo["flags"]["reused_exact"]) == 3
    loose = await _upload(api, data)  # neither visit nor incident
    assert len(loose["flags"]["reused_exact"]) == 4

    near_incident = await _upload(api, encode(_scene(31).resize((900, 675)), "WEBP", quality=60),
                                  incident=str(uuid.uuid4()))
    assert len(near_incident["flags"]["reused_near"]) == 5  # all five earlier ones, listed up to 5


async def test_copies_within_one_visit_and_resends_are_not_reuse(api):
    await api.login("guard")
    data = encode(_scene(21), "JPEG")
    visit = str(uuid.uuid4())
    uid = str(uuid.uuid4())
    first = await api.put_photo(uid, data, visit=visit)
    again = await api.put_photo(uid, data, visit=visit)
    assert again.status_code == 200 and again.json()["photo"]["flags"] == {} == first.json()["photo"]["flags"]
    # the same shot attached to a second item of the same visit, days later (offline phone)
    await _days_ago(first.json()["photo"], 2)
    second_item = await _upload(api, data, visit=visit)
    assert second_item["flags"] == {}


async def test_the_filter_runs_before_the_candidate_limit(api, monkeypatch):
    # With room for one match, newer and closer copies in the sender's own
    # visit must not crowd out the older photo of another visit.
    monkeypatch.setattr(photo_service, "REUSE_LISTED", 1)
    scene = _scene(41)
    await api.login("guard")
    old = await _upload(api, encode(scene, "JPEG", quality=92), visit=str(uuid.uuid4()))
    await _days_ago(old, 1)
    visit = str(uuid.uuid4())
    for size in ((1100, 825), (1000, 750), (900, 675)):
        await _upload(api, encode(scene.resize(size), "JPEG", quality=85), visit=visit)
    latest = await _upload(api, encode(scene.resize((700, 525)), "JPEG", quality=80), visit=visit)
    assert [f["photo"] for f in latest["flags"]["reused_near"]] == [old["client_uuid"]]


async def test_near_copies_older_than_the_lookback_are_not_scanned_exact_ones_are(api):
    scene = _scene(51)
    await api.login("guard")
    old = await _upload(api, encode(scene, "JPEG", quality=92), visit=str(uuid.uuid4()))
    await _days_ago(old, photo_service.REUSE_LOOKBACK.days + 1)
    near = await _upload(api, encode(scene.resize((800, 600)), "JPEG", quality=70), visit=str(uuid.uuid4()))
    assert near["flags"] == {}
    exact = await _upload(api, encode(scene, "JPEG", quality=92), visit=str(uuid.uuid4()))
    assert [f["photo"] for f in exact["flags"]["reused_exact"]] == [old["client_uuid"]]
