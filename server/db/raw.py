"""Hand-written SQL for the hot sync path (visit ingest, sessions), run on the
bound engine's own connections. Piccolo builds a query object per row and
converts every value in Python; for a batch of 25 visits with 250 answers that
cost more than the database work itself. Everything else keeps using Piccolo.

Inside `db.transaction()` these statements run on the transaction's connection
(so they commit or roll back with it); outside one they borrow a pooled
connection. Values go to the driver as Python objects: on SQLite, Piccolo's
global sqlite3 adapters store UUIDs and datetimes exactly as Piccolo does, and
the connection's declared-type converters read them back; JSON columns take a
pre-encoded string on both engines."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from server.db import engine as db

SQLITE_MAX_VARIABLES = 30000  # SQLite ≥ 3.32 allows 32,766 bound variables


@contextlib.asynccontextmanager
async def _connection() -> AsyncIterator[tuple[Any, bool]]:
    """(driver connection, is_sqlite)."""
    engine = db.current()
    sqlite = db.is_sqlite(engine)
    tx = engine.current_transaction.get()
    if tx is not None:
        yield tx.connection, sqlite
        return
    if sqlite:
        connection = await engine.acquire()
        reusable = False
        try:
            yield connection, True
            reusable = True
        finally:
            await engine.release(connection, reusable=reusable)
        return
    pool = getattr(engine, "pool", None)
    if pool is not None:
        async with pool.acquire() as connection:
            yield connection, False
        return
    connection = await engine.get_new_connection()
    try:
        yield connection, False
    finally:
        await connection.close()


def _placeholders(sqlite: bool, start: int, count: int) -> str:
    if sqlite:
        return ", ".join("?" * count)
    return ", ".join(f"${i}" for i in range(start, start + count))


class Params:
    """Collects a statement's arguments and writes the engine's placeholder for
    each: `p(value)` -> "?" or "$3"; `p.many(values)` -> "(?, ?, ?)"."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite
        self.args: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.args.append(value)
        return "?" if self.sqlite else f"${len(self.args)}"

    def many(self, values: Sequence[Any]) -> str:
        if not values:
            return "(NULL)"  # `x IN (NULL)` matches nothing
        return "(" + ", ".join(self(v) for v in values) + ")"


async def fetch(build: Callable[[Params], str]) -> list[dict]:
    """`build(p)` returns the SQL, placing its arguments through `p`; rows as dicts."""
    async with _connection() as (connection, sqlite):
        params = Params(sqlite)
        sql = build(params)
        if sqlite:
            async with connection.execute(sql, params.args) as cursor:
                return list(await cursor.fetchall())
        return [dict(r) for r in await connection.fetch(sql, *params.args)]


@functools.lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...], count: int, returning: tuple[str, ...], sqlite: bool) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    ret = f' RETURNING {", ".join(chr(34) + c + chr(34) for c in returning)}' if returning else ""
    width = len(columns)
    if sqlite:
        values = ", ".join(["(" + ", ".join("?" * width) + ")"] * count)
    else:
        values = ", ".join("(" + _placeholders(False, r * width + 1, width) + ")" for r in range(count))
    return f'INSERT INTO "{table}" ({cols}) VALUES {values}{ret}'


async def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                      returning: Sequence[str] = ()) -> list[dict]:
    """One multi-row INSERT per chunk (SQLite's variable limit). The order of
    `returning` rows is not guaranteed (SQLite says so): return a key with them."""
    if not rows:
        return []
    width = len(columns)
    out: list[dict] = []
    async with _connection() as (connection, sqlite):
        chunk = max(1, SQLITE_MAX_VARIABLES // width) if sqlite else 1000
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            sql = _insert_sql(table, tuple(columns), len(part), tuple(returning), sqlite)
            args = [v for row in part for v in row]
            if sqlite:
                async with connection.execute(sql, args) as cursor:
                    out.extend(await cursor.fetchall())
            elif returning:
                out.extend(dict(r) for r in await connection.fetch(sql, *args))
            else:
                await connection.execute(sql, *args)
    return out
