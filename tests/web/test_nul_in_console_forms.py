"""A NUL character in a console form (login, a person's name) is refused with
422 nul_character before any handler runs: PostgreSQL cannot store it (it was
a 500 there), and SQLite is refused alike. Nothing is written."""

from __future__ import annotations

import re

from tests.factories import PASSWORD, row_counts


async def test_console_login_with_nul(console):
    page = await console.client.get("/console/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    before = await row_counts()
    response = await console.client.post("/console/login", data={
        "username": "admin\x00", "password": PASSWORD, "next": "/console", "_csrf_token": token},
        follow_redirects=False)
    assert response.status_code == 422, response.text[-1000:]
    assert "nul_character" in response.text
    assert await row_counts() == before


async def test_setup_form_with_nul(console):
    await console.login("admin")
    before = await row_counts()
    response = await console.post("/console/setup/people", {
        "username": "li.si", "display_name": "李\x00四", "password": "long-enough-9", "role": "cleaner"})
    assert response.status_code == 422, response.text[-1000:]
    assert "nul_character" in response.text
    assert await row_counts() == before
