"""One reading of DATABASE_URL for every entry point: the two engines'
schemes are accepted, a relative SQLite path stays relative, anything else
is refused in one line instead of becoming a file name."""

from pathlib import Path

import pytest

from server.lib.database_url import DatabaseUrlError, parse_database_url


def test_relative_sqlite_path_stays_relative():
    parsed = parse_database_url("sqlite:///var/rounds.sqlite3")
    assert parsed.kind == "sqlite" and parsed.sqlite_path == Path("var/rounds.sqlite3")


def test_absolute_sqlite_path_has_four_slashes():
    assert parse_database_url("sqlite:////srv/rounds.sqlite3").sqlite_path == Path("/srv/rounds.sqlite3")


@pytest.mark.parametrize("url", ["postgres://u:pw@db:5432/rounds", "postgresql://u@db/rounds",
                                 "postgresql://u@/rounds?host=/run/postgresql"])
def test_both_postgres_schemes_are_accepted(url):
    parsed = parse_database_url(url)
    assert parsed.is_postgres and parsed.sqlite_path is None and parsed.url == url


@pytest.mark.parametrize("url", ["postgres", "rounds.sqlite3", "mysql://u@h/db", "sqlite://rel.db",
                                 "sqlite:rel.db", "sqlite:///", "sqlite:///var/", "sqlite:///x.db?mode=ro",
                                 "postgresql://u:pw@h:nope/db", "postgresql://u@h:5432", ""])
def test_anything_else_is_refused_in_one_line(url):
    with pytest.raises(DatabaseUrlError) as info:
        parse_database_url(url)
    assert "DATABASE_URL" in str(info.value) and "\n" not in str(info.value)


def test_passwords_are_masked_in_the_refusal():
    with pytest.raises(DatabaseUrlError) as info:
        parse_database_url("mysql://u:hunter2@h/db")
    assert "hunter2" not in str(info.value)
