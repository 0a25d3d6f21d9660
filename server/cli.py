"""The `rounds` command: serve, migrate, demo, user add/passwd/list, check."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import sys
from collections.abc import Awaitable, Callable

from server.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        print(f"rounds: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _store(settings: Settings):
    from server.storage.factory import open_store

    try:
        return open_store(settings.storage_url, signing_key=settings.secret_key.encode(),
                          access_key=settings.s3_access_key, secret_key=settings.s3_secret_key)
    except ValueError as exc:
        print(f"rounds: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


class DatabaseUnreachable(Exception):
    """The database named by DATABASE_URL cannot be opened or reached."""


def _connection_errors() -> tuple[type[BaseException], ...]:
    import sqlite3

    errors: list[type[BaseException]] = [OSError, sqlite3.OperationalError]
    try:
        import asyncpg

        errors.append(asyncpg.PostgresConnectionError)
        errors.append(asyncpg.InvalidCatalogNameError)
        errors.append(asyncpg.InvalidAuthorizationSpecificationError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def _unreachable(settings: Settings, exc: BaseException) -> DatabaseUnreachable:
    from server.settings import masked_url

    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DatabaseUnreachable(f"cannot open the database {masked_url(settings.database_url)}: {reason}")


def _with_db(settings: Settings, fn: Callable[[], Awaitable[int | None]]) -> int:
    from server.db.engine import connected, current

    async def main() -> int | None:
        async with contextlib.AsyncExitStack() as stack:
            try:
                await stack.enter_async_context(connected(settings.database_url))
                # Reach the database first, so a refusal is told apart from a failing command.
                await current().run_ddl("SELECT 1")
            except _connection_errors() as exc:
                raise _unreachable(settings, exc) from None
            return await fn()

    return asyncio.run(main()) or 0


async def _nothing() -> None:
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.db.migrate import pending_migrations
    from server.logs import configure_logging

    settings = _settings()
    _store(settings)  # a bad STORAGE_URL fails here, in one line, not in a traceback

    async def migrated() -> int:
        pending = await pending_migrations()
        if pending and args.migrate:
            from server.db.migrate import migrate

            await migrate()
        elif pending:
            print(f"rounds: the database has {len(pending)} pending migration(s); "
                  "run `rounds migrate` (or `rounds serve --migrate`) first", file=sys.stderr)
            return 2
        return 0

    if _with_db(settings, migrated):  # a database that cannot be reached fails here too
        return 2
    configure_logging(settings.log_level, settings.log_format)
    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.web_workers
    print(f"Rounds is running at {settings.base_url if not args.port else f'http://{host}:{port}'}"
          + (f" ({workers} worker processes)" if workers > 1 else ""))
    # Worker processes share nothing but the database and the photo store
    # (sessions live in the database), so any number of them may serve.
    # log_config=None keeps uvicorn's lines on our formatter; the app writes the access log.
    # X-Forwarded-For/-Proto are believed only from TRUSTED_PROXIES (uvicorn
    # would otherwise trust any local client); the app applies the same rule.
    uvicorn.run("server.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning" if args.quiet else settings.log_level.lower(),
                proxy_headers=bool(settings.trusted_proxies),
                forwarded_allow_ips=list(settings.trusted_proxies),
                log_config=None, access_log=False)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from server.db.migrate import migrate

    settings = _settings()

    async def run() -> None:
        await migrate(quiet=args.quiet)
        if not args.quiet:
            print("Database is up to date.")

    return _with_db(settings, run)


def cmd_demo(args: argparse.Namespace) -> int:
    from server.demo.loader import demo_logins, demo_skip_reason, load_demo

    settings = _settings()

    async def run() -> None:
        if args.if_empty and (reason := await demo_skip_reason(database_url_set=settings.database_url_set)):
            print(reason)
            return
        store = _store(settings)
        try:
            report = await load_demo(secret=settings.secret_key, if_empty=args.if_empty,
                                     history_days=args.days, store=store,
                                     max_photo_bytes=settings.max_photo_bytes,
                                     max_image_pixels=settings.max_image_pixels)
        finally:
            await store.close()
        print(report)
        logins = await demo_logins()
        if logins:
            print(logins)

    return _with_db(settings, run)


def cmd_user_add(args: argparse.Namespace) -> int:
    from server.services import accounts

    settings = _settings()
    password = args.password or getpass.getpass("Password: ")

    async def run() -> None:
        uid = await accounts.add_user(
            args.username, password, role=args.role, display_name=args.name or "",
            department=args.department or "", language=args.language,
            site_codes=args.site or [],
        )
        print(f"Added user {args.username} (id {uid}).")

    return _with_db(settings, run)


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from server.services import accounts

    settings = _settings()
    password = args.password or getpass.getpass("New password: ")

    async def run() -> None:
        await accounts.set_password(args.username, password)
        print(f"Password changed for {args.username}.")

    return _with_db(settings, run)


def cmd_user_list(args: argparse.Namespace) -> int:
    from server.services import accounts

    settings = _settings()

    async def run() -> None:
        users = await accounts.list_users()
        if not users:
            print("No users yet. Add one with: rounds user add USERNAME --role admin")
            return
        print(f"{'username':<16} {'role':<12} {'department':<18} {'active':<7} sites")
        for u in users:
            print(f"{u['username']:<16} {u['role']:<12} {u['department']:<18} "
                  f"{'yes' if u['active'] else 'no':<7} {','.join(u['sites'])}")

    return _with_db(settings, run)


def cmd_check(args: argparse.Namespace) -> int:
    from server.db.migrate import pending_migrations
    from server.services.health import check_database, probe_store

    settings = _settings()
    print(f"configuration   ok ({'PostgreSQL' if settings.is_postgres else 'SQLite'}, storage {settings.storage_url.split('?')[0]})")

    async def run() -> int:
        try:
            await check_database()
        except Exception as exc:  # report any driver error in one line
            print(f"database        FAILED: {type(exc).__name__}: {exc}")
            return 1
        print("database        ok")
        pending = await pending_migrations()
        if pending:
            print(f"migrations      FAILED: {len(pending)} pending ({', '.join(pending[:3])}"
                  f"{', ...' if len(pending) > 3 else ''}); run `rounds migrate`")
            return 1
        print("migrations      ok")
        store = _store(settings)
        try:
            await probe_store(store)  # a real write and delete, not just a lookup
            print("storage         ok (writable)")
        except Exception as exc:
            print(f"storage         FAILED: {type(exc).__name__}: {exc}")
            return 1
        finally:
            await store.close()
        return 0

    try:
        return _with_db(settings, run)
    except Exception as exc:
        print(f"database        FAILED: {type(exc).__name__}: {exc}")
        return 1


# `rounds photos verify` exit codes (also in docs/deploy.md and `--help`).
VERIFY_OK, VERIFY_DAMAGED, VERIFY_STORAGE_FAILED = 0, 1, 3
VERIFY_EPILOG = """exit codes:
  0  every original is present and matches its sha256 (missing derivatives and
     unreferenced objects are listed as warnings; `rounds photos reprocess`
     rebuilds derivatives)
  1  at least one original is missing (the storage answered "no such object")
     or altered (its bytes no longer match the recorded sha256)
  2  configuration error
  3  no damage found, but the storage failed to answer for some objects or the
     listing, so the check is incomplete: run it again when storage is back"""


def cmd_photos_verify(args: argparse.Namespace) -> int:
    from server.services.photo_ops import verify

    settings = _settings()
    store = _store(settings)

    async def run() -> int:
        try:
            report = await verify(store, progress=lambda n: print(f"  checked {n} ...", file=sys.stderr),
                                  list_unreferenced=not args.no_unreferenced)
        finally:
            await store.close()
        for label, uids in (("MISSING", report.missing), ("CORRUPT", report.corrupt),
                            ("NO DERIVATIVES", report.missing_derivatives)):
            for uid in uids:
                print(f"{label:<15} {uid}")
        for uid, error in report.unreadable:
            print(f"{'STORAGE ERROR':<15} {uid}  {error}")
        for key in report.unreferenced:
            print(f"{'UNREFERENCED':<15} {key}")
        if report.listing_error:
            print(f"{'STORAGE ERROR':<15} listing objects: {report.listing_error}")
        print(report.summary())
        if report.missing or report.corrupt:
            return VERIFY_DAMAGED
        return VERIFY_STORAGE_FAILED if report.backend_failed else VERIFY_OK

    return _with_db(settings, run)


def cmd_photos_reprocess(args: argparse.Namespace) -> int:
    from server.services.photo_ops import reprocess

    settings = _settings()
    store = _store(settings)

    async def run() -> int:
        try:
            rebuilt, failed = await reprocess(
                store, max_pixels=settings.max_image_pixels, max_bytes=settings.max_photo_bytes,
                progress=lambda n: print(f"  processed {n} ...", file=sys.stderr))
        finally:
            await store.close()
        for uid, reason in failed:
            print(f"{'FAILED':<15} {uid}  {reason}")
        print(f"rebuilt derivatives for {rebuilt} photos, {len(failed)} failed")
        return 0 if not failed else 1

    return _with_db(settings, run)


def _site_id(code: str) -> Awaitable[int]:
    async def find() -> int:
        from server.db.tables import Site
        from server.domain.errors import RoundsError

        row = await Site.select(Site.id).where(Site.code == code).first().run()
        if row is None:
            raise RoundsError("not_found", {"site": code})
        return row["id"]

    return find()


def cmd_labels_print(args: argparse.Namespace) -> int:
    from pathlib import Path

    from server.services.setup_tags import label_pdf

    settings = _settings()

    async def run() -> None:
        pdf, count = await label_pdf(await _site_id(args.site), base_url=settings.base_url, actor=None,
                                     batch=args.batch, layout=args.layout)
        Path(args.out).write_bytes(pdf)
        print(f"Wrote {count} labels to {args.out}.")

    return _with_db(settings, run)


def cmd_site_export(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from server.services.site_transfer import export_site

    settings = _settings()

    async def run() -> None:
        doc = await export_site(await _site_id(args.site))
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        if args.out in (None, "-"):
            print(text)
        else:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"Wrote the setup of {args.site} to {args.out}.", file=sys.stderr)

    return _with_db(settings, run)


def cmd_site_import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from server.services.site_transfer import import_site

    settings = _settings()
    try:
        raw = json.loads(Path(args.file).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        print(f"rounds: cannot read {args.file}: {exc}", file=sys.stderr)
        return 1

    async def run() -> None:
        summary = await import_site(raw, actor=None, code=args.code, fresh_labels=args.fresh_labels)
        print(f"Imported site {summary['code']}: {summary['locations']} locations, {summary['tags']} labels, "
              f"{summary['templates']} checklists, {summary['rounds']} rounds.")
        if summary["unknown_users"]:
            print("Not found here (left unassigned): " + ", ".join(summary["unknown_users"]))

    return _with_db(settings, run)


def _errors_as_messages(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapped(args: argparse.Namespace) -> int:
        from server.domain.errors import RoundsError

        try:
            return fn(args)
        except RoundsError as exc:
            print(f"rounds: {exc.message_en} {exc.detail or ''}".rstrip(), file=sys.stderr)
            return 1
        except DatabaseUnreachable as exc:
            print(f"rounds: {exc}", file=sys.stderr)
            return 2
        except ValueError as exc:  # a refused argument, e.g. a password too short
            print(f"rounds: {exc}", file=sys.stderr)
            return 1

    return wrapped


def build_parser() -> argparse.ArgumentParser:
    from server.domain.roles import ROLES

    parser = argparse.ArgumentParser(prog="rounds", description="Rounds: inspection rounds server")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the web server")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, help="worker processes (default WEB_WORKERS, 1)")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--migrate", action="store_true", help="apply pending migrations first instead of refusing to start")
    p.set_defaults(fn=cmd_serve)

    p = sub.add_parser("migrate", help="create or update the database schema")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(fn=cmd_migrate)

    p = sub.add_parser("demo", help="load the demo site (safe to run twice)")
    p.add_argument("--if-empty", action="store_true", help="only into the default embedded database while it has no user or site (make run)")
    p.add_argument("--days", type=int, default=14, help="days of synthetic history")
    p.set_defaults(fn=cmd_demo)

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    p = user.add_parser("add", help="add a user")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--name")
    p.add_argument("--department")
    p.add_argument("--language", default="zh-CN", choices=["zh-CN", "en"])
    p.add_argument("--site", action="append", help="site code (repeatable)")
    p.add_argument("--password", help="omit to be asked")
    p.set_defaults(fn=cmd_user_add)
    p = user.add_parser("passwd", help="set a user's password")
    p.add_argument("username")
    p.add_argument("--password", help="omit to be asked")
    p.set_defaults(fn=cmd_user_passwd)
    p = user.add_parser("list", help="list users")
    p.set_defaults(fn=cmd_user_list)

    photos = sub.add_parser("photos", help="stored photo operations").add_subparsers(
        dest="photos_command", required=True)
    p = photos.add_parser("verify", help="re-read every original and check its sha256",
                          epilog=VERIFY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--no-unreferenced", action="store_true",
                   help="skip listing stored objects that no photo refers to")
    p.set_defaults(fn=cmd_photos_verify)
    p = photos.add_parser("reprocess", help="rebuild display images and thumbnails from originals",
                          epilog="exit codes: 0 all rebuilt, 1 some photos failed (listed), 2 configuration error",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(fn=cmd_photos_reprocess)

    labels = sub.add_parser("labels", help="QR labels").add_subparsers(dest="labels_command", required=True)
    p = labels.add_parser("print", help="write the active labels of a site (or one batch) as a PDF")
    p.add_argument("--site", required=True, help="site code")
    p.add_argument("--batch", help="only this batch")
    p.add_argument("--layout", default="a4-12", choices=["a4-12", "a4-24", "single"])
    p.add_argument("--out", required=True, help="PDF file to write")
    p.set_defaults(fn=cmd_labels_print)

    site = sub.add_parser("site", help="site setup export/import").add_subparsers(dest="site_command", required=True)
    p = site.add_parser("export", help="the whole setup of a site as JSON")
    p.add_argument("--site", required=True, help="site code")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(fn=cmd_site_export)
    p = site.add_parser("import", help="create a site from an exported setup")
    p.add_argument("file")
    p.add_argument("--code", help="a new site code (to copy a site beside the original)")
    p.add_argument("--fresh-labels", action="store_true", help="issue new label codes (needed for a copy)")
    p.set_defaults(fn=cmd_site_import)

    p = sub.add_parser("check", help="check configuration, database and storage")
    p.set_defaults(fn=cmd_check)

    from server.ops.commands import register as register_ops

    register_ops(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    import warnings

    # Piccolo warns (in colour, over two lines) before we can say in one line
    # that the database cannot be reached.
    warnings.filterwarnings("ignore", message=r".*Unable to (connect to database|fetch server version)")
    args = build_parser().parse_args(argv)
    return _errors_as_messages(args.fn)(args)


if __name__ == "__main__":
    sys.exit(main())
