"""Console: a finding's fix gets a UUID (the phone's idempotency key, and what
the fix's photos point at), with the phone's device time and id; photos get
the fix they belong to."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "fixes from the phone: finding_event.client_uuid, photo.fix_uuid"


def _params(**extra) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False,
        "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False,
        **extra,
    }


COLUMNS = [
    ("FindingEvent", "finding_event", "client_uuid", UUID, _params(default=None, null=True)),
    ("FindingEvent", "finding_event", "fingerprint", Varchar, _params(length=64, default="")),
    ("FindingEvent", "finding_event", "occurred_at", Timestamptz, _params(default=None, null=True)),
    ("FindingEvent", "finding_event", "device_id", Varchar, _params(length=64, default="")),
    ("Photo", "photo", "fix_uuid", UUID, _params(default=None, null=True, index=True)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    for class_name, table, column, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name=class_name, tablename=table, column_name=column, db_column_name=column,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    return manager
