"""Visit detail."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from server.services.accounts import CurrentUser
from server.services.review import REASONS
from server.services.visit_detail import visit_detail
from server.settings import Settings
from server.storage.base import BlobStore
from server.web.supervision.common import local, render


@get("/console/visits/{visit_id:int}", include_in_schema=False)
async def visit_page(request: Request, visit_id: FromPath[int], console_user: NamedDependency[CurrentUser],
                     store: NamedDependency[BlobStore], settings: NamedDependency[Settings]) -> Template:
    d = await visit_detail(console_user, visit_id, store, secret=settings.secret_key)
    return render(request, "supervision/visit.html", console_user, "nav.today", d=d, local=local(d["zone"]),
                  reasons=REASONS)
