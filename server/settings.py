"""All configuration, read from the environment once. Nothing else in server/
reads os.environ. A wrong value stops start-up with one line naming the variable."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.domain.client_address import parse_networks
from server.lib.database_url import DatabaseUrlError, masked_url, parse_database_url
from server.logs import LOG_FORMATS, LOG_LEVELS

__all__ = ["masked_url"]  # re-exported: callers format URLs for messages from here

ROOT = Path(__file__).resolve().parent.parent

LANGUAGES = ("zh-CN", "en")
CHECKSUM_MODES = ("when_required", "when_supported")


class SettingsError(ValueError):
    """Raised with a one-line message that names the offending variable."""


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    storage_url: str
    secret_key: str
    base_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    default_language: str = "zh-CN"
    default_timezone: str = "Asia/Shanghai"
    max_photo_bytes: int = 15 * 1024 * 1024
    max_body_bytes: int = 2 * 1024 * 1024
    max_image_pixels: int = 50_000_000
    photo_workers: int = 2  # photos decoded at once per process (each holds a decoded image)
    web_workers: int = 1  # `rounds serve` worker processes
    session_days: int = 14
    db_pool_size: int = 10  # PostgreSQL only; 0 opens a connection per query
    login_attempts: int = 10
    login_window_seconds: int = 900
    # The today board's benefit of the doubt for silent phones (domain/compliance.py).
    pending_sync_lead_hours: int = 12
    pending_sync_cutoff_hours: int = 12
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    cookie_secure: bool = False
    log_level: str = "INFO"
    log_format: str = "console"  # "json": one JSON object per line
    trust_request_id: bool = False  # keep a proxy's X-Request-ID instead of making one
    # Reverse proxies whose X-Forwarded-For is believed (server/domain/client_address.py),
    # as normalised networks ("10.0.0.1/32"): plain strings, as Settings is injected.
    trusted_proxies: tuple[str, ...] = ()
    hsts_seconds: int = 0  # Strict-Transport-Security max-age; only with an https BASE_URL
    extra: dict[str, str] = field(default_factory=dict)
    # DATABASE_URL was given: not the default embedded database (`demo --if-empty` refuses it).
    database_url_set: bool = False

    @property
    def is_postgres(self) -> bool:
        return parse_database_url(self.database_url).is_postgres

    @property
    def sqlite_path(self) -> Path | None:
        return parse_database_url(self.database_url).sqlite_path


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...], upper: bool = False) -> str:
    raw = (env.get(name) or "").strip()
    value = (raw.upper() if upper else raw.lower()) or default
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _var_dir(env: Mapping[str, str]) -> Path:
    var_dir = Path(env.get("VAR_DIR") or ROOT / "var").resolve()
    try:
        var_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingsError(f"VAR_DIR cannot be created: {var_dir} ({exc.strerror or exc})") from None
    if not os.access(var_dir, os.W_OK | os.X_OK):
        raise SettingsError(f"VAR_DIR is not writable: {var_dir}")
    return var_dir


def _database_url(env: Mapping[str, str], var_dir: Path) -> str:
    raw = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'rounds.sqlite3'}"
    try:
        return parse_database_url(raw).url
    except DatabaseUrlError as exc:
        raise SettingsError(str(exc)) from None


def _storage_url(env: Mapping[str, str], var_dir: Path) -> str:
    raw = env.get("STORAGE_URL") or str(var_dir / "blobs")
    parsed = urlparse(raw)
    if parsed.scheme in ("", "file"):
        return raw
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise SettingsError(f"STORAGE_URL s3:// needs a bucket name, got {raw!r}")
        return raw
    raise SettingsError(f"STORAGE_URL must be a folder, file:///path or s3://bucket, got {raw!r}")


def _secret_key(env: Mapping[str, str], var_dir: Path) -> str:
    raw = env.get("SECRET_KEY")
    if raw:
        if len(raw) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters long")
        return raw
    # First run: generate one and keep it beside the data, so sessions and
    # signed photo links survive restarts.
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


def _trusted_proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    try:
        return tuple(str(net) for net in parse_networks(env.get("TRUSTED_PROXIES", "")))
    except ValueError as exc:
        raise SettingsError(f"TRUSTED_PROXIES must list IP addresses or networks (comma-separated): {exc}") from None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    var_dir = _var_dir(env)

    port = _int(env, "PORT", 8000, 1, 65535)
    host = env.get("HOST") or "127.0.0.1"
    base_url = (env.get("BASE_URL") or f"http://{host}:{port}").rstrip("/")
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"BASE_URL must be an http(s):// address, got {base_url!r}")

    hsts_seconds = _int(env, "HSTS_SECONDS", 31_536_000, 0, 2 * 31_536_000)

    language = env.get("DEFAULT_LANGUAGE") or "zh-CN"
    if language not in LANGUAGES:
        raise SettingsError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}, got {language!r}")
    timezone = env.get("DEFAULT_TIMEZONE") or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"DEFAULT_TIMEZONE is not a known time zone: {timezone!r}") from None

    storage_url = _storage_url(env, var_dir)
    if storage_url.startswith("s3://") and not env.get("SECRET_KEY"):
        # Shared storage means processes on several machines, each with its own
        # var/: a generated key would differ between them, and the key seeds
        # random-daily schedules and spot-check picks besides signing CSRF tokens.
        raise SettingsError("SECRET_KEY must be set when STORAGE_URL is s3:// "
                            "(every server process must share the same key)")

    return Settings(
        var_dir=var_dir,
        database_url=_database_url(env, var_dir),
        storage_url=storage_url,
        secret_key=_secret_key(env, var_dir),
        base_url=base_url,
        host=host,
        port=port,
        default_language=language,
        default_timezone=timezone,
        max_photo_bytes=_int(env, "MAX_PHOTO_BYTES", 15 * 1024 * 1024, 1024, 200 * 1024 * 1024),
        max_body_bytes=_int(env, "MAX_BODY_BYTES", 2 * 1024 * 1024, 1024, 50 * 1024 * 1024),
        max_image_pixels=_int(env, "MAX_IMAGE_PIXELS", 50_000_000, 1_000_000, 400_000_000),
        photo_workers=_int(env, "PHOTO_WORKERS", min(os.cpu_count() or 1, 4), 1, 64),
        web_workers=_int(env, "WEB_WORKERS", 1, 1, 64),
        session_days=_int(env, "SESSION_DAYS", 14, 1, 365),
        db_pool_size=_int(env, "DATABASE_POOL_SIZE", 10, 0, 200),
        login_attempts=_int(env, "LOGIN_ATTEMPTS", 10, 1, 1000),
        login_window_seconds=_int(env, "LOGIN_WINDOW_SECONDS", 900, 10, 86400),
        pending_sync_lead_hours=_int(env, "PENDING_SYNC_LEAD_HOURS", 12, 0, 24),
        pending_sync_cutoff_hours=_int(env, "PENDING_SYNC_CUTOFF_HOURS", 12, 1, 72),
        s3_access_key=env.get("S3_ACCESS_KEY") or None,
        s3_secret_key=env.get("S3_SECRET_KEY") or None,
        cookie_secure=_bool(env, "COOKIE_SECURE", parsed.scheme == "https"),
        database_url_set=bool(env.get("DATABASE_URL")),
        log_level=_choice(env, "LOG_LEVEL", "INFO", LOG_LEVELS, upper=True),
        log_format=_choice(env, "LOG_FORMAT", "console", LOG_FORMATS),
        trust_request_id=_bool(env, "TRUST_REQUEST_ID", False),
        trusted_proxies=_trusted_proxies(env),
        # Browsers ignore HSTS over plain http; sending it there only misleads.
        hsts_seconds=hsts_seconds if parsed.scheme == "https" else 0,
    )


def point_piccolo_at_our_conf() -> None:
    """Piccolo finds its configuration through this variable; set it before any
    table is imported so tables never bind to a stray piccolo_conf.py."""
    os.environ.setdefault("PICCOLO_CONF", "server.db.piccolo_conf")
