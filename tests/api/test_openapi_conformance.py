"""The field API answers as /schema/openapi.json says: schemathesis runs every
check against a real `rounds serve` (on each database), signed in as the guard
the way the field app is (session cookie + X-Rounds-Client), and must find no
server error and no conformance failure. Bounded: a time budget per run
(schemathesis spreads it over its phases), at most MAX_EXAMPLES cases per
operation and phase cycle, a per-request timeout, and a hard deadline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MAX_EXAMPLES = os.environ.get("ROUNDS_SCHEMATHESIS_EXAMPLES", "20")
SEED = os.environ.get("ROUNDS_SCHEMATHESIS_SEED", "1")  # fixed, so CI is repeatable
BUDGET_SECONDS = os.environ.get("ROUNDS_SCHEMATHESIS_SECONDS", "70")  # per database
DEADLINE_SECONDS = 160


def test_field_api_conforms_to_its_openapi_schema(live_server, tmp_path):
    st = str(Path(sys.executable).parent / "st")
    env = {**os.environ, "ROUNDS_BASE_URL": live_server.base_url, "SCHEMATHESIS_HOOKS": "tests.api.openapi_auth",
           "PYTHONPATH": str(ROOT)}
    command = [
        st, "--config-file", str(HERE / "schemathesis.toml"), "run", f"{live_server.base_url}/schema/openapi.json",
        "--checks", "all", "--max-time", BUDGET_SECONDS, "--max-examples", MAX_EXAMPLES, "--seed", SEED, "--workers", "1",
        "--request-timeout", "15", "--generation-database", "none", "--no-color",
        "--report", "junit", "--report-dir", str(tmp_path / "report"),
    ]
    run = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=DEADLINE_SECONDS)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
    assert "Tested: 13" in output, output[-5000:]  # every field API operation was exercised
