"""Binary files may be committed only where binaries belong: vendored static
files, icons, fonts and test fixtures. A SQLite database once slipped in at
the repository root (a mistyped DATABASE_URL became a file name); this keeps
the next one out of CI."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = ("pwa/icons/", "pwa/vendor/", "server/web/static/vendor/", "docs/screenshots/")
ALLOWED_ANYWHERE = ("/fixtures/", "/fonts/")  # test fixtures and fonts, in any folder


def is_binary(path: Path) -> bool:
    # git's own rule: a NUL byte in the first 8000 bytes makes a file binary.
    with path.open("rb") as fh:
        return b"\0" in fh.read(8000)


def binaries_outside_allowed(root: Path) -> list[str]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    found = []
    for name in filter(None, names.decode().split("\0")):
        path = root / name
        if not path.is_file() or name.startswith(ALLOWED) or any(p in f"/{name}" for p in ALLOWED_ANYWHERE):
            continue
        if is_binary(path):
            found.append(name)
    return found


def test_no_binary_file_is_committed_outside_the_allowed_folders():
    assert binaries_outside_allowed(ROOT) == []


def test_the_check_sees_a_committed_database(tmp_path):
    import sqlite3

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    sqlite3.connect(tmp_path / "postgres").execute("CREATE TABLE t (x)").connection.commit()
    (tmp_path / "pwa/icons").mkdir(parents=True)
    (tmp_path / "pwa/icons/icon.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    (tmp_path / "notes.txt").write_text("plain text")
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    assert binaries_outside_allowed(tmp_path) == ["postgres"]
