"""An admin manages only people who share one of the admin's sites (or have no
site yet); a password reset or a deactivation ends that person's sessions on
every device at once; the last active admin still cannot be locked out."""

import pytest

from server.db.tables import Membership, SessionRecord, User
from server.domain.errors import RoundsError
from server.security.session_store import DatabaseStore
from server.services import accounts, sessions, setup_people
from tests.factories import PASSWORD

API = {"X-Rounds-Client": "pwa"}


async def _api_session(console, username: str, password: str = PASSWORD) -> str:
    """Log in like the phone app; return the session cookie."""
    console.client.cookies.clear()
    response = await console.client.post("/api/v1/session", json={"username": username, "password": password},
                                         headers=API)
    assert response.status_code == 200, response.text
    return console.client.cookies.get("session")


async def _me(console, cookie: str) -> int:
    console.client.cookies.clear()
    console.client.cookies.set("session", cookie)
    return (await console.client.get("/api/v1/session", headers=API)).status_code


async def test_people_of_other_sites_are_neither_listed_nor_editable(console):
    await console.login("admin")
    w = console.world
    listing = await console.client.get("/console/setup/people")
    assert listing.status_code == 200 and "outsider" not in listing.text and ">guard<" in listing.text
    for url, data in ((f"/console/setup/people/{w.outsider}/password", {"password": "taken-over-1"}),
                      (f"/console/setup/people/{w.outsider}/active", {"active": "0"}),
                      (f"/console/setup/people/{w.outsider}", {"role": "admin", "display_name": "x"})):
        response = await console.post(url, data)
        # answered like an id that does not exist, so ids cannot be probed
        assert response.status_code == 404 and "not_found" in response.text, url
    assert (await console.client.get(f"/console/setup/people/{w.outsider}")).status_code == 404
    row = await User.select().where(User.id == w.outsider).first().run()
    assert row["active"] and row["role"] == "guard"
    assert (await accounts.authenticate("outsider", PASSWORD, ip="t", max_attempts=9, window_seconds=60)).id == w.outsider


async def test_a_person_without_a_site_can_be_taken_on(console):
    await console.login("admin")
    w = console.world
    await Membership.delete().where(Membership.user == w.outsider).run()
    page = await console.client.get(f"/console/setup/people/{w.outsider}")
    assert page.status_code == 200
    moved = await console.post(f"/console/setup/people/{w.outsider}", {
        "display_name": "新保安", "role": "guard", "language": "zh-CN", "sites": [str(w.site_a)]},
        follow_redirects=False)
    assert moved.status_code == 303
    assert await Membership.exists().where((Membership.user == w.outsider) & (Membership.site == w.site_a)).run()


async def test_reset_password_and_deactivate_end_existing_sessions(console):
    w = console.world
    phone = await _api_session(console, "guard")
    tablet = await _api_session(console, "guard")
    assert await _me(console, phone) == 200 and await _me(console, tablet) == 200
    await console.login("admin")
    reset = await console.post(f"/console/setup/people/{w.users['guard']}/password", {"password": "brand-new-pw-1"},
                               follow_redirects=False)
    assert reset.status_code == 303
    assert await _me(console, phone) == 401 and await _me(console, tablet) == 401
    fresh = await _api_session(console, "guard", "brand-new-pw-1")
    assert await _me(console, fresh) == 200
    # a revoked session cannot be written back by a request that was still running
    store = DatabaseStore()
    await sessions.end_sessions(w.users["guard"])
    await store.set(fresh, b'{"uid": %d}' % w.users["guard"], expires_in=60)
    assert await store.get(fresh) is None
    await store.delete(fresh)  # a logout of a revoked session leaves the tombstone
    await store.set(fresh, b'{"uid": %d}' % w.users["guard"], expires_in=60)
    assert await store.get(fresh) is None

    lead = await _api_session(console, "team_lead")
    await console.login("admin")
    off = await console.post(f"/console/setup/people/{w.users['team_lead']}/active", {"active": "0"},
                             follow_redirects=False)
    assert off.status_code == 303
    await console.login("admin")
    on = await console.post(f"/console/setup/people/{w.users['team_lead']}/active", {"active": "1"},
                            follow_redirects=False)
    assert on.status_code == 303
    # reactivated, but the session from before the deactivation stays ended
    assert await _me(console, lead) == 401
    assert await SessionRecord.exists().where(
        (SessionRecord.user_id == w.users["team_lead"]) & SessionRecord.revoked.eq(True)).run()


async def test_sessions_from_before_the_user_id_column_are_ended_too(console):
    w = console.world
    await SessionRecord.insert(SessionRecord(key="legacy-1", data=b'{"uid": %d}' % w.users["cleaner"],
                                             expires_at=None, user_id=None)).run()
    await SessionRecord.insert(SessionRecord(key="legacy-2", data=b'{"uid": %d}' % w.users["guard"],
                                             expires_at=None, user_id=None)).run()
    assert await sessions.end_sessions(w.users["cleaner"]) == 1
    rows = {r["key"]: r for r in await SessionRecord.select().run()}
    assert rows["legacy-1"]["revoked"] and not rows["legacy-2"]["revoked"]


async def test_the_last_admin_rule_still_holds_across_sites(console):
    w = console.world
    admin = await accounts.load_user(w.users["admin"])
    # another active admin exists, but only at site B: admin A may not touch them ...
    other = await accounts.add_user("admin_b", "long-enough-1", role="admin", site_codes=["beta"])
    with pytest.raises(RoundsError) as exc:
        await setup_people.set_active(other, False, actor=admin)
    assert exc.value.code == "not_found"
    # ... and the installation keeps an active admin when A steps down
    await setup_people.set_active(admin.id, False, actor=admin)
    b_admin = await accounts.load_user(other)
    with pytest.raises(RoundsError) as exc:
        await setup_people.set_active(other, False, actor=b_admin)
    assert exc.value.code == "last_admin"
    with pytest.raises(RoundsError) as exc:
        await setup_people.update(other, {"role": "manager", "display_name": "B"}, [w.site_b], actor=b_admin)
    assert exc.value.code == "last_admin"
    assert (await User.select(User.active, User.role).where(User.id == other).first().run()) == {
        "active": True, "role": "admin"}
