"""`rounds housekeeping` as an operator runs it: counts per kind, orphaned
photo objects only listed by default, deleted with --apply-blobs once older
than --grace-days."""

import hashlib
import os
import sqlite3
import time

from server.storage import key_for
from tests.test_cli import run


def test_housekeeping_lists_then_deletes_old_orphans(tmp_path):
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    db = sqlite3.connect(tmp_path / "var" / "rounds.sqlite3")
    with db:
        db.execute("INSERT INTO session_store (key, data, expires_at, revoked) VALUES ('gone', x'', 1, 0)")
        db.execute("INSERT INTO session_store (key, data, expires_at, revoked) VALUES ('live', x'', ?, 0)",
                   (int(time.time()) + 3600,))
    db.close()
    blobs = tmp_path / "var" / "blobs"
    old, young = (key_for("originals", hashlib.sha256(s).hexdigest()) for s in (b"old", b"young"))
    for key in (old, young):
        (blobs / key).parent.mkdir(parents=True, exist_ok=True)
        (blobs / key).write_bytes(b"x")
    week_ago = time.time() - 7 * 86400
    os.utime(blobs / old, (week_ago, week_ago))

    dry = run(["housekeeping"], tmp_path)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[0].startswith("sessions        1 expired purged, 0 revoked purged")
    assert f"ORPHAN          {old}" in lines
    assert lines[-1].startswith("orphaned blobs  1 older than 2 days would be deleted (dry run")
    assert (blobs / old).exists() and (blobs / young).exists()

    applied = run(["housekeeping", "--apply-blobs", "--grace-days", "3"], tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "orphaned blobs  1 deleted (older than 3 days), 1 younger kept" in applied.stdout
    assert not (blobs / old).exists() and (blobs / young).exists()
