"""Photos: fill the phash quarters of the photos stored before they existed
(the same cut as server/photos/hashing.quarters: arithmetic shift, then the
low 16 bits, which both SQLite and PostgreSQL compute alike on a signed
64-bit integer)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T12:00:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "photos: fill phash quarters"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(
            'UPDATE "photo" SET "phash_q0" = "phash" & 65535, "phash_q1" = ("phash" >> 16) & 65535, '
            '"phash_q2" = ("phash" >> 32) & 65535, "phash_q3" = ("phash" >> 48) & 65535 '
            'WHERE "phash" IS NOT NULL AND "phash_q0" IS NULL')

    manager.add_raw(run)
    return manager
