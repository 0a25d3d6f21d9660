"""`make run` runs `rounds demo --if-empty`: it loads the demo only into the
default embedded database (no DATABASE_URL) while that is new (no user, no
site), and otherwise says in one line why it did not. An explicit
`rounds demo` still loads into an empty database named by DATABASE_URL."""

import asyncio

from server.db import engine as db
from server.db.tables import Site, User
from tests.test_cli import run


def _counts(url: str) -> tuple[int, int]:
    async def count() -> tuple[int, int]:
        async with db.connected(url):
            return await User.count().run(), await Site.count().run()

    return asyncio.run(count())


def test_default_database_gets_the_demo_once_and_never_over_a_user(tmp_path):
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    added = run(["user", "add", "ops", "--role", "admin", "--password", "s3cret-pass"], tmp_path)
    assert added.returncode == 0, added.stderr
    # A user but no site yet: somebody's database all the same.
    skipped = run(["demo", "--if-empty", "--days", "0"], tmp_path)
    assert skipped.returncode == 0, skipped.stderr
    assert skipped.stdout.strip() == "The database already has users or sites; demo not loaded."
    assert _counts(f"sqlite:///{tmp_path / 'var' / 'rounds.sqlite3'}") == (1, 0)

    fresh = tmp_path / "fresh"
    assert run(["migrate", "--quiet"], fresh).returncode == 0
    loaded = run(["demo", "--if-empty", "--days", "0"], fresh)
    assert loaded.returncode == 0, loaded.stderr
    assert "not loaded" not in loaded.stdout and "rounds-demo" in loaded.stdout
    again = run(["demo", "--if-empty", "--days", "0"], fresh)
    assert again.stdout.strip() == "The database already has users or sites; demo not loaded."


def test_a_named_database_is_refused_by_if_empty_but_explicit_demo_loads(database_url, tmp_path):
    refused = run(["demo", "--if-empty", "--days", "0"], tmp_path, DATABASE_URL=database_url)
    assert refused.returncode == 0, refused.stderr
    lines = refused.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("DATABASE_URL is set") and "not loaded" in lines[0]
    assert _counts(database_url) == (0, 0)

    explicit = run(["demo", "--days", "0"], tmp_path, DATABASE_URL=database_url)
    assert explicit.returncode == 0, explicit.stderr
    users, sites = _counts(database_url)
    assert users > 0 and sites == 1
