"""`rounds housekeeping`, `rounds backup`, `rounds restore`: argument parsing
and output only; the work is in server/services/housekeeping.py and
server/ops/backup.py."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path


def cmd_housekeeping(args: argparse.Namespace) -> int:
    from server.cli import _settings, _store, _with_db
    from server.services import housekeeping
    from server.services import sessions as session_service

    settings = _settings()
    store = _store(settings)

    async def run() -> int:
        try:
            sessions = await session_service.purge_sessions()
            attempts = await housekeeping.purge_login_attempts(settings.login_window_seconds)
            orphans = await housekeeping.orphan_blobs(store, grace_days=args.grace_days, apply=args.apply_blobs)
        finally:
            await store.close()
        print(f"sessions        {sessions.expired} expired purged, {sessions.revoked} revoked purged, "
              f"{sessions.tombstones_shortened} revoked cut to a short tombstone")
        print(f"login throttle  {attempts} old attempts purged")
        if args.apply_blobs:
            print(f"orphaned blobs  {orphans.deleted} deleted (older than {args.grace_days:g} days), "
                  f"{orphans.young} younger kept")
        else:
            for key in orphans.old:
                print(f"{'ORPHAN':<15} {key}")
            print(f"orphaned blobs  {len(orphans.old)} older than {args.grace_days:g} days would be deleted "
                  f"(dry run; --apply-blobs deletes), {orphans.young} younger kept")
        for where, error in orphans.errors:
            print(f"{'STORAGE ERROR':<15} {where}  {error}")
        return 3 if orphans.errors else 0

    return _with_db(settings, run)


def _embedded(settings):
    """(database file, photo folder) of the embedded default, or a one-line refusal."""
    from server.cli import _store
    from server.ops.backup import BackupError
    from server.storage.local import LocalStore

    store = _store(settings)
    if settings.is_postgres or not isinstance(store, LocalStore):
        raise BackupError("backup and restore cover the embedded default (SQLite and a local photo folder); "
                          "for PostgreSQL and S3 see docs/deploy.md")
    return Path("/" + str(settings.sqlite_path).lstrip("/")), store.root  # sqlite:////abs parses as //abs


def cmd_backup(args: argparse.Namespace) -> int:
    from server.cli import _settings
    from server.ops.backup import BackupError, backup

    settings = _settings()
    try:
        database, blobs = _embedded(settings)
        summary = backup(database, blobs, Path(args.out), secret_file=settings.var_dir / "secret_key")
    except (BackupError, OSError, sqlite3.Error) as exc:
        print(f"rounds: backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out}: {summary.line()}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from server.cli import _settings
    from server.ops.backup import BackupError, restore

    settings = _settings()
    try:
        database, blobs = _embedded(settings)
        summary = restore(Path(args.archive), database, blobs, secret_file=settings.var_dir / "secret_key",
                          force=args.force)
    except (BackupError, OSError, sqlite3.Error) as exc:
        print(f"rounds: restore refused: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {args.archive}: {summary.line()}. Run `rounds migrate` before serving.")
    return 0


def _grace(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not 0 <= days <= 3650:
        raise argparse.ArgumentTypeError("must be between 0 and 3650 days")
    return days


def register(sub: argparse._SubParsersAction) -> None:
    from server.services.housekeeping import DEFAULT_GRACE_DAYS

    p = sub.add_parser("housekeeping", help="purge dead sessions and old login attempts; find orphaned photo objects",
                       epilog="exit codes: 0 done, 2 configuration error, 3 the storage failed for some objects",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--apply-blobs", action="store_true",
                   help="delete the orphaned photo objects (default: only list them)")
    p.add_argument("--grace-days", type=_grace, default=DEFAULT_GRACE_DAYS,
                   help=f"spare orphans younger than this, uploads may still be in flight (default {DEFAULT_GRACE_DAYS})")
    p.set_defaults(fn=cmd_housekeeping)

    p = sub.add_parser("backup", help="archive the embedded database and photo folder (safe while serving)",
                       epilog="exit codes: 0 written, 1 failed (nothing written), 2 configuration error")
    p.add_argument("out", help="the archive to write (a tar file)")
    p.set_defaults(fn=cmd_backup)
    p = sub.add_parser("restore", help="restore a `rounds backup` archive into the embedded default",
                       epilog="every file is checked against the archive's sha256 manifest before anything "
                              "is changed. exit codes: 0 restored, 1 refused (nothing changed), 2 configuration error")
    p.add_argument("archive")
    p.add_argument("--force", action="store_true", help="replace a database that already holds data")
    p.set_defaults(fn=cmd_restore)


