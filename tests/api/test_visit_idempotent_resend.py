import uuid

from server.db.tables import Answer, AuditLog, Visit
from tests.factories import visit_body


async def test_resend_returns_the_stored_result_and_writes_nothing_new(api):
    await api.login("team_lead")
    uid = str(uuid.uuid4())
    body = visit_body(api.world, round_id=api.world.round_id)

    first = await api.put_visit(uid, body)
    assert first.status_code == 201, first.text
    again = await api.put_visit(uid, body)
    assert again.status_code == 200
    assert again.json() == first.json()

    assert await Visit.count().run() == 1
    assert await Answer.count().run() == 3
    assert await AuditLog.count().where(AuditLog.action == "visit.create").run() == 1
    stored = first.json()["visit"]
    assert stored["client_uuid"] == uid
    assert stored["round_id"] == api.world.round_id
    assert stored["occurrence"] is not None and stored["timing"] == "on_time"
    assert stored["points_earned"] == 3 and stored["failed_count"] == 0


async def test_resend_still_accepted_after_the_tag_is_revoked(api):
    """A phone that was offline when the label was revoked must not lose the visit it already sent."""
    from server.db.tables import Tag

    await api.login("guard")
    uid = str(uuid.uuid4())
    body = visit_body(api.world)
    assert (await api.put_visit(uid, body)).status_code == 201
    await Tag.update({Tag.revoked_at: Tag.issued_at}, force=True).run()
    assert (await api.put_visit(uid, body)).status_code == 200
