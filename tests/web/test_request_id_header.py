"""Every response carries X-Request-ID: a new id by default; a sane id from a
trusted proxy (TRUST_REQUEST_ID) is kept; anything else is replaced."""

import dataclasses

import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app


async def _ids(settings, sent: str | None, path: str = "/healthz") -> tuple[str, str]:
    headers = {"X-Request-ID": sent} if sent is not None else {}
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        first = await client.get(path, headers=headers)
        second = await client.get(path, headers=headers)
    return first.headers["x-request-id"], second.headers["x-request-id"]


async def test_each_request_gets_a_new_id(settings):
    first, second = await _ids(settings, None)
    assert first != second and len(first) >= 16


async def test_a_404_carries_one_too(settings):
    first, _ = await _ids(settings, None, "/no/such/page")
    assert first


async def test_an_incoming_id_is_ignored_unless_trusted(settings):
    first, _ = await _ids(settings, "proxy-id-0123456789")
    assert first != "proxy-id-0123456789"


async def test_a_trusted_proxys_sane_id_is_kept(settings):
    trusted = dataclasses.replace(settings, trust_request_id=True)
    assert await _ids(trusted, "proxy-id-0123456789") == ("proxy-id-0123456789", "proxy-id-0123456789")


@pytest.mark.parametrize("sent", ["short", "x" * 200, "has space 12345678", "quote\"d-12345678", "a=b;c=d-12345"])
async def test_an_insane_id_is_replaced_even_when_trusted(settings, sent):
    trusted = dataclasses.replace(settings, trust_request_id=True)
    first, _ = await _ids(trusted, sent)
    assert first != sent and len(first) == 32
