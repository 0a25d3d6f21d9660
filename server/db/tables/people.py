from piccolo.columns import (
    BigInt,
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.db.tables.sites import Site


class User(Table, tablename="app_user"):
    username = Varchar(length=64, unique=True)
    password_hash = Varchar(length=200)
    display_name = Varchar(length=100)
    role = Varchar(length=20)  # guard, cleaner, technician, team_lead, inspector, supervisor, manager, admin
    department = Varchar(length=32, default="")
    language = Varchar(length=8, default="zh-CN")
    active = Boolean(default=True)
    created_at = Timestamptz()


class Membership(Table, tablename="membership"):
    """Which sites a user may see and act on (unique per user+site)."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    site = ForeignKey(Site, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz()


class SessionRecord(Table, tablename="session_store"):
    """Server-side sessions, shared by every app process."""

    key = Varchar(length=200, unique=True)
    data = Bytea()
    expires_at = BigInt(null=True, default=None, index=True)  # unix seconds
    # Whose session it is (from the data), so an admin can end them all. A
    # revoked row stays until it expires as a tombstone: a request of that
    # session still in flight must not write it back to life.
    user_id = Integer(null=True, default=None, index=True)
    revoked = Boolean(default=False)


class LoginAttempt(Table, tablename="login_attempt"):
    username = Varchar(length=64, index=True)
    ip = Varchar(length=64, default="")
    ok = Boolean(default=False)
    at = Timestamptz(index=True)
