"""The console templates and the field app's shell hold nothing the CSP blocks:
no inline <script> or <style>, no on…= handlers, no style= attributes, no
javascript: links, no htmx attributes that need eval (hx-on, js: values)."""

from __future__ import annotations

import re

from server.settings import ROOT

FILES = sorted((ROOT / "server" / "web" / "templates").rglob("*.html")) + [ROOT / "pwa" / "index.html"]
BLOCKED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on (needs eval)": re.compile(r"\b(hx|data-hx)-on", re.I),
    "js: value (needs eval)": re.compile(r"hx-(vals|vars)\s*=\s*['\"]\s*js:", re.I),
}


def test_templates_and_shell_have_no_inline_code():
    assert len(FILES) > 20
    found = []
    for path in FILES:
        text = path.read_text()
        for what, pattern in BLOCKED.items():
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_htmx_does_not_inject_its_indicator_style():
    base = (ROOT / "server" / "web" / "templates" / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
