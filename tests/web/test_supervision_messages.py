"""Every message key the supervision templates use exists in English and
Chinese (a missing key would show the key itself)."""

import re
from pathlib import Path

from server.domain import compliance, integrity
from server.domain.submission import INCIDENT_KINDS
from server.i18n.catalog import MESSAGES
from server.services.review import REASONS

TEMPLATES = Path(__file__).resolve().parents[2] / "server" / "web" / "templates" / "supervision"


def test_literal_keys_exist_in_both_languages():
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'_\("([a-z_.]+)"', path.read_text(encoding="utf-8")))
    used = {k for k in used if not k.endswith(".")}  # prefixes of dynamic keys, checked below
    missing = sorted(k for k in used if k not in MESSAGES)
    assert missing == []
    assert all(all(MESSAGES[k]) for k in used)


def test_dynamic_keys_exist():
    keys = [f"state.{s}" for s in compliance.STATES]
    keys += [f"findings.status.{s}" for s in ("open", "rectifying", "fixed", "closed")]
    keys += [f"findings.event.{k}" for k in ("fixed_on_spot", "rectification", "fix_submitted", "reinspection",
                                             "field_check")]
    keys += [f"findings.stage.{k}" for k in ("to_fix", "fix_submitted", "reinspection_failed")]
    keys += [f"flag.{f}" for f in integrity.FLAGS]
    keys += [f"incident.kind.{k}" for k in INCIDENT_KINDS]
    keys += [f"report.stage.{k}" for k in ("signed", "countersigned")]
    keys += [f"kind.{k}" for k in ("self_check", "patrol", "spot_check", "joint")]
    keys += [f"spot.outcome.{o}" for o in ("", "agree", "disagree")]
    keys += [f"review.verdict.{v}" for v in ("approved", "rejected")]
    keys += [f"sup.role.{r}" for r in ("guard", "cleaner", "technician", "team_lead", "inspector", "supervisor",
                                       "manager", "admin")]
    assert [k for k in keys if k not in MESSAGES] == []
    assert all(en and zh for en, zh in REASONS.values())


async def test_every_report_total_has_a_label(engine):
    from datetime import UTC, datetime

    from server.domain import schedule
    from server.services import reports
    from tests.factories import build_world
    from tests.supervision_support import SECRET, user

    world = await build_world()
    day = schedule.local_today(datetime.now(UTC), "Asia/Shanghai")
    r = await reports.daily_report(await user(world, "supervisor"), world.site_a, day, secret=SECRET)
    assert [k for k in r["totals"] if f"report.total.{k}" not in MESSAGES] == []
