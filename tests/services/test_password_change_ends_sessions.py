"""Every way of changing a password ends that person's sessions, and only theirs."""

import re
from pathlib import Path

import pytest

from server.db.tables import SessionRecord
from server.domain.errors import RoundsError
from server.security.session_store import DatabaseStore
from server.services import accounts, setup_people

SERVER = Path(__file__).resolve().parents[2] / "server"


async def _sign_in(store: DatabaseStore, key: str, uid: int) -> None:
    await store.set(key, b'{"uid": %d}' % uid, expires_in=600)


@pytest.mark.parametrize("path", ["cli", "console"])
async def test_a_password_change_ends_only_that_persons_sessions(world, admin, path):
    store = DatabaseStore()
    guard, cleaner = world.users["guard"], world.users["cleaner"]
    await _sign_in(store, "phone", guard)
    await _sign_in(store, "tablet", guard)
    await _sign_in(store, "other", cleaner)
    if path == "cli":
        await accounts.set_password("guard", "n3w-password")
    else:
        await setup_people.reset_password(guard, "n3w-password", actor=admin)
    assert await store.get("phone") is None and await store.get("tablet") is None
    assert await store.get("other") is not None
    assert await SessionRecord.count().where(SessionRecord.revoked.eq(True)).run() == 2


async def test_a_refused_password_changes_nothing(world):
    store = DatabaseStore()
    await _sign_in(store, "phone", world.users["guard"])
    with pytest.raises(RoundsError) as refused:
        await accounts.set_password("guard", "short")
    assert refused.value.code == "validation_error"
    assert await store.get("phone") is not None


def test_password_hashes_are_written_in_one_place():
    """New paths must go through accounts.replace_password, which ends sessions."""
    writers = [str(p.relative_to(SERVER)) for p in SERVER.rglob("*.py")
               if re.search(r"User\.update\(\{[^}]*User\.password_hash", p.read_text())]
    assert writers == ["services/accounts.py"]
