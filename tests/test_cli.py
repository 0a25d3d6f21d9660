"""The `rounds` command, run as a user would run it."""

import os
import subprocess
import sys
from pathlib import Path

ROUNDS = str(Path(sys.executable).with_name("rounds"))


def run(args, tmp_path, **env):
    full = {**os.environ, "VAR_DIR": str(tmp_path / "var"), **env}
    full.pop("DATABASE_URL", None) if "DATABASE_URL" not in env else None
    return subprocess.run([ROUNDS, *args], capture_output=True, text=True, env=full, timeout=120)


def test_migrate_user_add_list_passwd_and_check(tmp_path):
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    added = run(["user", "add", "ops", "--role", "admin", "--password", "s3cret-pass"], tmp_path)
    assert added.returncode == 0, added.stderr
    listed = run(["user", "list"], tmp_path)
    assert "ops" in listed.stdout and "admin" in listed.stdout
    assert run(["user", "passwd", "ops", "--password", "an0ther-pass"], tmp_path).returncode == 0
    dup = run(["user", "add", "ops", "--role", "admin", "--password", "s3cret-pass"], tmp_path)
    assert dup.returncode == 1 and "conflicts" in dup.stderr
    check = run(["check"], tmp_path)
    assert check.returncode == 0 and "database        ok" in check.stdout


def test_bad_setting_fails_with_one_line(tmp_path):
    result = run(["check"], tmp_path, DATABASE_URL="mysql://nope")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "DATABASE_URL" in result.stderr


def test_check_reports_an_unreachable_database(tmp_path):
    result = run(["check"], tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode == 1 and "database        FAILED" in result.stdout
