"""Real-browser tests of the field app (pwa/) against the real server.

One server per session (`rounds migrate`, `rounds demo`, `rounds serve` on a free
port, everything in a temp dir), Debian Chromium through playwright.sync_api
(never `playwright install`). The fake camera plays a Y4M video of a QR label.
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = str(Path(sys.executable).parent / "rounds")
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
]



def pytest_collection_modifyitems(items):
    e2e = []
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            e2e.append(item)
    # Browser tests run last: the session's sync Playwright keeps an event loop
    # running in the main thread, and pytest-asyncio cannot start its own loop
    # for the async tests collected after tests/e2e while it is there.
    if e2e:
        chosen = set(map(id, e2e))
        items[:] = [i for i in items if id(i) not in chosen] + e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    env: dict
    db_path: Path
    proc: subprocess.Popen | None = None
    log: Path | None = None
    port: int = 0
    extra: dict = field(default_factory=dict)

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        con = sqlite3.connect(self.db_path, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def execute(self, sql: str, args: tuple = ()) -> None:
        con = sqlite3.connect(self.db_path, timeout=10)
        try:
            con.execute(sql, args)
            con.commit()
        finally:
            con.close()

    def start(self) -> None:
        self.log = self.db_path.parent / "serve.log"
        self.proc = subprocess.Popen(
            [ROUNDS, "serve", "--port", str(self.port), "--quiet"], cwd=ROOT, env=self.env,
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start: " + self.log.read_text()[-2000:])

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None


def start_server(tmp: Path) -> Server:
    """A migrated demo site served from `tmp` on a free port."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'rounds.sqlite3'}",
        "STORAGE_URL": str(tmp / "blobs"),
        "VAR_DIR": str(tmp),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "LOGIN_ATTEMPTS": "1000",
    }
    for cmd in (["migrate", "--quiet"], ["demo", "--days", "1"]):
        subprocess.run([ROUNDS, *cmd], cwd=ROOT, env=env, check=True, capture_output=True)
    srv = Server(base_url=f"http://127.0.0.1:{port}", env=env, db_path=tmp / "rounds.sqlite3", port=port)
    srv.start()
    return srv


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("rounds-e2e"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def tags(server):
    """Active tags of the demo site: [(code, short_code, location_id)]."""
    return server.query("select code, short_code, location from tag where revoked_at is null order by id")


def make_qr_video(path: Path, url: str) -> Path:
    """A Y4M clip of a QR label holding `url`, for --use-file-for-fake-video-capture."""
    import segno
    from PIL import Image

    qr = segno.make_qr(url, error="q")
    qr.save(str(path.with_suffix(".png")), scale=9, border=4)
    img = Image.new("RGB", (640, 480), (150, 150, 150))
    q = Image.open(path.with_suffix(".png")).convert("RGB")
    img.paste(q, ((640 - q.width) // 2, (480 - q.height) // 2))
    y, cb, cr = img.convert("YCbCr").split()
    cb = cb.resize((320, 240))
    cr = cr.resize((320, 240))
    frame = y.tobytes() + cb.tobytes() + cr.tobytes()
    with open(path, "wb") as f:
        f.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(20):
            f.write(b"FRAME\n" + frame)
    return path


@pytest.fixture(scope="session")
def qr_video(server, tags, tmp_path_factory) -> tuple[Path, str]:
    """A Y4M clip of a QR label holding BASE_URL/t/<code> of the first tag, for
    --use-file-for-fake-video-capture. Returns (path, code)."""
    code = tags[0][0]
    path = make_qr_video(tmp_path_factory.mktemp("video") / "qr.y4m", f"{server.base_url}/t/{code}")
    return path, code


@pytest.fixture(scope="session")
def launch_args(qr_video) -> dict:
    return {
        "executable_path": CHROMIUM,
        "args": [*CHROME_ARGS, f"--use-file-for-fake-video-capture={qr_video[0]}"],
    }


# Package scope, not session: Playwright's sync API keeps an asyncio loop marked
# running on this thread while it is open, which breaks every async test that
# runs after the browser tests (pytest-asyncio: "Runner.run() cannot be called
# from a running event loop"). Closing it when tests/e2e is done fixes that.
@pytest.fixture(scope="package")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright_instance, launch_args):
    b = playwright_instance.chromium.launch(**launch_args)
    yield b
    b.close()


def context_options(server) -> dict:
    return {
        "base_url": server.base_url,
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "permissions": ["camera"],
        "service_workers": "allow",
    }


@pytest.fixture
def context(browser, server):
    ctx = browser.new_context(**context_options(server))
    yield ctx
    ctx.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def page(context, request):
    p = context.new_page()
    p.on("pageerror", lambda e: print("PAGEERROR", e))
    p.on("console", lambda m: m.type in ("error", "warning") and print("CONSOLE", m.type, m.text))
    p.on("response", lambda r: r.status >= 500 and print("HTTP", r.status, r.request.method, r.url))
    yield p
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        try:
            p.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"))
        except Exception:  # noqa: BLE001
            pass


@pytest.fixture(scope="session")
def photo_file(tmp_path_factory) -> Path:
    """A small camera-like JPEG (the app downscales anything bigger)."""
    from PIL import Image, ImageDraw

    path = tmp_path_factory.mktemp("photos") / "photo.jpg"
    img = Image.new("RGB", (1200, 900), (90, 120, 160))
    d = ImageDraw.Draw(img)
    for i in range(0, 1200, 60):
        d.line([(i, 0), (1200 - i, 900)], fill=(230, 200, 40), width=6)
    img.save(path, quality=88)
    return path


@pytest.fixture(scope="session")
def photo_12mp(tmp_path_factory) -> Path:
    """A detailed 4000×3000 camera JPEG (about 4.7 MB)."""
    from tests.e2e.sample_photos import detailed_photo

    return detailed_photo(tmp_path_factory.mktemp("photos") / "12mp.jpg")


@pytest.fixture(scope="session", autouse=True)
def _artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
