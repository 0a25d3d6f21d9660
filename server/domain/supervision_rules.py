"""Who may do what on the supervision console. Site membership is checked by
services; this module only knows roles."""

from __future__ import annotations

ACTIONS: dict[str, tuple[str, ...]] = {
    "board.view": ("team_lead", "inspector", "supervisor", "manager", "admin"),
    "visit.view": ("team_lead", "inspector", "supervisor", "manager", "admin"),
    "review.decide": ("team_lead", "inspector", "supervisor", "manager", "admin"),
    "finding.view": ("team_lead", "inspector", "supervisor", "manager", "admin"),
    "finding.act": ("team_lead", "supervisor", "manager", "admin"),
    "spot_check.own": ("inspector", "supervisor"),
    "spot_check.view_all": ("supervisor", "manager", "admin"),
    "report.view": ("supervisor", "manager", "admin"),
    "report.sign": ("supervisor",),
    "report.countersign": ("manager",),
}


# Who may re-inspect (复查) a rectification: team leads, inspectors and their
# superiors. A field worker's later visit there, or the owner's own, is not a
# re-inspection: it is recorded but decides nothing.
REINSPECTOR_ROLES = ("team_lead", "inspector", "supervisor", "manager")


def may_reinspect(role: str, user_id: int, owner_id: int | None) -> bool:
    """Nobody re-inspects their own fix."""
    return role in REINSPECTOR_ROLES and user_id != owner_id


def may(role: str, action: str) -> bool:
    return role in ACTIONS.get(action, ())


def sees_department(role: str, user_department: str, department: str) -> bool:
    """Team leads see their own department's rounds and places (and those with
    no department); every other console role sees across departments."""
    if role != "team_lead":
        return True
    return not department or not user_department or department == user_department
