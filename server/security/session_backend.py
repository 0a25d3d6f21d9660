"""The session middleware's backend: which session id a response carries and
whether anything is written.

Litestar's stock server-side backend reuses whatever id the client's cookie
names, even one with no row behind it (so a planted `session=<id>` survives
login, and a revoked id is "logged in again" into a tombstone the store will
never overwrite), and it stores an empty session for every anonymous request.
Here:
- an id is only ever reused when it named a live row on this request;
- a login (`begin_session`), or any change of the signed-in user, moves the
  data to a new server-generated id;
- an empty session is never stored and sets no cookie;
- an id given up (logout, login) is revoked, not deleted, so a request of it
  still in flight can neither write it back (see session_store.py) nor hand
  its cookie to the browser again."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from server.services.sessions import SESSION_USER_KEY

# Private keys in the ASGI scope (shared by the middleware and the request).
_LIVE_ID = "rounds.session_live_id"  # the cookie's id, only if it named a live row
_LOADED_UID = "rounds.session_loaded_uid"  # the user id that row held
_ROTATE = "rounds.session_rotate"


def begin_session(connection: ASGIConnection, user_id: int) -> None:
    """Sign `user_id` in on this client under a fresh session id: whatever id
    the client sent (planted, revoked, or its own) is not carried over."""
    connection.scope[_ROTATE] = True  # type: ignore[literal-required]
    connection.set_session({SESSION_USER_KEY: user_id})


def live_session_user(connection: ASGIConnection) -> int | None:
    """The user of the live session this request presented, if any."""
    uid = connection.scope.get(_LOADED_UID)  # type: ignore[misc]
    return uid if isinstance(uid, int) and not isinstance(uid, bool) else None


class RotatingSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        scope: Any = connection.scope
        scope[_LIVE_ID] = scope[_LOADED_UID] = None
        session_id = connection.cookies.get(self.config.key)
        if not session_id:
            return {}
        data = await self.get(session_id, store=self.config.get_store_from_app(scope["app"]))
        if data is None:
            return {}
        session = self.deserialize_data(data)
        scope[_LIVE_ID] = session_id
        scope[_LOADED_UID] = session.get(SESSION_USER_KEY)
        return session

    async def delete(self, session_id: str, store: Store) -> None:
        revoke = getattr(store, "revoke", None)
        await (revoke(session_id) if revoke else store.delete(session_id))

    def get_session_id(self, connection: ASGIConnection) -> str:
        # What request.get_session_id() reports: the live id or, for a client
        # without one, an id generated now (used only if something is stored).
        live = connection.scope.get(_LIVE_ID)  # type: ignore[misc]
        if live:
            return live
        return connection.get_session_id() or self.generate_session_id()

    async def store_in_message(self, scope_session: ScopeSession, message: Message,
                               connection: ASGIConnection) -> None:
        scope: Any = connection.scope
        store = self.config.get_store_from_app(scope["app"])
        headers = MutableScopeHeaders.from_message(message)
        cookie_params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        live: str | None = scope.get(_LIVE_ID)

        if scope_session is Empty or not scope_session:
            if live:
                await self.delete(live, store=store)
            if scope_session is Empty or live:
                # A logout (or a session emptied by the handler): forget the
                # cookie. Nothing is written for an anonymous request.
                headers.add("Set-Cookie", Cookie(value="null", key=self.config.key, expires=0,
                                                 **cookie_params).to_header(header=""))
            return

        session_id = live
        changed_user = scope_session.get(SESSION_USER_KEY) != scope.get(_LOADED_UID)
        fresh = session_id is None or scope.get(_ROTATE) or changed_user
        if fresh:
            if session_id is not None:
                await self.delete(session_id, store=store)
            session_id = self.generate_session_id()
        expires_in = int(self.config.max_age)
        stored = await store.set(session_id, self.serialize_data(scope_session, scope), expires_in=expires_in)
        # A kept id's cookie is re-sent only when its row was renewed: a request
        # of an id given up meanwhile (another request logged in again) must
        # not put the dead id back into the browser over the new one.
        if fresh or stored is not False:
            headers.add("Set-Cookie",
                        Cookie(value=session_id, key=self.config.key, **cookie_params).to_header(header=""))


class SessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
