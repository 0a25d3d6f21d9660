"""Only admins edit setup, and only for their own sites."""

import pytest

PAGES = ["/console/setup", "/console/setup/people", "/console/setup/import", "/console/setup/sites/{a}/locations",
         "/console/setup/sites/{a}/labels", "/console/setup/sites/{a}/templates", "/console/setup/sites/{a}/rounds",
         "/console/setup/sites/{a}/export.json", "/console/setup/sites/{a}/locations.csv"]
POSTS = [("/console/setup/sites", {"code": "evil", "name_zh": "x"}),
         ("/console/setup/sites/{a}/locations", {"key": "x", "kind": "zone", "name_zh": "x"}),
         ("/console/setup/sites/{a}/labels/revoke-batch", {"batch": "", "reason": "x"}),
         ("/console/setup/sites/{a}/templates/library/toilet", {}),
         ("/console/setup/people", {"username": "evil", "password": "long-enough", "role": "admin"})]


@pytest.mark.parametrize("role", ["supervisor", "manager", "team_lead"])
async def test_console_roles_other_than_admin_are_refused(console, role):
    await console.login(role)
    a = console.world.site_a
    for url in PAGES:
        response = await console.client.get(url.format(a=a))
        assert response.status_code == 403, url
    for url, data in POSTS:
        response = await console.post(url.format(a=a), data)
        assert response.status_code == 403, url
        assert "forbidden" in response.text


async def test_an_admin_cannot_touch_a_site_they_are_not_a_member_of(console):
    await console.login("admin")
    b = console.world.site_b
    assert (await console.client.get(f"/console/setup/sites/{b}/locations")).status_code == 403
    response = await console.post(f"/console/setup/sites/{b}/locations", {"key": "x", "kind": "zone", "name_zh": "x"})
    assert response.status_code == 403
    assert (await console.client.get(f"/console/setup/sites/{console.world.site_a}/locations")).status_code == 200


async def test_anonymous_visitors_go_to_the_login_page(console):
    response = await console.client.get("/console/setup", follow_redirects=False)
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/console/login")
