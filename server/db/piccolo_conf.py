"""Piccolo's configuration module (PICCOLO_CONF points here).

`DB` starts as a placeholder that fails loudly; server.db.engine.use_database()
replaces it with the engine chosen by DATABASE_URL and rebinds every table."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.sqlite import SQLiteEngine

DB = SQLiteEngine(path="/nonexistent/rounds-database-not-configured.sqlite3")

APP_REGISTRY = AppRegistry(apps=["server.db.piccolo_app"])
