"""Settings, read from the environment once when the app is created."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("MONITORING_INSTANCE", PROJECT_ROOT / "instance"))
TIME_ZONE = "Europe/London"


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'monitoring.db'}"


def development_secret_key() -> str:
    """Generate a key once and keep it under instance/ so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(environment: str | None = None) -> dict:
    """Build the app's settings for an environment: development, testing or production."""
    env = environment or os.environ.get("MONITORING_ENV", "production")
    if env not in {"development", "testing", "production"}:
        raise ConfigError(f"MONITORING_ENV must be development, testing or production, not {env!r}")
    production = env == "production"

    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY must be set outside development "
                "(for example: export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'))"
            )
        secret_key = development_secret_key() if env == "development" else "testing-only-key"

    database_url = os.environ.get("DATABASE_URL") or default_database_url()
    return {
        "ENVIRONMENT": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "TIME_ZONE": TIME_ZONE,
        # The council named in the header and on printed reports.
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "Demo Borough Council"),
        "SERVICE_NAME": "Contract monitoring",
        # Sessions: cookies are Secure outside development and testing, never readable by scripts.
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_HOURS", "10"))),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024,
        # Meeting papers: kept outside static/, served only through a permission-checked download.
        "PAPERS_DIR": os.environ.get("PAPERS_DIR") or str(INSTANCE_DIR / "papers"),
        "PAPER_MAX_MB": int(os.environ.get("PAPER_MAX_MB", "8")),
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Mail (used by scheduled deliveries and notifications).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "contract-monitoring@localhost"),
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", "30")),
        # Reports: links in emails, the scheduler process, background PDFs, retries of failed emails.
        # Links in emails: BASE_URL if set, else https://SERVER_NAME (see reports.messages.link).
        "BASE_URL": os.environ.get("BASE_URL") or None,
        "SCHEDULER_TICK_SECONDS": int(os.environ.get("SCHEDULER_TICK_SECONDS", "60")),
        "SCHEDULER_PRETEND_NOW": os.environ.get("SCHEDULER_PRETEND_NOW") or None,
        "PDF_QUEUE_POLL_SECONDS": int(os.environ.get("PDF_QUEUE_POLL_SECONDS", "5")),
        "PDF_RENDER_TIMEOUT_SECONDS": int(os.environ.get("PDF_RENDER_TIMEOUT_SECONDS", "120")),
        "PDF_RENDER_MEMORY_MB": int(os.environ.get("PDF_RENDER_MEMORY_MB", "1024")),
        "REPORTS_RETRY_DELAYS": [
            int(s) for s in os.environ.get("REPORTS_RETRY_DELAYS", "300,900,3600,14400,43200").split(",") if s.strip()
        ],
        "REPORTS_CLAIM_LEASE_SECONDS": int(os.environ.get("REPORTS_CLAIM_LEASE_SECONDS", "600")),
        # Sign-in throttling: failures allowed per account and per address in the window.
        "LOGIN_WINDOW_MINUTES": int(os.environ.get("LOGIN_WINDOW_MINUTES", "15")),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5")),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20")),
        # Routes used only by `make bench` as baselines.
        "BENCHMARK_ROUTES": _flag("BENCHMARK_ROUTES"),
        # OpenAPI document, generated by flask-smorest from the API's code.
        "API_TITLE": "Contract monitoring API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A personal API token"}
                }
            },
            "security": [{"bearerAuth": []}],
        },
    }
