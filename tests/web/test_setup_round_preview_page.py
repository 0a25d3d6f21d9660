"""The round editor's live preview (htmx) renders monthly and every-N-minutes
rules as typed, and refuses a malformed one with its code."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


async def test_the_preview_page_renders_both_rules_as_typed(console):
    await console.login("admin")
    a = console.world.site_a
    hx = {"HX-Request": "true"}
    monthly = await console.post(f"/console/setup/sites/{a}/rounds/preview",
                                 {"type": "monthly", "days": "1, 15", "windows": "09:00-10:00"}, headers=hx)
    assert monthly.status_code == 200 and 'id="preview-week"' in monthly.text
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    due = [today + timedelta(days=n) for n in range(7) if (today + timedelta(days=n)).day in (1, 15)]
    assert monthly.text.count('data-start="09:00"') == len(due)
    for day in due:
        assert f'data-key="{day.isoformat()}#1"' in monthly.text
    every = await console.post(f"/console/setup/sites/{a}/rounds/preview",
                               {"type": "every", "every_minutes": "60", "from": "08:00", "to": "12:00",
                                "window_minutes": "20"}, headers=hx)
    assert every.text.count('data-start="') == 7 * 4  # 08, 09, 10, 11 each day
    assert every.text.count('data-start="11:00" data-end="11:20"') == 7
    bad = await console.post(f"/console/setup/sites/{a}/rounds/preview",
                             {"type": "monthly", "days": "1st", "windows": "09:00-10:00"}, headers=hx)
    assert 'data-code="invalid_schedule"' in bad.text
