"""`rounds user passwd` signs the user out everywhere, like the console's reset."""

from server.db.tables import AuditLog, SessionRecord
from tests.api.conftest import HEADERS, api  # noqa: F401  (the phone's client fixture)
from tests.test_cli import run


async def test_user_passwd_ends_the_users_sessions(api, settings, tmp_path):  # noqa: F811
    await api.login("guard")
    phone = api.client.cookies["session"]
    await api.login("cleaner")
    others = api.client.cookies["session"]

    result = run(["user", "passwd", "guard", "--password", "n3w-password"], tmp_path,
                 DATABASE_URL=settings.database_url)
    assert result.returncode == 0, result.stderr

    ended = await api.client.get("/api/v1/pack", headers={**HEADERS, "Cookie": f"session={phone}"})
    assert ended.status_code == 401 and ended.json()["code"] == "not_authenticated"
    still = await api.client.get("/api/v1/session", headers={"Cookie": f"session={others}"})
    assert still.status_code == 200  # only that person's sessions end
    assert not await SessionRecord.exists().where(
        (SessionRecord.user_id == api.world.users["guard"]) & SessionRecord.revoked.eq(False)).run()
    audit = await AuditLog.select(AuditLog.detail).where(AuditLog.action == "user.passwd").output(
        load_json=True).first().run()
    assert audit["detail"] == {"sessions_ended": 1}
    # and the new password works
    fresh = await api.client.post("/api/v1/session", json={"username": "guard", "password": "n3w-password"},
                                  headers=HEADERS)
    assert fresh.status_code == 200
