"""The review queue page: one photo at a time with the count left; approve and
reject (with a reason) through htmx; a refusal is a 4xx and changes nothing;
every verdict is audited."""

import uuid

from server.db.tables import AuditLog, Review, Visit
from tests.factories import visit_body
from tests.supervision_support import photo, user


async def _visits_with_photos(console, n: int) -> list[tuple[int, str]]:
    from server.services.visits import ingest_visit
    from server.storage.local import LocalStore

    store = console.client.app.state.store
    assert isinstance(store, LocalStore)
    cleaner = await user(console.world, "cleaner")
    out = []
    for i in range(n):
        vid = str(uuid.uuid4())
        pid = await photo(cleaner, store, vid, "floor", colour=(40 * i, 120, 90))
        await ingest_visit(cleaner, vid, visit_body(console.world, kind="self_check", answers=[
            {"item": "floor", "value": "fail", "note": "litter", "photos": [pid]},
            {"item": "smell", "value": True}]), secret="x")
        row = await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(vid)).first().run()
        out.append((row["id"], pid))
    return out


async def test_review_one_at_a_time(console):
    items = await _visits_with_photos(console, 2)
    await console.login("supervisor")
    page = await console.client.get("/console/review")
    assert page.status_code == 200
    assert "2 left to review" in page.text and items[0][1] in page.text
    assert 'data-key="a"' in page.text and 'data-key="1"' in page.text

    hx = {"HX-Request": "true", "x-csrftoken": console.csrf()}
    site = console.world.site_a
    r = await console.client.post("/console/review", headers=hx, data={
        "site": site, "visit_id": items[0][0], "photo": items[0][1], "verdict": "approved"})
    assert r.status_code == 200 and "<html" not in r.text
    assert "1 left to review" in r.text and items[1][1] in r.text

    bad = await console.client.post("/console/review", headers=hx, data={
        "site": site, "visit_id": items[1][0], "photo": items[1][1], "reason_code": "nope"})
    assert bad.status_code == 422 and "validation_error" in bad.text
    assert await Review.count().run() == 1

    r = await console.client.post("/console/review", headers=hx, data={
        "site": site, "visit_id": items[1][0], "photo": items[1][1], "reason_code": "blurry", "note": "重拍"})
    assert r.status_code == 200 and "Nothing left to review" in r.text and "Saved. Rejected" in r.text
    verdicts = {(x["verdict"], x["reason_code"]) for x in await Review.select().run()}
    assert verdicts == {("approved", ""), ("rejected", "blurry")}
    actions = [a["action"] for a in await AuditLog.select(AuditLog.action).run()]
    assert actions.count("review.approved") == 1 and actions.count("review.rejected") == 1

    visit = await console.client.get(f"/console/visits/{items[1][0]}")
    assert visit.status_code == 200 and "Rejected" in visit.text and 'data-item="floor"' in visit.text


async def test_plain_form_post_redirects_back_to_the_queue(console):
    items = await _visits_with_photos(console, 1)
    await console.login("supervisor")
    r = await console.post("/console/review", {"site": console.world.site_a, "visit_id": items[0][0],
                                               "photo": items[0][1], "verdict": "approved"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/console/review")
