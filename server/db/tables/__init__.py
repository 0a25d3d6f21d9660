"""All tables, grouped by concept; re-exported so callers write
`from server.db.tables import Visit`."""

from server.db.tables.audit import AuditLog
from server.db.tables.checklists import Template, TemplateVersion
from server.db.tables.people import LoginAttempt, Membership, SessionRecord, User
from server.db.tables.rounds import Round, RoundCheckpoint
from server.db.tables.sites import Location, Site, Tag
from server.db.tables.supervision import (
    DeviceSeen,
    FindingEvent,
    ReportSignoff,
    Review,
    SpotCheckAssignment,
)
from server.db.tables.visits import Answer, Finding, Incident, Photo, Visit

ALL_TABLES = [
    Site,
    User,
    Membership,
    SessionRecord,
    LoginAttempt,
    Location,
    Tag,
    Template,
    TemplateVersion,
    Round,
    RoundCheckpoint,
    Visit,
    Answer,
    Photo,
    Finding,
    Incident,
    AuditLog,
    DeviceSeen,
    Review,
    FindingEvent,
    SpotCheckAssignment,
    ReportSignoff,
]

__all__ = [t.__name__ for t in ALL_TABLES] + ["ALL_TABLES"]
