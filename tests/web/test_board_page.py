"""The today board page refreshes itself through htmx: the same URL answers
an htmx request with the fragment only, and says so in Vary."""


async def test_board_fragment_for_htmx_polling(console):
    await console.login("supervisor")
    url = f"/console/sites/{console.world.site_a}/today"
    full = await console.client.get(url)
    assert full.status_code == 200
    assert 'hx-trigger="every 30s"' in full.text and "<html" in full.text
    assert "HX-Request" in full.headers["vary"]
    assert 'data-occurrence="' in full.text
    part = await console.client.get(url, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text
    assert 'data-state="' in part.text and "Team-lead round" in part.text


async def test_board_in_chinese(console):
    await console.login("supervisor")
    await console.post("/console/language", {"language": "zh-CN"}, follow_redirects=False)
    r = await console.client.get(f"/console/sites/{console.world.site_a}/today")
    assert "今日巡检" in r.text and "领班巡查" in r.text
