"""Every setup page renders in Simplified Chinese for an admin who reads
Chinese: the page's own words are there and no message key leaks through."""

import re

from server.db.tables import Template, User

KEY = re.compile(r"\b(setup|nav|common|review|flag)\.[a-z_]+(\.[a-z_0-9]+)*\b")


def _visible(html: str) -> str:
    """The text a reader sees: no tags, no attribute values, no script or style."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


async def test_setup_pages_render_in_chinese(console):
    w = console.world
    await User.update({User.language: "zh-CN"}).where(User.id == w.users["admin"]).run()
    await console.login("admin")
    a = w.site_a
    tid = (await Template.select(Template.id).where(Template.site == a).first().run())["id"]
    pages = {
        "/console/setup": ["项目设置", "项目"],
        f"/console/setup/sites/{a}": ["项目信息", "时区"],
        f"/console/setup/sites/{a}/locations": ["位置", "层级"],
        f"/console/setup/sites/{a}/locations/{w.locations['a_toilet']}": ["所属上级", "责任人"],
        f"/console/setup/sites/{a}/locations/import": ["CSV 文件", "检查文件"],
        f"/console/setup/sites/{a}/labels": ["二维码标签"],
        f"/console/setup/sites/{a}/templates": ["检查表"],
        f"/console/setup/sites/{a}/templates/{tid}": ["已发布版本"],
        f"/console/setup/sites/{a}/rounds": ["巡检路线"],
        f"/console/setup/sites/{a}/rounds/{w.round_id}": ["巡检路线", "领班巡查"],
        "/console/setup/people": ["用户名"],
        f"/console/setup/people/{w.users['guard']}": ["角色"],
        "/console/setup/import": ["导入项目", "重新生成标签编码"],
    }
    for url, words in pages.items():
        response = await console.client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-CN">' in response.text, url
        text = _visible(response.text)
        for word in words:
            assert word in text, (url, word)
        leaked = [m.group(0) for m in KEY.finditer(text)]
        assert leaked == [], (url, leaked)
    # a refusal reads Chinese as well, down to the field's reason
    bad = await console.post(f"/console/setup/sites/{a}/locations", {"key": "bad key!", "kind": "zone", "name_zh": "区"})
    assert bad.status_code == 422 and "部分字段无效" in bad.text and "字母、数字" in _visible(bad.text)
