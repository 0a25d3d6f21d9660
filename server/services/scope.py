"""The checks every supervision service starts with: a console role allowed
to do this, on a site the user belongs to."""

from __future__ import annotations

from server.domain.errors import RoundsError
from server.domain.supervision_rules import may
from server.services.accounts import CurrentUser


def require(user: CurrentUser, action: str, site_id: int | None = None) -> None:
    if not may(user.role, action):
        raise RoundsError("forbidden", {"action": action})
    if site_id is not None and site_id not in user.site_ids:
        raise RoundsError("site_forbidden", {"site_id": site_id})


def require_record(user: CurrentUser, action: str, record_site: int) -> None:
    """For a record named by its id (a visit, a finding, a spot check): one of
    another site answers exactly like an id that does not exist, so ids cannot
    be probed across sites."""
    if not may(user.role, action):
        raise RoundsError("forbidden", {"action": action})
    if record_site not in user.site_ids:
        raise RoundsError("not_found")
