"""Published checklist versions are immutable: database triggers refuse UPDATE
and DELETE on template_version, the way audit_log is protected
(core_2026_11_22t05_40_00_000000). Visits point at the version they used, so
a changed or vanished version would silently rewrite history."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T10:00:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "immutable template_version"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS template_version_no_update BEFORE UPDATE ON template_version
       BEGIN SELECT RAISE(ABORT, 'template_version is immutable'); END""",
    """CREATE TRIGGER IF NOT EXISTS template_version_no_delete BEFORE DELETE ON template_version
       BEGIN SELECT RAISE(ABORT, 'template_version is immutable'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION template_version_immutable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'template_version is immutable'; END $$ LANGUAGE plpgsql""",
    """DROP TRIGGER IF EXISTS template_version_no_change ON template_version""",
    """CREATE TRIGGER template_version_no_change BEFORE UPDATE OR DELETE ON template_version
       FOR EACH ROW EXECUTE FUNCTION template_version_immutable()""",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for sql in SQLITE_TRIGGERS if engine.engine_type == "sqlite" else POSTGRES_TRIGGERS:
            await engine.run_ddl(sql)

    async def run_backwards():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            await engine.run_ddl("DROP TRIGGER IF EXISTS template_version_no_update")
            await engine.run_ddl("DROP TRIGGER IF EXISTS template_version_no_delete")
        else:
            await engine.run_ddl("DROP TRIGGER IF EXISTS template_version_no_change ON template_version")
            await engine.run_ddl("DROP FUNCTION IF EXISTS template_version_immutable()")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
