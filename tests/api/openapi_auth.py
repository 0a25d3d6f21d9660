"""Schemathesis hooks for tests/api/test_openapi_conformance.py: every generated
request is signed in as the guard the way the field app is (session cookie +
X-Rounds-Client header). Loaded by `st run` through SCHEMATHESIS_HOOKS."""

from __future__ import annotations

import os

import httpx
import schemathesis

from tests.factories import PASSWORD


@schemathesis.auth(refresh_interval=None)
class GuardSession:
    """Logs in once and reuses the cookie; logs in again after the run logged out."""

    def __init__(self) -> None:
        self.cookie: str | None = None

    def get(self, case, context) -> str:
        if self.cookie is None:
            base = os.environ["ROUNDS_BASE_URL"]
            response = httpx.post(f"{base}/api/v1/session", headers={"X-Rounds-Client": "pwa"},
                                  json={"username": os.environ.get("ROUNDS_USER", "guard"), "password": PASSWORD})
            response.raise_for_status()
            self.cookie = response.cookies["session"]
        return self.cookie

    def set(self, case, data: str, context) -> None:
        case.headers = {**(case.headers or {}), "X-Rounds-Client": "pwa"}
        case.cookies = {**(case.cookies or {}), "session": data}
        if case.method.upper() in ("DELETE", "POST") and case.path == "/api/v1/session":
            self.cookie = None  # logout (or a login as someone else) ends this session
