"""Field work for the supervisor browser test, sent the way a phone sends it:
through the sync API (session login, photo PUT with its SHA-256, visit PUT).
Also usable by hand against a running demo server:
    python -m tests.e2e.supervisor_seed http://127.0.0.1:8222
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar

HEADERS = {"X-Rounds-Client": "pwa"}


class Phone:
    def __init__(self, base: str, username: str, password: str = "rounds-demo"):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.call("POST", "/api/v1/session", {"username": username, "password": password})
        self.pack = self.call("GET", "/api/v1/pack")

    def call(self, method: str, path: str, body=None, *, data: bytes | None = None, headers: dict | None = None):
        h = {**HEADERS, **(headers or {})}
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        with self.opener.open(req, timeout=30) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def photo(self, visit_uuid: str, item: str, colour: tuple[int, int, int]) -> str:
        from PIL import Image, ImageDraw

        img = Image.new("RGB", (960, 720), colour)
        d = ImageDraw.Draw(img)
        for i in range(0, 960, 48):
            d.line([(i, 0), (960 - i, 720)], fill=(240, 240, 240), width=5)
        d.ellipse([380, 260, 580, 460], fill=(60, 40, 30))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        raw = buf.getvalue()
        uid = str(uuid.uuid4())
        q = "?" + urllib.parse.urlencode({"visit": visit_uuid, "item": item,
                                          "captured_at": datetime.now(UTC).isoformat()})
        self.call("PUT", f"/api/v1/photos/{uid}{q}", data=raw,
                  headers={"Content-Type": "image/jpeg", "X-Content-SHA256": hashlib.sha256(raw).hexdigest()})
        return uid

    def visit(self, location_key_index: int = 0, *, fail: bool, colour=(120, 110, 90), kind: str = "self_check") -> str:
        site = self.pack["sites"][0]
        templates = {t["id"]: t for t in self.pack["templates"]}
        tags = [t for t in site["tags"]]
        locs = {loc["id"]: loc for loc in site["locations"]}
        usable = [t for t in tags if locs[t["location_id"]]["template_version_id"]]
        tag = usable[location_key_index % len(usable)]
        version = templates[locs[tag["location_id"]]["template_version_id"]]
        vid = str(uuid.uuid4())
        answers, failed_one = [], False
        for item in version["items"]:
            a = {"item": item["id"]}
            k = item["kind"]
            if k == "pass_fail":
                a["value"] = "fail" if fail and not failed_one else "pass"
            elif k == "yes_no":
                a["value"] = item.get("fail_on", False) if fail and not failed_one else not item.get("fail_on", False)
            elif k == "number":
                a["value"] = item.get("pass_min", item.get("min", 0)) or 0
            elif k == "choice":
                a["value"] = next(c["value"] for c in item["choices"] if not c.get("fails"))
            elif k == "text":
                a["value"] = ""
            else:
                a["value"] = None
                if item.get("required"):
                    a["photos"] = [self.photo(vid, item["id"], colour)]
            if fail and not failed_one and k in ("pass_fail", "yes_no"):
                failed_one = True
                a["note"] = "地面有积水 / water on the floor"
                a["photos"] = [self.photo(vid, item["id"], colour)]
            answers.append(a)
        now = datetime.now(UTC)
        body = {"tag_code": tag["code"], "template_version_id": version["id"], "kind": kind,
                "scan_method": "scan", "scanned_at": (now - timedelta(minutes=3)).isoformat(),
                "finished_at": (now - timedelta(minutes=1)).isoformat(), "device_id": "seed-phone",
                "note": "", "answers": answers}
        self.call("PUT", f"/api/v1/visits/{vid}", body)
        return vid


def seed(base: str, worker: str = "cleaner1", password: str = "rounds-demo") -> dict:
    cleaner = Phone(base, worker, password)
    out = {"failed": [cleaner.visit(i, fail=True, colour=(100 + 20 * i, 90, 80)) for i in range(3)]}
    out["passed"] = cleaner.visit(5, fail=False)
    return out


if __name__ == "__main__":
    print(seed(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8222"))
