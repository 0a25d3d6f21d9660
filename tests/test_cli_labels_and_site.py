"""`rounds labels print` and `rounds site export/import`, run as a user would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp

ROUNDS = str(Path(sys.executable).with_name("rounds"))


def run(args, tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "BASE_URL": "https://rounds.example.org"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([ROUNDS, *args], capture_output=True, text=True, env=env, timeout=180)


def test_print_labels_export_and_copy_a_site(tmp_path):
    assert run(["migrate", "--quiet"], tmp_path).returncode == 0
    assert run(["demo", "--days", "0"], tmp_path).returncode == 0
    out = tmp_path / "labels.pdf"
    printed = run(["labels", "print", "--site", "hq-tower", "--layout", "a4-24", "--out", str(out)], tmp_path)
    assert printed.returncode == 0, printed.stderr
    page = pdfium.PdfDocument(out.read_bytes())[0].render(scale=200 / 72).to_pil()
    urls = [r.text for r in zxingcpp.read_barcodes(page)]
    assert len(urls) == 24 and all(u.startswith("https://rounds.example.org/t/") for u in urls)

    exported = tmp_path / "site.json"
    assert run(["site", "export", "--site", "hq-tower", "--out", str(exported)], tmp_path).returncode == 0
    doc = json.loads(exported.read_text(encoding="utf-8"))
    assert doc["format"] == "rounds.site" and doc["site"]["code"] == "hq-tower"
    again = run(["site", "import", str(exported)], tmp_path)
    assert again.returncode == 1 and "conflicts" in again.stderr  # the code exists
    copy = run(["site", "import", str(exported), "--code", "hq-copy", "--fresh-labels"], tmp_path)
    assert copy.returncode == 0 and "Imported site hq-copy" in copy.stdout
    missing = run(["labels", "print", "--site", "nowhere", "--out", str(out)], tmp_path)
    assert missing.returncode == 1 and "Not found" in missing.stderr
