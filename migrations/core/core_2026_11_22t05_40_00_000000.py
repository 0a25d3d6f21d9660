"""Composite unique keys and the append-only audit log.

Piccolo's composite Unique emits ALTER TABLE ... ADD CONSTRAINT, which SQLite
rejects, so these are plain CREATE UNIQUE INDEX statements that both engines
accept (stack notes B.3)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T05:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique keys, append-only audit log"

UNIQUE = {
    "membership_user_site_uniq": ("membership", ("user", "site")),
    "location_site_key_uniq": ("location", ("site", "key")),
    "template_site_key_uniq": ("template", ("site", "key")),
    "template_version_template_version_uniq": ("template_version", ("template", "version")),
    "round_site_key_uniq": ("round", ("site", "key")),
    "round_checkpoint_round_position_uniq": ("round_checkpoint", ("round", "position")),
    "answer_visit_item_uniq": ("answer", ("visit", "item_id")),
    "finding_visit_item_uniq": ("finding", ("visit", "item_id")),
}

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql""",
    """DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for name, (table, columns) in UNIQUE.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            await engine.run_ddl(f'CREATE UNIQUE INDEX IF NOT EXISTS {name} ON "{table}" ({cols})')
        triggers = SQLITE_TRIGGERS if engine.engine_type == "sqlite" else POSTGRES_TRIGGERS
        for sql in triggers:
            await engine.run_ddl(sql)

    async def run_backwards():
        engine = engine_finder()
        for name in UNIQUE:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")
        if engine.engine_type == "sqlite":
            await engine.run_ddl("DROP TRIGGER IF EXISTS audit_log_no_update")
            await engine.run_ddl("DROP TRIGGER IF EXISTS audit_log_no_delete")
        else:
            await engine.run_ddl("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
            await engine.run_ddl("DROP FUNCTION IF EXISTS audit_log_append_only()")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
