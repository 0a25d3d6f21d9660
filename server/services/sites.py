"""Sites as a signed-in user sees them."""

from server.db.tables import Site
from server.services.accounts import CurrentUser


async def sites_of(user: CurrentUser) -> list[dict]:
    if not user.site_ids:
        return []
    return await Site.select().where(Site.id.is_in(sorted(user.site_ids))).order_by(Site.id).run()
