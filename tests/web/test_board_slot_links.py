"""Each occurrence on the today board links to the visits that counted for it:
one visit opens it, several open the site's visit list filtered to that
occurrence; an occurrence nobody walked has no link."""

import re
from datetime import UTC, datetime

from server.domain import schedule
from tests.supervision_support import send_visit, user


async def test_slots_link_to_their_visits(console):
    world = console.world
    url = f"/console/sites/{world.site_a}/today"
    await console.login("supervisor")
    page = await console.client.get(url)
    assert 'class="slot-link"' not in page.text  # nobody walked it yet

    lead = await user(world, "team_lead")
    first = await send_visit(world, lead, round_id=world.round_id)
    page = await console.client.get(url)
    assert f'href="/console/visits/{first["id"]}"' in page.text

    second = await send_visit(world, lead, round_id=world.round_id)
    loose = await send_visit(world, lead)  # not part of the round
    page = await console.client.get(url, headers={"HX-Request": "true"})  # the 30 s refresh keeps the links
    key = f"{schedule.local_today(datetime.now(UTC), 'Asia/Shanghai').isoformat()}#1"
    href = f"/console/sites/{world.site_a}/visits?round={world.round_id}&amp;occurrence={key.replace('#', '%23')}"
    assert href in page.text

    listing = await console.client.get(href.replace("&amp;", "&"))
    assert listing.status_code == 200 and 'id="visits-filter"' in listing.text
    shown = {int(x) for x in re.findall(r'href="/console/visits/(\d+)"', listing.text)}
    assert shown == {first["id"], second["id"]} and loose["id"] not in shown
