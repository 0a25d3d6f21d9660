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


def _try_login(username: str, password: str, tmp_path) -> str:
    """Authenticate against the CLI's database, as the login endpoint does."""
    code = (
        "import asyncio\n"
        "from server.db.engine import connected\n"
        "from server.services.accounts import authenticate\n"
        "from server.settings import load_settings\n"
        "async def main():\n"
        "    async with connected(load_settings().database_url):\n"
        f"        await authenticate({username!r}, {password!r}, ip='t', max_attempts=5, window_seconds=60)\n"
        "    print('ok')\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


def test_migrate_user_add_list_passwd_and_check(tmp_path):
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    added = run(["user", "add", "ops", "--role", "admin", "--password", "s3cret-pass"], tmp_path)
    assert added.returncode == 0, added.stderr
    listed = run(["user", "list"], tmp_path)
    assert "ops" in listed.stdout and "admin" in listed.stdout
    assert run(["user", "passwd", "ops", "--password", "an0ther-pass"], tmp_path).returncode == 0
    login = _try_login("ops", "an0ther-pass", tmp_path)
    assert login == "ok", login
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


def test_unreachable_database_is_one_line_for_migrate_and_serve(tmp_path):
    for command in (["migrate"], ["serve", "--port", "1"], ["demo", "--if-empty"]):
        result = run(command, tmp_path, DATABASE_URL="postgresql://nobody:pw@127.0.0.1:1/none")
        assert result.returncode == 2, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "cannot open the database" in lines[0], (command, result.stderr)
        assert "pw@" not in lines[0]


def test_short_password_is_refused_in_one_line(tmp_path):
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    assert run(["user", "add", "ops", "--role", "admin", "--password", "s3cret-pass"], tmp_path).returncode == 0
    result = run(["user", "passwd", "ops", "--password", "abc"], tmp_path)
    assert result.returncode == 1 and result.stderr.strip().count("\n") == 0
    assert "password" in result.stderr and "Traceback" not in result.stderr
