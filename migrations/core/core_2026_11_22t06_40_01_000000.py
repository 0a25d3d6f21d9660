"""Supervision: composite unique keys of the new tables (raw CREATE UNIQUE INDEX,
which SQLite accepts, unlike Piccolo's composite Unique) and the indexes the
today board, the review queue and the visit detail read through."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T06:40:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "supervision: unique keys and read indexes"

UNIQUE = {
    "device_seen_user_device_uniq": ("device_seen", ("user", "device_id")),
    "review_visit_photo_uniq": ("review", ("visit", "photo_uuid")),
    "spot_check_inspector_day_visit_uniq": ("spot_check_assignment", ("inspector", "day", "original_visit")),
    "report_signoff_site_day_stage_uniq": ("report_signoff", ("site", "day", "stage")),
}

INDEXES = {
    # today board: the visits counted for the day's occurrences of a round
    "visit_round_occurrence_idx": ("visit", ("round", "occurrence")),
    # today board spot-check counts and the daily report: a site's visits of a day
    "visit_site_scanned_idx": ("visit", ("site", "scanned_at")),
    # review queue: recent photos, newest window first
    "photo_received_visit_idx": ("photo", ("received_at", "visit_uuid")),
    # double-scan flags, redo resolution, re-inspections: a user's visits at a place
    "visit_location_user_scanned_idx": ("visit", ("location", "user", "scanned_at")),
    # findings page and report: a site's findings by state
    "finding_site_status_idx": ("finding", ("site", "status")),
    "review_worker_open_idx": ("review", ("worker", "resolved_at")),
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
