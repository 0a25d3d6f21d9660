"""Field-app bench: shell size, cold offline start, upload bytes per visit, a11y.

    .venv/bin/python bench/pwa_shell.py            # everything
    .venv/bin/python bench/pwa_shell.py --size     # shell size only (no browser, no server)
    .venv/bin/python bench/pwa_shell.py --no-axe   # skip the axe-core audit

Starts its own server (temp dir: migrate, demo, serve on a free port) and drives
Debian Chromium (/usr/bin/chromium) through Playwright. Prints:

1. app-shell bytes gzipped: every file the service worker precaches as the shell
   (the lazily loaded QR decoder is listed apart and not counted); target ≤ 100 KB;
   then the same files as the server sends them (its own gzip, level 6);
2. cold offline start → "ready to scan": browser restarted with no network,
   4× CPU throttling (CDP Emulation.setCPUThrottlingRate), time from navigation
   start to the app's `rounds-ready` mark; median of 5; target ≤ 1 s;
3. upload bytes per visit with one 12 MP photo (a detailed 4000×3000 JPEG from
   tests/e2e/sample_photos.py, set on the camera input): the request bodies
   (and headers) of the photo PUT and the visit PUT, counted on the wire by a
   TCP proxy between the browser and the server (tests/e2e/tcp_proxy.py);
4. axe-core (npm axe-core, fetched with `npm pack` into bench/out/) on the main
   screens: serious and critical violations.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the sample photo and the TCP proxy are shared with tests/e2e
PWA = ROOT / "pwa"
OUT = ROOT / "bench" / "out"
ROUNDS = str(Path(sys.executable).parent / "rounds")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
AXE_VERSION = "4.14.1"


def sw_lists() -> tuple[list[str], list[str]]:
    sw = (PWA / "sw.js").read_text()

    def grab(name: str) -> list[str]:
        block = re.search(rf"const {name} = \[(.*?)\];", sw, re.S).group(1)
        return re.findall(r'"([^"]+)"', block)

    return grab("SHELL_FILES"), grab("DECODER_FILES")


def file_for(url: str) -> Path:
    if url == "/":
        return PWA / "index.html"
    if url == "/manifest.webmanifest":
        return PWA / "manifest.webmanifest"
    return PWA / url.removeprefix("/pwa/")


def shell_size() -> int:
    shell, decoder = sw_lists()
    total_raw = total_gz = 0
    print("1. App shell (precached by the service worker)")
    print(f"   {'file':44} {'bytes':>9} {'gzip':>9}")
    for u in shell:
        data = file_for(u).read_bytes()
        gz = len(gzip.compress(data, 9))
        total_raw += len(data)
        total_gz += gz
        print(f"   {u:44} {len(data):9,} {gz:9,}")
    verdict = "OK" if total_gz <= 100 * 1024 else "OVER TARGET"
    print(f"   {'TOTAL shell':44} {total_raw:9,} {total_gz:9,}  ({total_gz / 1024:.1f} KB gz; target ≤ 100 KB: {verdict})")
    dec_raw = dec_gz = 0
    for u in decoder:
        data = file_for(u).read_bytes()
        dec_raw += len(data)
        dec_gz += len(gzip.compress(data, 9))
    print(f"   lazy QR decoder, not counted: {len(decoder)} files, {dec_raw:,} B ({dec_gz:,} B gz), own cache")
    return total_gz


def served_shell(base: str) -> int:
    """The shell as the server really sends it (its own gzip, not ours)."""
    shell, _ = sw_lists()
    total = 0
    plain = []
    for u in shell:
        req = urllib.request.Request(base + u, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as r:
            body = r.read()  # urllib does not decode: these are the bytes on the wire
            if r.headers.get("Content-Encoding") != "gzip":
                plain.append(u)
        total += len(body)
    print(f"   served by Rounds with Accept-Encoding: gzip: {total:,} B ({total / 1024:.1f} KB); "
          f"not gzipped (already compressed): {', '.join(plain) or 'none'}")
    return total


class Server:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="rounds-bench-"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.tmp / 'rounds.sqlite3'}",
                    "STORAGE_URL": str(self.tmp / "blobs"), "VAR_DIR": str(self.tmp), "BASE_URL": self.base}
        for cmd in (["migrate", "--quiet"], ["demo", "--days", "1"]):
            subprocess.run([ROUNDS, *cmd], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.proc = subprocess.Popen([ROUNDS, "serve", "--port", str(self.port), "--quiet"], cwd=ROOT, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)


def ctx_opts(base: str) -> dict:
    return {"executable_path": "/usr/bin/chromium", "args": CHROME_ARGS, "base_url": base,
            "viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
            "has_touch": True, "locale": "zh-CN"}


def login(page, user: str = "guard1") -> None:
    page.goto("/")
    page.wait_for_selector("#username")
    page.fill("#username", user)
    page.fill("#password", "rounds-demo")
    page.click("#login-btn")
    page.wait_for_selector("#scan-btn")


def wait_caches(page) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20000)
    for _ in range(150):
        n = page.evaluate("""async () => { const k = await caches.keys(); const d = k.find(x => x.startsWith('rounds-decoder-'));
                               return d ? (await (await caches.open(d)).keys()).length : 0; }""")
        if n == 3:
            return
        time.sleep(0.2)


def cold_offline_start(pw, base: str, runs: int = 5) -> float:
    profile = Path(tempfile.mkdtemp(prefix="rounds-profile-"))
    try:
        ctx = pw.chromium.launch_persistent_context(str(profile), **ctx_opts(base))
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        login(page)
        wait_caches(page)
        ctx.close()
        times = []
        for _ in range(runs):
            ctx = pw.chromium.launch_persistent_context(str(profile), offline=True, **ctx_opts(base))
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto("/")
            page.wait_for_selector("body[data-ready='scan']", timeout=20000)
            ms = page.evaluate("performance.getEntriesByName('rounds-ready')[0].startTime")
            times.append(ms)
            ctx.close()
        med = statistics.median(times)
        verdict = "OK" if med <= 1000 else "OVER TARGET"
        print("2. Cold offline start → ready to scan (browser restarted offline, 4× CPU throttling)")
        print(f"   runs (ms): {', '.join(f'{t:.0f}' for t in times)}")
        print(f"   median {med:.0f} ms (target ≤ 1000 ms: {verdict})")
        return med
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def upload_bytes(pw, srv: Server) -> None:
    """Bytes the phone really sends for one visit with one 12 MP photo, counted
    on the wire by a TCP proxy between the browser and the server."""
    from tests.e2e.sample_photos import detailed_photo
    from tests.e2e.tcp_proxy import TcpProxy

    tmp = Path(tempfile.mkdtemp(prefix="rounds-photo-"))
    proxy = TcpProxy(srv.port)
    try:
        photo = detailed_photo(tmp / "12mp.jpg")
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_ARGS)
        opts = {k: v for k, v in ctx_opts(proxy.url).items() if k not in ("executable_path", "args")}
        ctx = b.new_context(**opts)
        ctx.add_init_script("delete window.SyncManager;")  # the page sends, once
        page = ctx.new_page()
        login(page)
        ctx.set_offline(True)
        site = page.evaluate("async () => (await RoundsDB.all('packs'))[0].pack.sites[0]")
        locs = {loc["id"]: loc for loc in site["locations"] if loc["template_version_id"]}
        tag = next(t for t in site["tags"] if t["location_id"] in locs)
        page.fill("#code-input", tag["short_code"])
        page.click("#code-go")
        page.wait_for_selector("#checklist")
        first_photo_done = False
        for it in page.eval_on_selector_all("#checklist .item[data-item]", "els => els.map(e => ({id: e.dataset.item, kind: e.dataset.kind}))"):
            sel = f"#item-{it['id']}"
            if it["kind"] in ("pass_fail", "yes_no") and not first_photo_done:
                page.click(f"{sel} [role=radio][data-fails]")
                page.fill(f"#note-{it['id']}", "bench")
                t0 = time.time()
                page.set_input_files(f"#cam-{it['id']}", str(photo))
                page.wait_for_selector(f"{sel} .thumb", timeout=60000)
                prep_ms = (time.time() - t0) * 1000
                first_photo_done = True
            elif it["kind"] in ("pass_fail", "yes_no", "choice"):
                page.click(f"{sel} [role=radio]:not([data-fails])")
            elif it["kind"] == "number":
                lo = page.get_attribute(f"#num-{it['id']}", "data-pass-min")
                hi = page.get_attribute(f"#num-{it['id']}", "data-pass-max")
                page.fill(f"#num-{it['id']}", f"{(float(lo) + float(hi)) / 2:g}")
        page.click("#save-visit")
        page.wait_for_selector("#scan-btn")
        ph = page.evaluate("""async () => (await RoundsDB.all('outbox')).filter(r => r.kind === 'photo')
                                .map(r => ({w: r.width, h: r.height, q: r.quality, size: r.size}))[0]""")
        ctx.set_offline(False)
        page.wait_for_function("document.body.dataset.waiting === '0' && document.body.dataset.attention === '0'",
                               timeout=60000)
        photo_puts = proxy.requests("PUT /api/v1/photos/")
        visit_puts = proxy.requests("PUT /api/v1/visits/")
        status = proxy.requests("POST /api/v1/sync/status")
        assert len(photo_puts) == 1 and len(visit_puts) == 1, (photo_puts, visit_puts)
        p, v = photo_puts[0], visit_puts[0]
        orig = photo.stat().st_size
        bodies = p.body_bytes + v.body_bytes
        wire = bodies + p.head_bytes + v.head_bytes
        print("3. Upload bytes per visit with one 12 MP photo (counted on the wire by a TCP proxy)")
        print(f"   original: detailed 4000×3000 JPEG, {orig:,} B")
        print(f"   downscaled on the phone to {ph['w']}×{ph['h']} JPEG q {ph['q']} in {prep_ms:.0f} ms (incl. UI)")
        print(f"   photo PUT: body {p.body_bytes:,} B + headers {p.head_bytes:,} B")
        print(f"   visit PUT: body {v.body_bytes:,} B + headers {v.head_bytes:,} B")
        print(f"   total per visit: {bodies:,} B of bodies, {wire:,} B with request headers "
              f"({wire / 1024:.0f} KB; {100 * wire / orig:.1f} % of the original photo)")
        print(f"   (plus {len(status)} sync/status call(s): {sum(s.head_bytes + s.body_bytes for s in status):,} B)")
        b.close()
    finally:
        proxy.close()
        shutil.rmtree(tmp, ignore_errors=True)


def axe_js() -> Path | None:
    path = OUT / f"axe-core-{AXE_VERSION}.min.js"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    try:
        subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent"], cwd=tmp, check=True, capture_output=True)
        tgz = next(tmp.glob("axe-core-*.tgz"))
        subprocess.run(["tar", "xzf", str(tgz), "-C", str(tmp)], check=True)
        shutil.copy(tmp / "package" / "axe.min.js", path)
        return path
    except (subprocess.CalledProcessError, StopIteration, FileNotFoundError) as exc:
        print(f"4. axe-core: not available ({exc})")
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def axe_audit(pw, base: str) -> None:
    js = axe_js()
    if not js:
        return
    b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_ARGS)
    opts = {k: v for k, v in ctx_opts(base).items() if k not in ("executable_path", "args")}
    ctx = b.new_context(**opts)
    page = ctx.new_page()
    src = js.read_text()

    def audit(name: str) -> list[str]:
        page.add_script_tag(content=src)
        res = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                                 .map(v => v.impact + ' ' + v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '))""")
        print(f"   {name:10} {'no serious/critical violations' if not res else ''}")
        for r in res:
            print(f"      {r}")
        return res

    print(f"4. axe-core {AXE_VERSION}: serious and critical violations per screen")
    page.goto("/")
    page.wait_for_selector("#username")
    audit("login")
    page.fill("#username", "guard1")
    page.fill("#password", "rounds-demo")
    page.click("#login-btn")
    page.wait_for_selector("#scan-btn")
    audit("home")
    site = page.evaluate("async () => (await RoundsDB.all('packs'))[0].pack.sites[0]")
    locs = {loc["id"] for loc in site["locations"] if loc["template_version_id"]}
    tag = next(t for t in site["tags"] if t["location_id"] in locs)
    page.fill("#code-input", tag["short_code"])
    page.click("#code-go")
    page.wait_for_selector("#checklist")
    page.click("#checklist [role=radio][data-fails]")
    audit("checklist")
    page.click("#btn-report")
    audit("incident")
    page.click("#nav .btn-secondary")  # cancel the report
    page.click('#nav [data-tab="outbox"]')
    audit("outbox")
    page.click('#nav [data-tab="me"]')
    audit("me")
    page.click('#nav [data-tab="home"]')
    page.fill("#code-input", "ZZZZZZ")
    page.click("#code-go")
    page.wait_for_selector("#refused")
    audit("refused")
    b.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", action="store_true", help="shell size only")
    ap.add_argument("--no-axe", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    shell_size()
    if a.size:
        return 0
    from playwright.sync_api import sync_playwright

    srv = Server()
    try:
        served_shell(srv.base)
        with sync_playwright() as pw:
            cold_offline_start(pw, srv.base, a.runs)
            upload_bytes(pw, srv)
            if not a.no_axe:
                axe_audit(pw, srv.base)
    finally:
        srv.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
