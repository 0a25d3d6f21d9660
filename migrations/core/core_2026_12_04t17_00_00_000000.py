"""Answers: on SQLite, store answer.value as text, exactly as encoded.

A column declared JSON has NUMERIC affinity on SQLite, so the JSON text of a
number answer ("0.35") was stored as a REAL and came back as a float, which
Piccolo's JSON decoding refuses (TypeError: the JSON object must be str ...):
every page showing a number answer failed. The table is rebuilt with the
column declared TEXT (TEXT affinity keeps the encoded text as given), and the
numbers already stored become their JSON text again: integers as they are,
reals in the fewest digits that give back the same double.
PostgreSQL's json type never had the problem: nothing to do there."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from server.db.answer_storage import store_answer_values_as_text

ID = "2026-12-04T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "answers: value stored as JSON text on SQLite"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        await store_answer_values_as_text(engine_finder())

    manager.add_raw(run)
    return manager
