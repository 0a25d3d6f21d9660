"""Apply Piccolo migrations programmatically (used by `rounds migrate`, `make run`
and the test fixtures), and list those not applied yet (readiness, `rounds serve`
and `rounds check`)."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder


class MigrationFailed(RuntimeError):
    pass


async def migrate(*, quiet: bool = True, up_to: str = "all") -> None:
    """Apply every pending migration, or with `up_to` (a migration ID such as
    "2026-12-01T11:00:00:000001") those up to and including it: upgrade tests
    build a database as an older release left it."""
    out = io.StringIO()
    redirect = contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext()
    with redirect:
        result = await (run_forwards("all") if up_to == "all" else run_forwards("core", migration_id=up_to))
    if not result.success:
        raise MigrationFailed(result.message or out.getvalue()[-500:])


async def pending_migrations() -> list[str]:
    """Migration ids in migrations/ that the database has not run, oldest first."""
    manager = BaseMigrationManager()
    ran: set[str] = set()
    if await Migration.table_exists().run():
        ran = {row["name"] for row in await Migration.select(Migration.name).run()}
    pending = []
    for app_config in Finder().get_app_configs():
        modules = manager.get_migration_modules(app_config.resolved_migrations_folder_path)
        pending += [mid for mid in manager.get_migration_ids(modules) if mid not in ran]
    return sorted(pending)
