"""Engine choice and per-engine behaviour, so the rest of the code never asks
"am I on SQLite?"."""

from __future__ import annotations

import contextlib
import errno
import socket
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import aiosqlite
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

from server.db import piccolo_conf
from server.db.tables import ALL_TABLES
from server.lib.database_url import parse_database_url

try:  # asyncpg is only needed on PostgreSQL
    from asyncpg.exceptions import UniqueViolationError
except ImportError:  # pragma: no cover
    UniqueViolationError = None  # type: ignore[assignment,misc]


# Run on every SQLite connection when it is opened (Piccolo itself re-runs
# foreign_keys before every query; on a reused connection once is enough).
SQLITE_CONNECTION_PRAGMAS = ("PRAGMA foreign_keys = 1",)


class _PooledTransaction(SQLiteTransaction):
    """Piccolo's SQLite transaction, on a connection borrowed from the engine's
    pool and handed back (not closed) at the end. A connection that failed
    half-way, or is still inside a transaction, is closed instead."""

    engine: PooledSQLiteEngine

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.engine.acquire()
        try:
            await self.begin()  # BEGIN IMMEDIATE may time out on the busy lock
        except BaseException as exc:
            await self.engine.release(self.connection, reusable=isinstance(exc, sqlite3.Error))
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        reusable = False
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
            reusable = True
        finally:
            self.engine.current_transaction.reset(self.context)
            await self.engine.release(self.connection, reusable=reusable)
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    """SQLiteEngine that keeps up to `pool_size` idle aiosqlite connections
    between queries instead of opening (a thread, the file, the schema) for
    every query. Pooling is on only between start() and stop(), so a script
    that never calls stop() leaves no connection threads behind; pool_size 0
    keeps Piccolo's connection-per-query behaviour.

    Each connection gets SQLITE_CONNECTION_PRAGMAS once when opened. Writers
    still use BEGIN IMMEDIATE (db.transaction()) and the busy timeout; each
    pooled connection is used by one task at a time, and autocommit statements
    see the latest committed data (WAL), so behaviour matches a fresh connection."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self._idle: list[aiosqlite.Connection] = []
        self._pool_size = 0

    def start_pool(self, pool_size: int) -> None:
        self._pool_size = max(0, pool_size)

    async def close_pool(self) -> None:
        self._pool_size = 0
        idle, self._idle = self._idle, []
        for connection in idle:
            with contextlib.suppress(Exception):
                await connection.close()

    async def get_connection(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in SQLITE_CONNECTION_PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def acquire(self) -> aiosqlite.Connection:
        if self._idle:
            return self._idle.pop()
        return await self.get_connection()

    async def release(self, connection: aiosqlite.Connection, *, reusable: bool = True) -> None:
        if reusable and len(self._idle) < self._pool_size:
            try:
                in_transaction = connection.in_transaction
            except Exception:  # closed underneath us
                in_transaction = True
            if not in_transaction:
                self._idle.append(connection)
                return
        if reusable:
            with contextlib.suppress(Exception):
                await connection.close()
        else:
            # It may still be running a statement (cancelled task): queue the
            # close behind it on the connection's thread instead of waiting.
            connection.stop()

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> SQLiteTransaction:
        return _PooledTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await self.acquire()
        reusable = False
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
            if connection.in_transaction:  # only with a non-default isolation_level
                await connection.commit()
            reusable = True
            return rows
        except sqlite3.Error:
            reusable = True  # the statement finished (and was undone) on its thread
            raise
        finally:
            await self.release(connection, reusable=reusable)

    async def _run_in_existing_connection(
        self, connection, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        # The connection came from acquire(): its PRAGMAs are already set.
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()


def build_engine(database_url: str) -> Engine:
    """Raises DatabaseUrlError for anything but sqlite:/// or postgres[ql]://,
    so a stray name never becomes a SQLite file in the working directory."""
    parsed = parse_database_url(database_url)
    if parsed.is_postgres:
        return PostgresEngine(config={"dsn": parsed.url}, log_queries=False)
    path = parsed.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # timeout is SQLite's busy timeout: writers wait for each other instead of failing.
    return PooledSQLiteEngine(path=str(path), timeout=30)


def bind(engine: Engine) -> Engine:
    """Make `engine` the one every table (and Piccolo's migration runner) uses."""
    piccolo_conf.DB = engine
    for table in (*ALL_TABLES, Migration):
        table._meta.db = engine
    return engine


def use_database(database_url: str) -> Engine:
    return bind(build_engine(database_url))


def current() -> Engine:
    return piccolo_conf.DB


def is_sqlite(engine: Engine | None = None) -> bool:
    return (engine or current()).engine_type == "sqlite"


async def start(engine: Engine | None = None, *, pool_size: int = 10) -> None:
    engine = engine or current()
    if is_sqlite(engine):
        # WAL lets readers proceed while one writer writes; it persists in the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL")
        if isinstance(engine, PooledSQLiteEngine):
            engine.start_pool(pool_size)
    elif pool_size > 0:
        await engine.start_connection_pool(min_size=1, max_size=pool_size)


async def stop(engine: Engine | None = None) -> None:
    engine = engine or current()
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_pool()
    elif not is_sqlite(engine) and getattr(engine, "pool", None) is not None:
        await engine.close_connection_pool()


def transaction(engine: Engine | None = None):
    """A write transaction. On SQLite it is IMMEDIATE: it takes the write lock up
    front, so two writers queue on the busy timeout instead of deadlocking."""
    engine = engine or current()
    if is_sqlite(engine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc):
        return True
    return UniqueViolationError is not None and isinstance(exc, UniqueViolationError)


@contextlib.asynccontextmanager
async def connected(database_url: str, *, pool_size: int = 0) -> AsyncIterator[Engine]:
    """For CLI commands and tests: bound and started, closed on exit."""
    engine = use_database(database_url)
    await start(engine, pool_size=pool_size)
    try:
        yield engine
    finally:
        await stop(engine)


_NETWORK_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EHOSTUNREACH,
                   errno.ENETUNREACH, errno.ETIMEDOUT, errno.EPIPE}


def _network_error(exc: BaseException) -> bool:
    # Not every OSError: a missing file elsewhere is a bug, not a database outage.
    if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror)):
        return True
    return type(exc) is OSError and (exc.errno in _NETWORK_ERRNOS or "connect call failed" in str(exc).lower())


def _driver_unavailable_types() -> tuple[type[BaseException], ...]:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover
        return ()
    return (asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
            asyncpg.exceptions.OperatorInterventionError, asyncpg.TooManyConnectionsError)


_SQLITE_UNAVAILABLE = ("unable to open database", "disk i/o error", "database is locked")


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc` (or what it was raised from) means the database cannot be
    reached or opened, rather than that a query was wrong."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, sqlite3.OperationalError):
            return any(text in str(exc).lower() for text in _SQLITE_UNAVAILABLE)
        if _network_error(exc) or isinstance(exc, _driver_unavailable_types()):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
