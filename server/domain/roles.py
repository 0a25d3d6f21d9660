"""Roles and what each may do. Site scoping (membership) is checked by services;
this module says which role may do which kind of thing."""

from __future__ import annotations

FIELD_ROLES = ("guard", "cleaner", "technician")
ROLES = (
    "guard",
    "cleaner",
    "technician",
    "team_lead",
    "inspector",
    "supervisor",
    "manager",
    "admin",
)
ROLE_NAMES = {
    "guard": ("Guard", "保安"),
    "cleaner": ("Cleaner", "保洁员"),
    "technician": ("Technician", "工程维修"),
    "team_lead": ("Team lead", "领班"),
    "inspector": ("Inspector", "客服稽核"),
    "supervisor": ("Supervisor", "主管"),
    "manager": ("Manager", "经理"),
    "admin": ("Administrator", "管理员"),
}

VISIT_KINDS = ("self_check", "patrol", "spot_check", "joint")
VISIT_KIND_NAMES = {
    "self_check": ("Self-check", "自查"),
    "patrol": ("Patrol", "巡查"),
    "spot_check": ("Spot check", "抽查"),
    "joint": ("Joint inspection", "联合检查"),
}

# Who may record which kind of visit. A spot check is an audit of someone
# else's work, so field staff cannot file one.
_KINDS_BY_ROLE = {
    "guard": {"self_check", "patrol"},
    "cleaner": {"self_check", "patrol"},
    "technician": {"self_check", "patrol"},
    "team_lead": {"self_check", "patrol", "joint"},
    "inspector": {"self_check", "patrol", "spot_check", "joint"},
    "supervisor": {"self_check", "patrol", "spot_check", "joint"},
    "manager": {"patrol", "spot_check", "joint"},
    "admin": {"self_check", "patrol", "spot_check", "joint"},
}

CONSOLE_ROLES = ("team_lead", "inspector", "supervisor", "manager", "admin")


def is_role(role: str) -> bool:
    return role in ROLES


def may_record(role: str, kind: str) -> bool:
    return kind in _KINDS_BY_ROLE.get(role, set())


def sees_all_departments(role: str) -> bool:
    return role in ("inspector", "supervisor", "manager", "admin")
