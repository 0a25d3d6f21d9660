"""Photos: the perceptual hash cut in four indexed 16-bit quarters, so the
near-copy lookup at every upload (server/services/photos.py) reads the few
photos that share a quarter-neighbourhood instead of every recent photo.
Existing rows are filled in by the next migration (Piccolo runs raw SQL
before column changes within one migration)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "photos: phash quarters for near-copy lookup"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    for k in range(4):
        manager.add_column(
            table_class_name="Photo",
            tablename="photo",
            column_name=f"phash_q{k}",
            db_column_name=f"phash_q{k}",
            column_class_name="Integer",
            column_class=Integer,
            params={
                "default": None,
                "null": True,
                "primary_key": False,
                "unique": False,
                "index": True,
                "index_method": IndexMethod.btree,
                "choices": None,
                "db_column_name": None,
                "secret": False,
            },
            schema=None,
        )
    return manager
