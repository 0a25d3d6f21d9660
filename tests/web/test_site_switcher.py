"""Review, spot checks, reports and findings offer a site switcher to someone
with several sites (and only then); switching shows the other site."""

from datetime import UTC, datetime

from server.db.tables import Membership


async def test_switcher_for_several_sites_only(console):
    world = console.world
    pages = ["/console/review", "/console/spot-checks", "/console/reports", "/console/findings"]
    await console.login("supervisor")
    for path in pages:
        r = await console.client.get(path)
        assert r.status_code == 200 and 'id="site-switch"' not in r.text, path

    await Membership.insert(Membership(user=world.users["supervisor"], site=world.site_b,
                                       created_at=datetime.now(UTC))).run()
    for path in pages:
        r = await console.client.get(path)
        assert 'id="site-switch"' in r.text, path
        assert "Alpha Tower" in r.text and "Beta Tower" in r.text
        other = await console.client.get(f"{path}?site={world.site_b}")
        assert other.status_code == 200 and f'<option value="{world.site_b}" selected>' in other.text, path
    r = await console.client.get(f"/console/reports?site={world.site_b}&day=2026-11-20")
    assert '<input type="hidden" name="day" value="2026-11-20">' in r.text  # the switcher keeps the day
