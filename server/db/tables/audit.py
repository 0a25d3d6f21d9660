from piccolo.columns import JSON, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.db.tables.people import User
from server.db.tables.sites import Site


class AuditLog(Table, tablename="audit_log"):
    """Append-only: database triggers refuse UPDATE and DELETE (see migrations)."""

    at = Timestamptz(index=True)
    actor = ForeignKey(User, null=True, on_delete=OnDelete.restrict)
    site = ForeignKey(Site, null=True, on_delete=OnDelete.restrict, index=True)
    action = Varchar(length=64)
    object_type = Varchar(length=32, default="")
    object_id = Varchar(length=64, default="")
    detail = JSON(default="{}")
