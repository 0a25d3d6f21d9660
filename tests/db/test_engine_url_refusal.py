"""The engine reads DATABASE_URL through the same parser as settings: a bare
name such as `postgres` is refused instead of becoming a SQLite file in the
working directory, and sqlite:///relative stays relative to it."""

from pathlib import Path

import pytest

from server.db import engine as db
from server.lib.database_url import DatabaseUrlError


@pytest.mark.parametrize("url", ["postgres", "postgres.example:5432", "mysql://u@h/db"])
def test_unknown_url_is_refused_and_creates_no_file(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseUrlError):
        db.build_engine(url)
    assert list(tmp_path.iterdir()) == []


def test_relative_sqlite_url_opens_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    engine = db.build_engine("sqlite:///data/rounds.sqlite3")
    assert Path(engine.path) == Path("data/rounds.sqlite3")
    assert (tmp_path / "data").is_dir()


def test_postgres_scheme_alias_builds_a_postgres_engine():
    assert db.build_engine("postgres://u@127.0.0.1:1/x").engine_type == "postgres"
