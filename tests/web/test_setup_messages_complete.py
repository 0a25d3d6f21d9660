"""Every string of the setup pages exists in English and Chinese."""

import re
from pathlib import Path

import server.web
from server.domain import checklist, schedule
from server.domain.label_layout import LAYOUTS
from server.i18n import MESSAGES
from server.i18n.messages_setup import MESSAGES as SETUP

TEMPLATES = Path(server.web.__file__).parent / "templates" / "setup"


def test_every_key_used_by_a_setup_page_is_translated():
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""_\(["']([a-z_.0-9-]+)["']""", path.read_text(encoding="utf-8")))
    used |= {f"setup.kind.{k}" for k in checklist.KINDS} | {f"setup.schedule.{t}" for t in schedule.TYPES}
    used |= {f"setup.layout.{name}" for name in LAYOUTS} | {f"setup.weekday.{d}" for d in range(7)}
    used |= {f"setup.tab.{t}" for t in ("locations", "labels", "templates", "rounds", "site")}
    missing = sorted(k for k in used if not k.endswith(".") and k not in MESSAGES)
    assert missing == []
    for key, (en, zh) in SETUP.items():
        assert en.strip() and zh.strip(), key
