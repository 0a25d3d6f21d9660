"""The strict Content-Security-Policy holds in a real Chromium: every console
page each console role can reach (nav, lists and the demo data's detail pages,
photos opened on their own) and the field app's screens (login, home, the
camera scanner with its WebAssembly decoder, a checklist with photos, saving
and syncing, incident, outbox, me) run without one CSP violation, console
error or page error. Screenshots of a few of them go to test-artifacts/."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    CHROME_ARGS,
    CHROMIUM,
    context_options,
    make_qr_video,
    start_server,
)
from tests.e2e.helpers import fill_checklist, login, save_visit, wait_synced

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
CONSOLE_ROLES = ["lead1", "inspector1", "supervisor1", "manager1", "admin"]
FIELD_USERS = ["guard1", "cleaner1", "tech1", "lead1"]
# Their field-app logins sample spot checks; they run after the console walks
# (file order), so those see the demo's data and the inspector's own sample.
SPOT_CHECK_USERS = ["inspector1", "supervisor1", "manager1", "admin"]
PER_PATTERN = 2  # pages opened per URL shape (/console/visits/:id …)
MAX_PAGES = 90  # per role, a guard against a walk that never ends

# Installed before any page script: every violation is handed to the test.
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolation({page: location.href, directive: e.violatedDirective,
                         blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});"""
ID = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27})(?=/|$)")


class Watch:
    """Collects CSP violations, CSP console messages and page errors of a context."""

    def __init__(self, context):
        self.problems: list[str] = []
        context.expose_function("__cspViolation", lambda v: self.problems.append(f"CSP violation {v}"))
        context.add_init_script(LISTEN)
        context.on("page", self.page)

    def page(self, page) -> None:
        page.on("console", lambda m: self.console(m, page))
        page.on("pageerror", lambda e: self.problems.append(f"page error on {page.url}: {e}"))

    def console(self, message, page) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text or "Refused to" in text:
            self.problems.append(f"console on {page.url}: {text}")
        elif message.type == "error" and "Failed to load resource" not in text:
            self.problems.append(f"console error on {page.url}: {text}")


def shape(url: str) -> str:
    parts = urlsplit(url)
    if parts.path.startswith(("/blobs/", "/photos/")):
        return parts.path.split("/", 2)[1]  # one shape per kind of image link
    return ID.sub("/:id", parts.path) + "?" + "&".join(sorted(k for k, _ in parse_qsl(parts.query)))


def links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]", "els => els.filter(a => !a.hasAttribute('download')).map(a => a.getAttribute('href'))")
    out = []
    for href in hrefs:
        url = urljoin(page.url, href).split("#", 1)[0]
        path = urlsplit(url).path
        if not url.startswith(base) or path.endswith((".csv", ".pdf", ".xlsx", ".json")):
            continue
        if path.startswith("/console") and not path.startswith(("/console/logout", "/console/language")):
            out.append(url)
        elif path.startswith(("/photos/", "/blobs/")):
            out.append(url)
    return out


def walk(page, base: str) -> list[str]:
    """Opens every page reachable from /console by links, PER_PATTERN per URL shape."""
    queue, opened, shapes = [base + "/console"], set(), {}
    while queue and len(opened) < MAX_PAGES:
        url = queue.pop(0)
        if url in opened:
            continue
        opened.add(url)
        response = page.goto(url)
        assert response is not None, url
        assert response.status < 500, (url, response.status)
        page.wait_for_load_state("networkidle")
        if urlsplit(url).path.startswith(("/photos/", "/blobs/")):
            # An image opened on its own is shown (under its sandboxing CSP).
            assert page.evaluate("() => document.images.length === 1 && document.images[0].naturalWidth > 0"), url
            continue
        assert page.evaluate("() => getComputedStyle(document.body).fontFamily.includes('system-ui')"), \
            f"console.css did not apply on {url}"
        for link in links(page, base):
            key = shape(link)
            if link not in opened and shapes.get(key, 0) < PER_PATTERN:
                shapes[key] = shapes.get(key, 0) + 1
                queue.append(link)
    return sorted(opened)


