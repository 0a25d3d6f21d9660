"""`rounds photos verify` and `rounds photos reprocess`, run as an operator runs
them: output lines and exit codes on a healthy store, a corrupted and a
missing original, lost derivatives, an orphan object, and a storage backend
that is not there (local folder moved away; S3 bucket missing)."""

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from server.db.tables import Photo
from server.services.accounts import load_user
from server.services.photos import ingest_photo
from server.storage import LocalStore, key_for
from tests.factories import build_world
from tests.photos.conftest import encode, synthetic_photo

ROUNDS = str(Path(sys.executable).with_name("rounds"))
SECRET = "test-secret-key-0123456789abcdefghijklmnop"


def rounds(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([ROUNDS, *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env})


@pytest.fixture
async def stored(engine, database_url, tmp_path):
    """Three photos on a local store, and the environment that points at it."""
    user = await load_user((await build_world()).users["guard"])
    store = LocalStore(tmp_path / "blobs", SECRET.encode())
    uids = []
    for seed in (1, 2, 3):
        data = encode(synthetic_photo(seed), "JPEG")
        uid = str(uuid.uuid4())
        await ingest_photo(user, uid, data, declared_sha256=hashlib.sha256(data).hexdigest(), store=store,
                           max_bytes=10_000_000, max_pixels=50_000_000, visit=str(uuid.uuid4()))
        uids.append(uid)
    env = {"DATABASE_URL": database_url, "STORAGE_URL": str(tmp_path / "blobs"),
           "VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": SECRET}
    return store, uids, env


async def _row(uid: str) -> dict:
    return await Photo.select().where(Photo.client_uuid == uuid.UUID(uid)).first().run()


async def test_verify_and_reprocess_on_damaged_and_healthy_stores(stored):
    store, uids, env = stored
    ok = rounds(["photos", "verify"], env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().splitlines()[-1].startswith("checked 3: 3 ok, 0 missing, 0 corrupt")

    corrupt, missing, intact = [await _row(u) for u in uids]
    kept = {r["storage_key"]: store.path_for(r["storage_key"]).read_bytes() for r in (corrupt, missing)}
    store.path_for(corrupt["storage_key"]).write_bytes(b"tampered evidence")
    store.path_for(missing["storage_key"]).unlink()
    orphan = key_for("originals", hashlib.sha256(b"left by a crash").hexdigest())
    store.path_for(orphan).parent.mkdir(parents=True, exist_ok=True)
    store.path_for(orphan).write_bytes(b"x")

    damaged = rounds(["photos", "verify"], env)
    assert damaged.returncode == 1, damaged.stdout + damaged.stderr
    lines = damaged.stdout.splitlines()
    assert f"CORRUPT         {uids[0]}" in lines and f"MISSING         {uids[1]}" in lines
    assert f"UNREFERENCED    {orphan}" in lines
    assert "checked 3: 1 ok, 1 missing, 1 corrupt" in lines[-1] and "1 unreferenced objects" in lines[-1]

    reprocessed = rounds(["photos", "reprocess"], env)
    assert reprocessed.returncode == 1
    out = reprocessed.stdout.splitlines()
    assert f"FAILED          {uids[0]}  original altered (sha256 mismatch)" in out
    assert f"FAILED          {uids[1]}  original missing" in out
    assert out[-1] == "rebuilt derivatives for 1 photos, 2 failed"
    # A tampered original is never used to rebuild what supervisors see.
    assert store.path_for(corrupt["display_key"]).is_file()

    for key, data in kept.items():  # the operator restores the originals from a backup
        store.path_for(key).write_bytes(data)
    store.path_for(intact["thumb_key"]).unlink()
    warn = rounds(["photos", "verify"], env)
    assert warn.returncode == 0, warn.stdout  # lost derivatives and orphans are warnings, not damage
    assert f"NO DERIVATIVES  {uids[2]}" in warn.stdout.splitlines()
    assert f"UNREFERENCED    {orphan}" in warn.stdout.splitlines()
    fixed = rounds(["photos", "reprocess"], env)
    assert fixed.returncode == 0 and fixed.stdout.splitlines()[-1] == "rebuilt derivatives for 3 photos, 0 failed"
    again = rounds(["photos", "verify"], env)
    assert again.returncode == 0 and "checked 3: 3 ok" in again.stdout and "NO DERIVATIVES" not in again.stdout


async def test_verify_exits_3_when_the_local_folder_is_not_there(stored, tmp_path):
    store, uids, env = stored
    shutil.move(str(store.root), str(tmp_path / "unmounted"))
    result = rounds(["photos", "verify"], env)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "MISSING" not in result.stdout
    assert all(f"STORAGE ERROR   {u}" in result.stdout for u in uids)
    assert "3 unreadable (storage error)" in result.stdout.splitlines()[-1]


async def test_verify_exits_3_when_the_bucket_is_not_there(stored, moto_endpoint):
    _, uids, env = stored
    s3 = {**env, "STORAGE_URL": f"s3://rounds-no-such-bucket?endpoint={moto_endpoint}",
          "S3_ACCESS_KEY": "testing", "S3_SECRET_KEY": "testing"}
    result = rounds(["photos", "verify"], s3)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "MISSING" not in result.stdout
    assert "STORAGE ERROR   listing objects: S3 NoSuchBucket" in result.stdout


def test_verify_help_documents_the_exit_codes(tmp_path):
    result = rounds(["photos", "verify", "--help"], {"VAR_DIR": str(tmp_path)})
    assert result.returncode == 0
    for line in ("0  every original is present", "1  at least one original is missing", "3  no damage found"):
        assert line in result.stdout
