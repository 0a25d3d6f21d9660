"""`rounds serve` will not start on a database with pending migrations unless
told to migrate; `rounds check` reports pending migrations and a photo store
that cannot be written (both used to say "ok")."""

import os
import socket
import subprocess
import time
import urllib.request

from tests.test_cli import ROUNDS, run


def test_check_reports_pending_migrations(tmp_path):
    result = run(["check"], tmp_path)  # a fresh SQLite file: nothing migrated yet
    assert result.returncode == 1, result.stdout
    assert "migrations      FAILED" in result.stdout and "rounds migrate" in result.stdout
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    after = run(["check"], tmp_path)
    assert after.returncode == 0 and "migrations      ok" in after.stdout and "storage         ok" in after.stdout


def test_check_reports_a_photo_store_that_cannot_be_written(tmp_path):
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the photo folder should be")
    result = run(["check"], tmp_path, STORAGE_URL=str(blocker / "blobs"))
    assert result.returncode != 0
    assert "storage" in (result.stdout + result.stderr) and "Traceback" not in result.stderr


def test_serve_refuses_pending_migrations_in_one_line(tmp_path):
    result = run(["serve", "--port", "1"], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pending migration" in lines[0] and "rounds migrate" in lines[0], result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrate_applies_them_and_becomes_ready(tmp_path):
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([ROUNDS, "serve", "--migrate", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        status = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                    status = response.status
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.25)
        assert status == 200, proc.stderr.read() if proc.poll() is not None else "not ready"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
