"""`rounds restore` refuses, changing nothing: an archive whose photo or
database bytes no longer match the manifest's sha256, a truncated archive,
a file that is not a backup, and a target database that already holds data
(unless --force). Run as an operator runs it."""

import hashlib
import shutil
import sqlite3
import tarfile

import pytest

from server.storage import key_for
from tests.test_cli import run

ORIGINAL = key_for("originals", hashlib.sha256(b"evidence").hexdigest())


@pytest.fixture
def archive(tmp_path):
    """A backup of a small embedded install: one user, one photo object."""
    source = tmp_path / "source"
    assert run(["migrate", "--quiet"], source).returncode == 0
    assert run(["user", "add", "ops", "--role", "admin", "--password", "s3cret-pass"], source).returncode == 0
    blob = source / "var" / "blobs" / ORIGINAL
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"evidence")
    made = run(["backup", str(tmp_path / "backup.tar")], source)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Wrote {tmp_path / 'backup.tar'}: database ") and "1 photo objects" in made.stdout
    return tmp_path / "backup.tar"


def _damaged(archive, tmp_path, member: str):
    copy = tmp_path / f"damaged-{member.replace('/', '_')}.tar"
    shutil.copy(archive, copy)
    with tarfile.open(copy) as tar:
        offset = tar.getmember(member).offset_data
    with copy.open("r+b") as f:
        f.seek(offset + 3)
        byte = f.read(1)
        f.seek(offset + 3)
        f.write(bytes([byte[0] ^ 0xFF]))
    return copy


def _untouched(target) -> bool:
    var = target / "var"
    return not (var / "rounds.sqlite3").exists() and not (var / "blobs").exists() \
        and not any(p.name.startswith(".rounds-restore-") for p in var.iterdir())


@pytest.mark.parametrize("member", [f"blobs/{ORIGINAL}", "rounds.sqlite3"])
def test_a_flipped_byte_is_refused_and_nothing_is_restored(archive, tmp_path, member):
    target = tmp_path / f"target-{member[:5]}"
    result = run(["restore", str(_damaged(archive, tmp_path, member))], target)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"rounds: restore refused: the archive is damaged: {member} "
                                     "does not match its sha256")
    assert _untouched(target)


def test_truncated_and_foreign_archives_are_refused(archive, tmp_path):
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        tar.add(__file__, arcname="notes.txt")
    for bad, message in ((truncated, "the archive is damaged or not a tar file"),
                         (foreign, "not a Rounds backup: the archive has no manifest.json")):
        target = tmp_path / f"target-{bad.stem}"
        result = run(["restore", str(bad)], target)
        assert result.returncode == 1 and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert _untouched(target)


def test_a_database_with_data_is_kept_unless_forced(archive, tmp_path):
    target = tmp_path / "busy"
    assert run(["migrate", "--quiet"], target).returncode == 0
    assert run(["user", "add", "someone", "--role", "guard", "--password", "s3cret-pass"], target).returncode == 0
    refused = run(["restore", str(archive)], target)
    assert refused.returncode == 1 and "already holds data; restore over it only with --force" in refused.stderr
    db = target / "var" / "rounds.sqlite3"
    assert [r[0] for r in sqlite3.connect(db).execute("SELECT username FROM app_user")] == ["someone"]

    forced = run(["restore", str(archive), "--force"], target)
    assert forced.returncode == 0, forced.stderr
    assert [r[0] for r in sqlite3.connect(db).execute("SELECT username FROM app_user")] == ["ops"]
    assert (target / "var" / "blobs" / ORIGINAL).read_bytes() == b"evidence"


def test_backup_and_restore_refuse_postgresql_and_point_at_the_docs(tmp_path):
    for command in (["backup", str(tmp_path / "b.tar")], ["restore", str(tmp_path / "b.tar")]):
        result = run(command, tmp_path, DATABASE_URL="postgresql://rounds@127.0.0.1:1/rounds")
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "embedded default" in lines[0] and "docs/deploy.md" in lines[0]
    assert not (tmp_path / "b.tar").exists()
