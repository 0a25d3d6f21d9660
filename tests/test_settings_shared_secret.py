"""Processes on several machines share S3 storage but not var/: each would
generate its own secret key, and the key seeds random-daily schedules and
spot-check picks and signs CSRF tokens. So s3:// storage needs SECRET_KEY."""

import pytest

from server.settings import SettingsError, load_settings

S3 = "s3://rounds-photos/prod?endpoint=http://127.0.0.1:9000&region=us-east-1"


def test_s3_storage_without_secret_key_is_refused(tmp_path):
    with pytest.raises(SettingsError) as info:
        load_settings({"VAR_DIR": str(tmp_path), "STORAGE_URL": S3})
    assert "SECRET_KEY" in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "secret_key").exists()  # nothing generated behind the operator's back


def test_s3_storage_with_secret_key_is_the_same_key_everywhere(tmp_path):
    key = "k" * 40
    one = load_settings({"VAR_DIR": str(tmp_path / "machine-1"), "STORAGE_URL": S3, "SECRET_KEY": key})
    two = load_settings({"VAR_DIR": str(tmp_path / "machine-2"), "STORAGE_URL": S3, "SECRET_KEY": key})
    assert one.secret_key == two.secret_key == key


def test_local_storage_still_generates_its_key(tmp_path):
    assert len(load_settings({"VAR_DIR": str(tmp_path)}).secret_key) >= 32
