"""Cutting a running app off its database, for real, on either engine.

PostgreSQL: `cut()` points the running engine's connection settings at a
closed local port, so every new connection is refused by the operating system
(ECONNREFUSED), exactly as when the database host stops listening; the
server's own code path (connect, query, error mapping) is untouched. SQLite:
`cut()` moves the file aside and leaves a directory in its place, so opening
it fails ("unable to open database file"). Both undo with `restore()`. Tests
run with DATABASE_POOL_SIZE=0 (a connection per query), so every query after
the cut meets it."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
from collections.abc import Callable
from pathlib import Path

from server.db import engine as db
from server.lib.database_url import parse_database_url


def _closed_port() -> int:
    with socket.socket() as s:  # bound and closed again: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass
class Outage:
    cut: Callable[[], None]
    restore: Callable[[], None]


@contextlib.contextmanager
def database_outage(database_url: str):
    """Use inside the running app (after create_app bound its engine)."""
    if parse_database_url(database_url).is_postgres:
        saved: dict = {}

        def cut() -> None:
            engine = db.current()
            saved["config"] = dict(engine.config)
            engine.config = {"dsn": f"postgresql://postgres@127.0.0.1:{_closed_port()}/gone", "timeout": 5}

        def restore() -> None:
            if saved:
                db.current().config = saved.pop("config")

        try:
            yield Outage(cut, restore)
        finally:
            restore()
        return
    path = Path(parse_database_url(database_url).sqlite_path)
    aside = path.with_name(path.name + ".aside")
    moved: list[tuple[Path, Path]] = []

    def cut() -> None:
        for suffix in ("", "-wal", "-shm"):
            source = path.with_name(path.name + suffix)
            if source.exists():
                source.rename(aside.with_name(aside.name + suffix))
                moved.append((source, aside.with_name(aside.name + suffix)))
        path.mkdir()

    def restore() -> None:
        if path.is_dir():
            path.rmdir()
        while moved:
            source, target = moved.pop()
            target.rename(source)

    try:
        yield Outage(cut, restore)
    finally:
        restore()
