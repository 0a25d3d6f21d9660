"""Bodies of /api/v1/session."""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Struct, UnsetType

from server.api.schemas.common import described


class LoginBody(Struct):
    username: str
    password: str


class LanguageBody(Struct):
    # Absent: nothing changes. Another value is refused with validation_error.
    language: Annotated[str, described("The user's language", enum=["zh-CN", "en"])] | UnsetType = UNSET


class UserJson(Struct):
    id: int
    username: str
    display_name: str
    role: str
    department: str | None
    language: str
    sites: list[int]


class UserReply(Struct):
    user: UserJson
