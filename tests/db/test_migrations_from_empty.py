"""Migrations build the whole schema from an empty database, a second run is a
no-op, and the keys SQLite cannot express as constraints still hold."""

import sqlite3
import uuid
from datetime import UTC, datetime

import pytest

from server.db import engine as db
from server.db.migrate import migrate
from server.db.tables import ALL_TABLES, AuditLog, Membership, Site, User


async def test_every_table_exists_and_migrating_again_changes_nothing(engine):
    for table in ALL_TABLES:
        assert await table.table_exists().run(), table._meta.tablename
    await migrate()  # already applied: must not fail or duplicate anything
    assert await Site.count().run() == 0


async def _user_and_site():
    now = datetime.now(UTC)
    site = (await Site.insert(Site(code="s", name_zh="s", name_en="s", created_at=now)).run())[0]["id"]
    user = (await User.insert(User(username="u", password_hash="x", display_name="u", role="guard",
                                   created_at=now)).run())[0]["id"]
    return site, user


async def test_composite_unique_membership_holds_on_both_engines(engine):
    site, user = await _user_and_site()
    now = datetime.now(UTC)
    await Membership.insert(Membership(user=user, site=site, created_at=now)).run()
    with pytest.raises(Exception) as info:
        await Membership.insert(Membership(user=user, site=site, created_at=now)).run()
    assert db.is_unique_violation(info.value)


async def test_audit_log_is_append_only(engine):
    await AuditLog.insert(AuditLog(at=datetime.now(UTC), action="x", detail={})).run()
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.update({AuditLog.action: "y"}, force=True).run()
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.delete(force=True).run()
    assert await AuditLog.count().where(AuditLog.action == "x").run() == 1


async def test_sqlite_runs_in_wal_mode(tmp_path):
    path = tmp_path / f"{uuid.uuid4()}.sqlite3"
    async with db.connected(f"sqlite:///{path}"):
        await migrate()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
