"""Console: a fix's UUID is unique where set (NULLs are distinct in both
engines' unique indexes), and the lookups the console reads through: spot
checks by original visit (a visit's flag, a worker's disagreements) and
reviews by photo (the review queue's older photos)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T11:00:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "console: unique fix uuid, spot-check lookup index"

UNIQUE = {"finding_event_client_uuid_uniq": ("finding_event", ("client_uuid",))}
INDEXES = {
    "spot_check_original_visit_idx": ("spot_check_assignment", ("original_visit",)),
    # review queue, older photos: is this photo reviewed (by the photo alone)
    "review_photo_idx": ("review", ("photo_uuid",)),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for name, (table, columns) in UNIQUE.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            await engine.run_ddl(f'CREATE UNIQUE INDEX IF NOT EXISTS {name} ON "{table}" ({cols})')
        for name, (table, columns) in INDEXES.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            await engine.run_ddl(f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" ({cols})')

    async def run_backwards():
        engine = engine_finder()
        for name in (*UNIQUE, *INDEXES):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
