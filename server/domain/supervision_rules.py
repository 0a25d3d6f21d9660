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


def may(role: str, action: str) -> bool:
    return role in ACTIONS.get(action, ())


def sees_department(role: str, user_department: str, department: str) -> bool:
    """Team leads see their own department's rounds and places (and those with
    no department); every other console role sees across departments."""
    if role != "team_lead":
        return True
    return not department or not user_department or department == user_department
