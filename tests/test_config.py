"""Settings come from the environment; production refuses to start without a secret key."""

import pytest

from monitoring import config


def test_production_needs_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY must be set"):
        config.load_config("production")


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    settings = config.load_config("production")
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["PREFERRED_URL_SCHEME"] == "https"


def test_development_generates_a_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first = config.load_config("development")["SECRET_KEY"]
    second = config.load_config("development")["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_database_url_and_mail_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db/monitoring")
    monkeypatch.setenv("MAIL_SERVER", "smtp.council.example")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    settings = config.load_config("production")
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db/monitoring"
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_USE_TLS"]) == (
        "smtp.council.example",
        587,
        True,
    )
    assert settings["TIME_ZONE"] == "Europe/London"


def test_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = config.load_config("testing")
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["SQLALCHEMY_DATABASE_URI"].endswith("instance/monitoring.db")


def test_unknown_environments_are_refused():
    with pytest.raises(config.ConfigError, match="development, testing or production"):
        config.load_config("staging")
