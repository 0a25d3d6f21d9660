"""Apply Piccolo migrations programmatically (used by `rounds migrate`, `make run`
and the test fixtures)."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


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
