from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table


class Site(Table, tablename="site"):
    code = Varchar(length=64, unique=True)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    timezone = Varchar(length=64, default="Asia/Shanghai")
    address_zh = Varchar(length=300, default="")
    address_en = Varchar(length=300, default="")
    active = Boolean(default=True)
    created_at = Timestamptz()


class Location(Table, tablename="location"):
    """A node of the site's location tree: building / floor / zone / point."""

    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    parent = ForeignKey("self", null=True, on_delete=OnDelete.restrict, index=True)
    key = Varchar(length=64)  # stable per site, for import/export; unique with site
    kind = Varchar(length=16)  # building | floor | zone | point
    type = Varchar(length=32, default="")  # toilet, lobby, fire_stair, ...
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    department = Varchar(length=32, default="")
    responsible = ForeignKey(LazyTableReference("User", module_path="server.db.tables.people"), null=True, on_delete=OnDelete.set_null)
    # The checklist filled at this point when it is scanned outside a round.
    template = ForeignKey(LazyTableReference("Template", module_path="server.db.tables.checklists"), null=True, on_delete=OnDelete.set_null)
    position = Integer(default=0)
    retired_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class Tag(Table, tablename="tag"):
    """A printed QR label. `code` goes in the URL, `short_code` is typed."""

    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    location = ForeignKey(Location, null=False, on_delete=OnDelete.restrict, index=True)
    code = Varchar(length=40, unique=True)
    short_code = Varchar(length=8, unique=True)
    batch = Varchar(length=64, default="")
    issued_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    revoked_reason = Varchar(length=200, default="")