@pytest.fixture(scope="module")
def csp_server(tmp_path_factory):
    """A server of this module's own: the field part saves and syncs a visit."""
    srv = start_server(tmp_path_factory.mktemp("rounds-e2e-csp"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def field_browser(playwright_instance, csp_server, tmp_path_factory):
    """Chromium whose fake camera shows the label of this server's first tag."""
    code = csp_server.query("select code from tag where revoked_at is null order by id")[0][0]
    video = make_qr_video(tmp_path_factory.mktemp("csp-video") / "qr.y4m", f"{csp_server.base_url}/t/{code}")
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM,
                                            args=[*CHROME_ARGS, f"--use-file-for-fake-video-capture={video}"])
    yield b
    b.close()


def test_field_app_screens_pass_the_csp(field_browser, csp_server, photo_file):
    ctx = field_browser.new_context(**context_options(csp_server))
    watch = Watch(ctx)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())  # "switch user?"
    try:
        login(page, "guard1")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
        page.screenshot(path=str(ARTIFACTS / "csp-field-home.png"))
        # The camera scanner: the fake camera plays the QR label, the worker's
        # WebAssembly decoder reads it, the checklist opens.
        page.click("#scan-btn")
        page.wait_for_selector("#checklist", timeout=30000)
        fill_checklist(page, photo_file)  # photo previews are blob: images
        page.screenshot(path=str(ARTIFACTS / "csp-field-checklist.png"), full_page=True)
        save_visit(page)
        wait_synced(page)
        page.click("#btn-report")
        page.wait_for_selector("#view form, #view textarea")
        page.screenshot(path=str(ARTIFACTS / "csp-field-incident.png"))
        page.click("#nav .btn-secondary")
        for tab in ("outbox", "me", "home"):
            page.click(f'#nav [data-tab="{tab}"]')
            page.wait_for_timeout(200)
        page.screenshot(path=str(ARTIFACTS / "csp-field-outbox-home.png"))
        # The other field roles' start screens.
        switch_users(page, FIELD_USERS[1:])
        assert not watch.problems, "\n".join(watch.problems)
    finally:
        ctx.close()


def switch_users(page, usernames: list[str]) -> None:
    for username in usernames:
        page.click('#nav [data-tab="me"]')
        page.click("#logout-btn")
        login(page, username, goto=False)
        page.click('#nav [data-tab="me"]')
        page.click('#nav [data-tab="home"]')


@pytest.mark.parametrize("username", CONSOLE_ROLES)
def test_console_pages_pass_the_csp(field_browser, csp_server, username):
    ctx = field_browser.new_context(base_url=csp_server.base_url, viewport=DESKTOP, locale="zh-CN")
    watch = Watch(ctx)
    page = ctx.new_page()
    try:
        page.goto("/console/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "rounds-demo")
        page.click("button[type=submit]")
        page.wait_for_url("**/console")
        opened = walk(page, csp_server.base_url)
        print(username, len(opened), "pages")
        assert len(opened) >= 5
        if username == "admin":
            # The "add a location" link opens its form (was an inline onclick).
            page.goto(next(u for u in opened if re.search(r"/setup/sites/\d+/locations$", u)))
            page.click("a[data-open=new-location]")
            assert page.evaluate("() => document.getElementById('new-location').open")
            page.screenshot(path=str(ARTIFACTS / "csp-console-locations.png"), full_page=True)
        if username == "supervisor1":
            # A photo and an evidence print, each opened on its own (sandboxed).
            assert any("/blobs/" in u for u in opened) and any("/photos/" in u for u in opened), opened
            # The report's print button (was an inline onclick) still prints.
            page.goto("/console/reports")
            page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
            page.click("button[data-print]")
            assert page.evaluate("() => window.__printed") == 1
            for path, name in (("/console", "today"), ("/console/review", "review")):
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(ARTIFACTS / f"csp-console-{name}.png"), full_page=True)
        assert not watch.problems, "\n".join(watch.problems)
    finally:
        ctx.close()


def test_field_app_of_console_roles_passes_the_csp(field_browser, csp_server):
    ctx = field_browser.new_context(**context_options(csp_server))
    watch = Watch(ctx)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    try:
        login(page, SPOT_CHECK_USERS[0])
        switch_users(page, SPOT_CHECK_USERS[1:])
        assert not watch.problems, "\n".join(watch.problems)
    finally:
        ctx.close()
