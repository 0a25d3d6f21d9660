"""How answer.value is declared on SQLite (see the migration of 2026-12-04
"answers: value stored as JSON text on SQLite"). Kept here, not in the
migration file, so a test can put a database back in the old state and check
that rows stored then are rewritten."""

from __future__ import annotations

from typing import Any

_OLD = '"value" JSON DEFAULT null'
_NEW = '"value" TEXT DEFAULT null'
_COLUMNS = '"id", "visit", "item_id", "kind", "value", "failed", "note", "photos", "points"'


def _is_sqlite(engine: Any) -> bool:
    return getattr(engine, "engine_type", "") == "sqlite"


async def _declare(engine: Any, old: str, new: str, value_sql: str) -> None:
    rows = await engine.run_ddl(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'answer' AND sql IS NOT NULL")
    table = next(r["sql"] for r in rows if r["type"] == "table")
    if old not in table:
        return  # already declared so (a database made after this change)
    indexes = [r["sql"] for r in rows if r["type"] == "index"]
    # SQLite cannot change a column's type in place: copy into a new table.
    await engine.run_ddl(table.replace('"answer"', '"answer_retyped"', 1).replace(old, new, 1))
    select = _COLUMNS.replace('"value"', value_sql)
    await engine.run_ddl(f'INSERT INTO "answer_retyped" ({_COLUMNS}) SELECT {select} FROM "answer"')
    await engine.run_ddl('DROP TABLE "answer"')
    await engine.run_ddl('ALTER TABLE "answer_retyped" RENAME TO "answer"')
    for sql in indexes:
        await engine.run_ddl(sql)


async def store_answer_values_as_text(engine: Any) -> None:
    """Declare answer.value TEXT on SQLite and turn numbers stored as REAL or
    INTEGER back into their JSON text. A no-op on PostgreSQL."""
    if not _is_sqlite(engine):
        return
    # A real becomes the shortest of 15, 16 or 17 significant digits that reads
    # back as the same double (0.35 stays "0.35", not "0.34999999999999998").
    shortest = " ".join(
        f"""WHEN CAST(printf('%!.{d}g', "value") AS REAL) = "value" THEN printf('%!.{d}g', "value")"""
        for d in (15, 16))
    await _declare(engine, _OLD, _NEW, f"""CASE typeof("value")
        WHEN 'real' THEN CASE {shortest} ELSE printf('%!.17g', "value") END
        WHEN 'integer' THEN CAST("value" AS TEXT)
        ELSE "value" END""")


async def restore_numeric_affinity_for_tests(engine: Any) -> None:
    """The declaration before the fix (tests only: to store rows as they were)."""
    if _is_sqlite(engine):
        await _declare(engine, _NEW, _OLD, '"value"')
