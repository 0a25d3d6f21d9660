from __future__ import annotations

import pytest

from server.services.accounts import load_user
from tests.factories import build_world


@pytest.fixture
async def world(engine):
    return await build_world()


@pytest.fixture
async def admin(world):
    return await load_user(world.users["admin"])
