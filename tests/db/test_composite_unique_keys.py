"""Every composite key the data model relies on is a real UNIQUE index in the
database, on SQLite as on PostgreSQL (SQLite cannot take Piccolo's composite
Unique constraints, so the migrations create them as indexes: stack notes
§B.3). Idempotent ingest and one-answer-per-item depend on these."""

import pytest

from server.db import engine as db

KEYS = [
    ("membership", ("user", "site")),
    ("location", ("site", "key")),
    ("template", ("site", "key")),
    ("template_version", ("template", "version")),
    ("round", ("site", "key")),
    ("round_checkpoint", ("round", "position")),
    ("answer", ("visit", "item_id")),
    ("finding", ("visit", "item_id")),
    ("device_seen", ("user", "device_id")),
    ("review", ("visit", "photo_uuid")),
    ("spot_check_assignment", ("inspector", "day", "original_visit")),
    ("report_signoff", ("site", "day", "stage")),
    # single-column keys the phone's UUIDs and the labels stand on
    ("visit", ("client_uuid",)),
    ("photo", ("client_uuid",)),
    ("incident", ("client_uuid",)),
    ("tag", ("code",)),
    ("tag", ("short_code",)),
]


async def _unique_indexes(table: str) -> set[tuple[str, ...]]:
    engine = db.current()
    if db.is_sqlite(engine):
        out = set()
        for index in await engine.run_ddl(f'PRAGMA index_list("{table}")'):
            if index["unique"]:
                cols = await engine.run_ddl(f'PRAGMA index_info("{index["name"]}")')
                out.add(tuple(c["name"] for c in sorted(cols, key=lambda c: c["seqno"])))
        return out
    rows = await engine.run_ddl(
        "SELECT array_agg(a.attname ORDER BY k.n) AS cols FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        f"WHERE t.relname = '{table}' AND i.indisunique GROUP BY i.indexrelid")
    return {tuple(r["cols"]) for r in rows}


@pytest.mark.parametrize("table,columns", KEYS, ids=[f"{t}:{'+'.join(c)}" for t, c in KEYS])
async def test_key_is_a_unique_index(engine, table, columns):
    assert columns in await _unique_indexes(table)
