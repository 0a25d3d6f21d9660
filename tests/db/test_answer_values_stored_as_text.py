"""answer.value keeps the JSON text of every answer on both engines. On SQLite
the column used to be declared JSON (NUMERIC affinity): a number answer was
stored as a REAL/INTEGER and Piccolo's JSON decoding refused it (TypeError),
so every page showing it failed. The migration declares it TEXT and rewrites
the numbers stored before, giving back the same values."""

from __future__ import annotations

import pytest

from server.db import engine as db
from server.db import raw
from server.db.answer_storage import restore_numeric_affinity_for_tests, store_answer_values_as_text
from server.db.tables import Answer
from server.services.visits import ANSWER_COLUMNS, _json
from tests.factories import build_world
from tests.supervision_support import send_visit, user

VALUES = {"n1": 0.35, "n2": 0.30000000000000004, "n3": 12, "n4": -0.0001, "n5": 1e-7, "n6": 123456789012345678,
          "t1": "12", "t2": "true", "b1": True, "c1": "low", "p1": None}


async def _visit_with_answers() -> int:
    world = await build_world()
    result = await send_visit(world, await user(world, "guard"))
    rows = [(result["id"], item, "number", _json(value), False, "", "[]", 0) for item, value in VALUES.items()]
    await raw.insert_rows("answer", ANSWER_COLUMNS, rows)  # as the ingest writes them
    return result["id"]


async def _read(visit_id: int) -> dict:
    rows = await Answer.select(Answer.item_id, Answer.value).where(
        Answer.visit == visit_id).output(load_json=True).run()
    return {r["item_id"]: r["value"] for r in rows if r["item_id"] in VALUES}


async def test_values_read_back_as_written(engine):
    visit_id = await _visit_with_answers()
    values = await _read(visit_id)
    assert values == VALUES
    assert all(type(values[k]) is type(v) for k, v in VALUES.items())
    if db.is_sqlite(engine):
        kinds = await engine.run_ddl('SELECT DISTINCT typeof("value") AS t FROM "answer" WHERE "value" IS NOT NULL')
        assert {r["t"] for r in kinds} == {"text"}


async def test_rows_stored_before_the_fix_are_rewritten(engine):
    if not db.is_sqlite(engine):
        pytest.skip("PostgreSQL's json type always kept the text")
    await restore_numeric_affinity_for_tests(engine)
    visit_id = await _visit_with_answers()
    with pytest.raises(TypeError):  # what every page showing a number answer met
        await _read(visit_id)
    await store_answer_values_as_text(engine)
    assert await _read(visit_id) == VALUES
    # The rebuilt table kept its indexes: one answer per item of a visit.
    indexes = {r["name"] for r in await engine.run_ddl("SELECT name FROM sqlite_master WHERE tbl_name = 'answer'")}
    assert {"answer", "answer_visit", "answer_visit_item_uniq"} <= indexes
    await store_answer_values_as_text(engine)  # a second run changes nothing
    assert await _read(visit_id) == VALUES
