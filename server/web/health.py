from litestar import get

from server.services.health import check_database


@get("/healthz", include_in_schema=False)
async def healthz() -> dict:
    """For load balancers and deployment checks: 200 only when the database answers."""
    await check_database()
    return {"ok": True}
