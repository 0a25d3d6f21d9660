"""Who sees which supervision page: field roles none, team leads not the
reports, nobody another site's pages; every page renders for a supervisor."""

import pytest

PAGES = ["/console/sites/{a}/today", "/console/sites/{a}/visits", "/console/review", "/console/findings",
         "/console/spot-checks", "/console/reports"]


async def test_every_page_renders_for_a_supervisor(console):
    await console.login("supervisor")
    for path in PAGES:
        r = await console.client.get(path.format(a=console.world.site_a))
        assert r.status_code == 200, (path, r.text[:300])
        assert "<html" in r.text


@pytest.mark.parametrize("role", ["guard", "cleaner", "technician"])
async def test_field_roles_see_no_console_page(console, role):
    await console.login(role)
    for path in PAGES:
        r = await console.client.get(path.format(a=console.world.site_a), follow_redirects=False)
        assert r.status_code == 403, path


async def test_another_sites_pages_are_refused(console):
    await console.login("supervisor")
    b = console.world.site_b
    for path in (f"/console/sites/{b}/today", f"/console/sites/{b}/visits", f"/console/review?site={b}",
                 f"/console/findings?site={b}", f"/console/reports?site={b}", f"/console/reports/{b}/2026-11-21/csv"):
        r = await console.client.get(path)
        assert r.status_code == 403, path
        assert "site_forbidden" in r.text


async def test_team_lead_and_inspector_limits(console):
    await console.login("team_lead")
    assert (await console.client.get("/console/reports")).status_code == 403
    assert (await console.client.get("/console/spot-checks")).status_code == 403
    assert (await console.client.get(f"/console/sites/{console.world.site_a}/today")).status_code == 200
    await console.login("inspector")
    assert (await console.client.get("/console/reports")).status_code == 403
    assert (await console.client.get("/console/spot-checks")).status_code == 200


async def test_not_logged_in_goes_to_login(console):
    console.client.cookies.clear()
    r = await console.client.get("/console/review", follow_redirects=False)
    assert r.status_code in (302, 303) and "/console/login" in r.headers["location"]
