from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.db.tables.checklists import Template
from server.db.tables.people import User
from server.db.tables.sites import Location, Site


class Round(Table, tablename="round"):
    """A route of checkpoints with a schedule rule (see server/domain/schedule.py)."""

    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    key = Varchar(length=64)  # unique with site
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    kind = Varchar(length=16, default="patrol")  # self_check | patrol | spot_check | joint
    department = Varchar(length=32, default="")
    assigned_role = Varchar(length=20, default="")
    assignee = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    ordered = Boolean(default=True)
    schedule = JSON(default="{}")
    active = Boolean(default=True)
    created_at = Timestamptz()


class RoundCheckpoint(Table, tablename="round_checkpoint"):
    round = ForeignKey(Round, null=False, on_delete=OnDelete.cascade, index=True)
    location = ForeignKey(Location, null=False, on_delete=OnDelete.restrict)
    template = ForeignKey(Template, null=False, on_delete=OnDelete.restrict)
    position = Integer()  # unique with round
