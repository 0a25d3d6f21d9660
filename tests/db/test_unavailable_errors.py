"""Which driver errors mean "the database cannot be reached" (503
database_unavailable, the phone resends) rather than a bug (500)."""

import sqlite3

import asyncpg
import pytest

from server.db.engine import is_unavailable


def _chained(outer: Exception, inner: Exception) -> Exception:
    try:
        try:
            raise inner
        except Exception as exc:
            raise outer from exc
    except Exception as exc:
        return exc


@pytest.mark.parametrize("exc", [
    ConnectionRefusedError(111, "Connect call failed"),
    TimeoutError(),
    OSError("Multiple exceptions: [Errno 111] Connect call failed ('127.0.0.1', 5432)"),
    sqlite3.OperationalError("unable to open database file"),
    sqlite3.OperationalError("disk I/O error"),
    asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    _chained(RuntimeError("while saving"), ConnectionResetError()),
])
def test_unreachable(exc):
    assert is_unavailable(exc)


@pytest.mark.parametrize("exc", [
    sqlite3.OperationalError("no such table: visit"),
    sqlite3.IntegrityError("UNIQUE constraint failed"),
    asyncpg.exceptions.UndefinedTableError("relation does not exist"),
    ValueError("bad"),
    FileNotFoundError(2, "No such file or directory"),
    PermissionError(13, "Permission denied"),
    KeyError("x"),
])
def test_bugs_and_bad_queries_are_not(exc):
    assert not is_unavailable(exc)
