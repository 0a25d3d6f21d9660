from piccolo.columns import JSON, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from server.db.tables.sites import Site


class Template(Table, tablename="template"):
    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    key = Varchar(length=64)  # unique with site
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    department = Varchar(length=32, default="")
    draft_items = JSON(default="[]")  # the editable draft; published versions are frozen
    created_at = Timestamptz()


class TemplateVersion(Table, tablename="template_version"):
    """An immutable published version. Visits point at the version they used."""

    template = ForeignKey(Template, null=False, on_delete=OnDelete.restrict, index=True)
    version = Integer()  # unique with template
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200)
    items = JSON(default="[]")
    checksum = Varchar(length=64)
    published_at = Timestamptz()
    published_by = ForeignKey(LazyTableReference("User", module_path="server.db.tables.people"), null=True, on_delete=OnDelete.set_null)
