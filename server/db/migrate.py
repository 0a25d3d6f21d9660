"""Apply Piccolo migrations programmatically (used by `rounds migrate`, `make run`
and the test fixtures)."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


class MigrationFailed(RuntimeError):
    pass


async def migrate(*, quiet: bool = True) -> None:
    out = io.StringIO()
    redirect = contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext()
    with redirect:
        result = await run_forwards("all")
    if not result.success:
        raise MigrationFailed(result.message or out.getvalue()[-500:])
