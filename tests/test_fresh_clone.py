"""The README's promise: on a fresh clone, `make run` installs, migrates, loads
the demo site and serves it, and `make test` runs the suite from that clone
(here one file of it, through PYTEST_ADDOPTS; CI runs all of it on a clean
clone)."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_run_on_a_fresh_clone(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "rounds"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "STORAGE_URL", "VAR_DIR",
                                                           "VIRTUAL_ENV", "PICCOLO_CONF")}
    env["PORT"] = str(port)
    log = (tmp_path / "make-run.log").open("w+")
    proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "make-run.log").read_text()[-3000:]
            time.sleep(2)
        else:
            pytest.fail("make run did not serve within 10 minutes")
        output = (tmp_path / "make-run.log").read_text()
        assert f"http://127.0.0.1:{port}" in output
        assert "Demo logins" in output and "rounds-demo" in output
        assert (clone / "var" / "rounds.sqlite3").exists() and (clone / "var" / "secret_key").exists()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    tested = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True, timeout=600,
                            env={**env, "PYTEST_ADDOPTS": "-q tests/test_settings.py"})
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout and "failed" not in tested.stdout
