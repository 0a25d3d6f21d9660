"""The database goes away under a running app (see tests/database_faults.py
for how, on each engine): requests are answered 503 `database_unavailable`
with a log line (no traceback, no 500), nothing is half-written, and the
phone's resend succeeds once the database is back."""

import uuid

from server.db.tables import Answer, Visit
from tests.database_faults import database_outage
from tests.factories import visit_body


async def test_visit_during_an_outage_is_refused_and_resent_later(api, database_url, capsys):
    await api.login("team_lead")
    uid, body = str(uuid.uuid4()), visit_body(api.world, round_id=api.world.round_id)
    capsys.readouterr()
    with database_outage(database_url) as outage:
        outage.cut()
        refused = await api.put_visit(uid, body)
        page = await api.client.get("/console", headers={"Accept-Language": "en"})
        outage.restore()
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "database_unavailable"
        assert refused.json()["request_id"] == refused.headers["x-request-id"]
        assert page.status_code == 503 and "database_unavailable" in page.text

        err = capsys.readouterr().err
        logged = [line for line in err.splitlines() if "event='database unavailable'" in line]
        assert any(f"request_id='{refused.headers['x-request-id']}'" in line for line in logged), err
        assert "Traceback" not in err

        assert await Visit.count().run() == 0 and await Answer.count().run() == 0
        again = await api.put_visit(uid, body)
    assert again.status_code == 201, again.text
    assert await Visit.count().run() == 1
