from piccolo.conf.apps import AppConfig

from server.db.tables import ALL_TABLES
from server.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=str(ROOT / "migrations" / "core"),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
