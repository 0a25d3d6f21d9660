"""Backup and restore of the embedded default: the SQLite database and the
local photo folder, in one tar archive with a manifest of every file's
sha256.

Consistency: the database is copied first, through SQLite's online backup
API (one step, so it is a single snapshot even while the server writes),
then the photo folder. Photo objects are written before the row that refers
to them is committed, and referenced objects are never deleted, so every
photo row in the snapshot finds its objects in the archive. Objects written
after the snapshot come along as orphans (`rounds housekeeping` lists them).

Restore checks every file against the manifest in a staging folder beside
the target before anything is moved into place, and refuses a database that
already holds data unless forced. PostgreSQL and S3 are backed up with their
own tools (docs/deploy.md)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from server.storage.base import validate_key

FORMAT = "rounds-backup/1"
MANIFEST = "manifest.json"
DATABASE = "rounds.sqlite3"
SECRET = "secret_key"
BLOBS = "blobs/"
_TMP_DIR = ".tmp"  # LocalStore's in-flight writes
_CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal or a damaged archive, told in one line."""


@dataclass
class Summary:
    blobs: int
    blob_bytes: int
    database_bytes: int

    def line(self) -> str:
        return (f"database {self.database_bytes} bytes, {self.blobs} photo objects "
                f"({self.blob_bytes} bytes)")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot_database(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included)."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _blob_files(root: Path) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root and _TMP_DIR in dirnames:
            dirnames.remove(_TMP_DIR)
        for name in filenames:
            path = Path(dirpath) / name
            out.append((path.relative_to(root).as_posix(), path))
    out.sort()
    return out


def backup(database: Path, blob_root: Path, out: Path, *, secret_file: Path | None = None) -> Summary:
    """Write the archive to `out` (atomically: a temporary name, then renamed)."""
    out = out.resolve()
    tmp = out.with_name(f".{out.name}.partial")
    files: dict[str, dict] = {}
    blob_bytes = 0
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".rounds-backup-") as work, \
                tarfile.open(tmp, "w") as tar:
            snap = Path(work) / DATABASE
            snapshot_database(database, snap)
            files[DATABASE] = {"sha256": _sha256_file(snap), "size": snap.stat().st_size}
            tar.add(snap, arcname=DATABASE)
            if secret_file is not None and secret_file.is_file():
                files[SECRET] = {"sha256": _sha256_file(secret_file), "size": secret_file.stat().st_size}
                tar.add(secret_file, arcname=SECRET)
            for key, path in _blob_files(blob_root):
                # LocalStore writes by rename, so a file is whole; read it once for
                # both the hash and the archive so the two cannot differ.
                try:
                    data = path.read_bytes()
                except FileNotFoundError:  # deleted since listed: an orphan cleaned up meanwhile
                    continue
                info = tarfile.TarInfo(BLOBS + key)
                info.size, info.mtime, info.mode = len(data), int(path.stat().st_mtime), 0o644
                tar.addfile(info, io.BytesIO(data))
                files[BLOBS + key] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                blob_bytes += len(data)
            manifest = json.dumps({"format": FORMAT, "created_at": int(time.time()), "files": files},
                                  indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(manifest), int(time.time()), 0o644
            tar.addfile(info, io.BytesIO(manifest))
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Summary(blobs=sum(1 for n in files if n.startswith(BLOBS)), blob_bytes=blob_bytes,
                   database_bytes=files[DATABASE]["size"])


def database_has_data(path: Path) -> bool:
    """True when the SQLite file holds any user, site or visit."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    con = sqlite3.connect(path)
    try:
        for table in ("app_user", "site", "visit"):
            try:
                if con.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
                    return True
            except sqlite3.OperationalError:  # no such table: not migrated yet
                continue
        return False
    finally:
        con.close()


def _read_manifest(tar: tarfile.TarFile) -> dict[str, dict]:
    try:
        member = tar.getmember(MANIFEST)
        raw = tar.extractfile(member)
        doc = json.loads(raw.read()) if raw else None
    except KeyError:
        raise BackupError("not a Rounds backup: the archive has no manifest.json") from None
    except ValueError:
        raise BackupError("the archive's manifest.json is damaged") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("files"), dict):
        raise BackupError(f"not a Rounds backup of format {FORMAT}")
    files = doc["files"]
    if DATABASE not in files:
        raise BackupError("the archive's manifest lists no database")
    for name, entry in files.items():
        if name not in (DATABASE, SECRET):
            if not name.startswith(BLOBS):
                raise BackupError(f"the manifest lists an unexpected file {name!r}")
            try:
                validate_key(name[len(BLOBS):])
            except ValueError:
                raise BackupError(f"the manifest lists an unsafe name {name!r}") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise BackupError(f"the manifest entry of {name!r} is damaged")
    return files


def _stage(tar: tarfile.TarFile, files: dict[str, dict], staging: Path) -> None:
    """Extract every listed file into `staging`, checking its sha256."""
    seen: set[str] = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        if member.name not in files:
            raise BackupError(f"the archive holds {member.name!r}, which its manifest does not list")
        if not member.isfile():
            raise BackupError(f"{member.name!r} in the archive is not a regular file")
        if member.name in seen:
            raise BackupError(f"{member.name!r} appears twice in the archive")
        seen.add(member.name)
        source = tar.extractfile(member)
        assert source is not None
        target = staging / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as f:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                f.write(chunk)
        if digest.hexdigest() != files[member.name]["sha256"]:
            raise BackupError(f"the archive is damaged: {member.name} does not match its sha256")
    missing = sorted(set(files) - seen)
    if missing:
        raise BackupError(f"the archive is incomplete: {len(missing)} listed files are missing, e.g. {missing[0]}")


def restore(archive: Path, database: Path, blob_root: Path, *, secret_file: Path | None = None,
            force: bool = False) -> Summary:
    """Verify the whole archive, then put the database and photo objects in
    place. Nothing is changed when the archive is refused."""
    if not archive.is_file():
        raise BackupError(f"no archive at {archive}")
    if database_has_data(database) and not force:
        raise BackupError(f"the database {database} already holds data; "
                          "restore over it only with --force (stop the server first)")
    database.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=database.parent, prefix=".rounds-restore-"))
    try:
        try:
            with tarfile.open(archive, "r:") as tar:
                files = _read_manifest(tar)
                _stage(tar, files, staging)
        except (tarfile.TarError, EOFError) as exc:
            raise BackupError(f"the archive is damaged or not a tar file: {exc}") from None
        check = sqlite3.connect(staging / DATABASE)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            ok = str(exc)
        finally:
            check.close()
        if ok != "ok":
            raise BackupError(f"the archived database fails SQLite's integrity check: {ok}")

        # Everything is verified: move into place (renames within one file system).
        blobs = 0
        blob_bytes = 0
        staged_blobs = staging / BLOBS
        for key, path in _blob_files(staged_blobs):
            target = blob_root / key
            target.parent.mkdir(parents=True, exist_ok=True)
            blob_bytes += path.stat().st_size
            shutil.move(path, target)
            blobs += 1
        if secret_file is not None and (staging / SECRET).is_file():
            shutil.move(staging / SECRET, secret_file)
        for suffix in ("-wal", "-shm"):  # the old database's journal must not be replayed into the new one
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        size = (staging / DATABASE).stat().st_size
        os.replace(staging / DATABASE, database)
        return Summary(blobs=blobs, blob_bytes=blob_bytes, database_bytes=size)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
