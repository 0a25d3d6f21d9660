"""The one reading of DATABASE_URL, shared by settings, the engine, the CLI,
benches and tests. Pure: no I/O, no environment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

SQLITE_PREFIX = "sqlite:///"
POSTGRES_SCHEMES = ("postgres", "postgresql")


class DatabaseUrlError(ValueError):
    """One line, naming DATABASE_URL, with any password masked."""


@dataclass(frozen=True)
class DatabaseUrl:
    url: str
    kind: str  # "sqlite" | "postgres"
    sqlite_path: Path | None = None  # relative paths stay relative (to the working directory)

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"


def masked_url(url: str) -> str:
    """The URL with any password replaced, for messages."""
    try:
        password = urlparse(url).password
    except ValueError:
        return url
    if password:
        return url.replace(f":{password}@", ":***@", 1)
    return url


def parse_database_url(raw: str) -> DatabaseUrl:
    """sqlite:///relative/path, sqlite:////absolute/path, postgres[ql]://... —
    anything else is refused rather than taken for a file name."""
    if not isinstance(raw, str) or not raw.strip():
        raise DatabaseUrlError("DATABASE_URL is empty")
    raw = raw.strip()
    scheme = raw.split(":", 1)[0].lower() if ":" in raw else ""
    if scheme == "sqlite":
        if not raw.startswith(SQLITE_PREFIX):
            raise DatabaseUrlError(f"DATABASE_URL for SQLite must start with sqlite:/// (three slashes), got {raw!r}")
        # Everything after the third slash is the path: "sqlite:///var/x" is the
        # relative var/x, "sqlite:////srv/x" the absolute /srv/x.
        rest = raw[len(SQLITE_PREFIX):]
        if "?" in rest or "#" in rest:
            raise DatabaseUrlError(f"DATABASE_URL for SQLite takes no options, got {raw!r}")
        if not rest or rest == "/" or rest.endswith("/"):
            raise DatabaseUrlError(f"DATABASE_URL has no file path: {raw!r}")
        return DatabaseUrl(url=raw, kind="sqlite", sqlite_path=Path(rest))
    if scheme in POSTGRES_SCHEMES:
        shown = masked_url(raw)
        try:
            parsed = urlparse(raw)
            parsed.port  # noqa: B018  (raises on a port that is not a number or out of range)
        except ValueError:
            raise DatabaseUrlError(f"DATABASE_URL has a bad port: {shown!r}") from None
        if not parsed.hostname and "host=" not in (parsed.query or ""):
            raise DatabaseUrlError(f"DATABASE_URL has no host: {shown!r}")
        if not parsed.path.strip("/") and "dbname=" not in (parsed.query or ""):
            raise DatabaseUrlError(f"DATABASE_URL names no database: {shown!r}")
        return DatabaseUrl(url=raw, kind="postgres")
    raise DatabaseUrlError(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, got {masked_url(raw)!r}")
