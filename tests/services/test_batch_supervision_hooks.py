"""A batch of visits from a phone sets off the same supervision records as the
same visits sent one by one: the visit at the place of an open redo task
resolves it, a re-inspector's passing visit at a rectified place closes the
finding, and visits elsewhere in the batch touch neither (the batch asks once
which of its places concern anyone: supervision_hooks.concerned_locations)."""

from __future__ import annotations

import uuid

from server.db.tables import Finding, FindingEvent, Review, Visit
from server.services import review, visits
from tests.factories import visit_body
from tests.supervision_support import SECRET, rectifying_finding, send_visit, user


async def test_a_batch_resolves_redos_and_reinspects_where_it_should(world, tmp_path):
    from server.storage.local import LocalStore
    from tests.supervision_support import photo

    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    cleaner, lead = await user(world, "cleaner"), await user(world, "team_lead")
    # an open rectification at the toilet, owned by the cleaner
    fid = await rectifying_finding(world)
    # an open redo task for the cleaner at the toilet
    vid = str(uuid.uuid4())
    pid = await photo(cleaner, store, vid, "floor")
    await send_visit(world, cleaner, floor="fail", kind="self_check", photos=[pid], visit_uuid=vid)
    old = (await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(vid)).first().run())["id"]
    await review.decide(await user(world, "supervisor"), old, pid, "rejected", "blurry", "")

    pump = visit_body(world, kind="self_check", tag_code=world.tags["a_pump"]["code"],
                      template_version_id=world.versions["a_pump"],
                      answers=[{"item": "pressure", "value": 0.5}, {"item": "leaks", "value": "pass"}])
    toilet = visit_body(world, kind="self_check")
    cleaner_batch = [(str(uuid.uuid4()), pump), (toilet_uuid := str(uuid.uuid4()), toilet)]
    outcomes = await visits.ingest_visits(cleaner, cleaner_batch, secret=SECRET)
    assert [o.status for o in outcomes] == [201, 201]

    redo = await Review.select().where(Review.verdict == "rejected").first().run()
    resolved_by = (await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(toilet_uuid)).first().run())
    assert redo["resolved_by"] == resolved_by["id"]  # by the toilet visit, not the pump one
    # the owner's own visit decides nothing about the rectification
    assert (await Finding.select(Finding.status).where(Finding.id == fid).first().run())["status"] == "rectifying"

    lead_batch = [(str(uuid.uuid4()), pump), (str(uuid.uuid4()), visit_body(world, kind="patrol"))]
    assert [o.status for o in await visits.ingest_visits(lead, lead_batch, secret=SECRET)] == [201, 201]
    assert (await Finding.select(Finding.status).where(Finding.id == fid).first().run())["status"] == "closed"
    kinds = [e["kind"] for e in await FindingEvent.select(FindingEvent.kind).where(
        FindingEvent.finding == fid).order_by(FindingEvent.id).run()]
    # the redo's failed visit and the cleaner's batch visit were field checks; the lead's closed it
    assert kinds[0] == "rectification" and kinds[-1] == "reinspection"
    assert set(kinds[1:-1]) == {"field_check"}
