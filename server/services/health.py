from server.db import engine as db


async def check_database() -> None:
    """Raises if the database does not answer a trivial query."""
    await db.current().run_ddl("SELECT 1")
