"""Settings come from the environment and are safe by default."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from archive.settings import BASE_DIR, env_bool, env_list, parse_database_url


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    ours = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x7Qz!pL2#vR9" * 4,
        ALLOWED_HOSTS="archive.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_debug_defaults_to_off(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert env_bool("DEBUG", False) is False


def test_booleans_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG", False)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example.org, b.example.org,,")
    assert env_list("HOSTS", []) == ["a.example.org", "b.example.org"]


def test_postgres_url_is_parsed():
    config = parse_database_url("postgres://user:p%40ss@db.example.org:5433/archive")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == (
        "archive",
        "user",
        "p@ss",
    )
    assert (config["HOST"], config["PORT"]) == ("db.example.org", "5433")


def test_sqlite_url_is_parsed_relative_to_the_project():
    assert parse_database_url("sqlite:///db.sqlite3")["NAME"] == str(
        BASE_DIR / "db.sqlite3"
    )
    assert parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        parse_database_url("mysql://root@localhost/archive")


def test_a_search_time_limit_of_zero_is_refused():
    # PostgreSQL reads statement_timeout 0 as "no limit": refused at start-up.
    result = run_manage("check", DEBUG="1", SEARCH_TIME_LIMIT_MS="0")
    assert result.returncode != 0
    assert "SEARCH_TIME_LIMIT_MS must be at least 1" in result.stderr
