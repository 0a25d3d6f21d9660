"""Settings come from the environment; a wrong value fails with one line naming it."""

import pytest

from server.settings import SettingsError, load_settings


def test_defaults_are_sqlite_and_local_storage_under_var(tmp_path):
    s = load_settings({"VAR_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path / 'rounds.sqlite3'}"
    assert s.storage_url == str(tmp_path / "blobs")
    assert s.base_url == "http://127.0.0.1:8000" and s.default_language == "zh-CN"
    assert not s.is_postgres
    assert (s.pending_sync_lead_hours, s.pending_sync_cutoff_hours) == (12, 12)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_settings({"VAR_DIR": str(tmp_path)}).secret_key
    assert len(first) >= 32
    assert load_settings({"VAR_DIR": str(tmp_path)}).secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_url_switches_engine(tmp_path):
    s = load_settings({"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgresql://u@db:5432/rounds"})
    assert s.is_postgres


@pytest.mark.parametrize("name,value", [
    ("DATABASE_URL", "mysql://x"),
    ("DATABASE_URL", "sqlite:///"),
    ("DATABASE_URL", "postgresql://h:abc/db"),
    ("DATABASE_URL", "postgresql://u@h:5432"),
    ("DATABASE_URL", "postgresql:///rounds"),
    ("STORAGE_URL", "ftp://x"),
    ("STORAGE_URL", "s3://"),
    ("SECRET_KEY", "short"),
    ("BASE_URL", "localhost:8000"),
    ("PORT", "eighty"),
    ("PORT", "70000"),
    ("DEFAULT_LANGUAGE", "fr"),
    ("DEFAULT_TIMEZONE", "Mars/Olympus"),
    ("MAX_PHOTO_BYTES", "-1"),
    ("COOKIE_SECURE", "perhaps"),
    ("HSTS_SECONDS", "forever"),
    ("PENDING_SYNC_LEAD_HOURS", "25"),
    ("PENDING_SYNC_CUTOFF_HOURS", "0"),
    ("LOG_LEVEL", "chatty"),
    ("LOG_FORMAT", "xml"),
    ("TRUST_REQUEST_ID", "maybe"),
    ("TRUSTED_PROXIES", "10.0.0.1, proxy.local"),
])
def test_bad_value_names_the_variable(tmp_path, name, value):
    with pytest.raises(SettingsError) as info:
        load_settings({"VAR_DIR": str(tmp_path), name: value})
    message = str(info.value)
    assert name in message and "\n" not in message


def test_trusted_proxies_default_to_none(tmp_path):
    assert load_settings({"VAR_DIR": str(tmp_path)}).trusted_proxies == ()
    s = load_settings({"VAR_DIR": str(tmp_path), "TRUSTED_PROXIES": " 10.0.0.1, 192.168.0.0/24,::1 "})
    assert s.trusted_proxies == ("10.0.0.1/32", "192.168.0.0/24", "::1/128")


def test_a_var_dir_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SettingsError) as info:
        load_settings({"VAR_DIR": str(blocker / "var")})
    assert "VAR_DIR" in str(info.value) and "\n" not in str(info.value)


def test_a_password_in_the_url_is_not_repeated(tmp_path):
    with pytest.raises(SettingsError) as info:
        load_settings({"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgresql://u:hunter2@h:x/db"})
    assert "hunter2" not in str(info.value)


def test_log_settings_default_to_terminal_info_and_accept_any_case(tmp_path):
    s = load_settings({"VAR_DIR": str(tmp_path)})
    assert (s.log_level, s.log_format, s.trust_request_id) == ("INFO", "console", False)
    s = load_settings({"VAR_DIR": str(tmp_path), "LOG_LEVEL": "debug", "LOG_FORMAT": "JSON", "TRUST_REQUEST_ID": "1"})
    assert (s.log_level, s.log_format, s.trust_request_id) == ("DEBUG", "json", True)
