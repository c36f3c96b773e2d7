"""Settings read from the environment."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path


def _bool(name: str, default: str = "false") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("PAYHUB_DATA", "/var/lib/payhub"))
UPLOAD_DIR = DATA_DIR / "uploads"
EXPORT_DIR = DATA_DIR / "exports"
PAYSLIP_DIR = DATA_DIR / "payslips"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


class Config:
    SECRET_KEY = os.environ.get("PAYHUB_SECRET_KEY", "payhub-dev-secret-change-me")  # SEEDED: SEC hard-coded-secret
    DEBUG = _bool("PAYHUB_DEBUG")  # SAFE: debug-from-env-default-off
    SQLALCHEMY_URL = os.environ.get("PAYHUB_DATABASE_URL", f"sqlite:///{DATA_DIR / 'payhub.db'}")
    REDIS_URL = os.environ.get("PAYHUB_REDIS_URL", "redis://localhost:6379/0")

    SESSION_COOKIE_SECURE = True  # SAFE: cookie-secure
    SESSION_COOKIE_HTTPONLY = True  # SAFE: cookie-httponly
    SESSION_COOKIE_SAMESITE = "Lax"  # SAFE: cookie-samesite
    REMEMBER_COOKIE_SECURE = True  # SAFE: cookie-secure
    REMEMBER_COOKIE_HTTPONLY = False  # SEEDED: SEC insecure-cookie
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

    WTF_CSRF_ENABLED = True  # SAFE: csrf-enabled
    WTF_CSRF_TIME_LIMIT = 3600
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # SAFE: request-size-bounded

    JWT_SECRET = os.environ.get("PAYHUB_JWT_SECRET", "")
    JWT_AUDIENCE = "payhub-api"
    JWT_ISSUER = "https://auth.payhub.example"

    OIDC_CLIENT_ID = os.environ.get("PAYHUB_OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("PAYHUB_OIDC_CLIENT_SECRET", "")
    OIDC_METADATA_URL = os.environ.get(
        "PAYHUB_OIDC_METADATA", "https://login.example.com/.well-known/openid-configuration"
    )

    BANK_SFTP_HOST = os.environ.get("PAYHUB_BANK_SFTP_HOST", "sftp.bank.example")
    BANK_SFTP_USER = os.environ.get("PAYHUB_BANK_SFTP_USER", "payhub")
    BANK_SFTP_KEY = os.environ.get("PAYHUB_BANK_SFTP_KEY", str(DATA_DIR / "keys" / "bank_ed25519"))
    BANK_WEBHOOK_SECRET = os.environ.get("PAYHUB_BANK_WEBHOOK_SECRET", "")
    SCREENING_WEBHOOK_SECRET = os.environ.get("PAYHUB_SCREENING_SECRET", "bgc-shared-secret-2024")  # SEEDED: SEC hard-coded-secret
    SCREENING_API = "https://api.screening.example/v2"
    BENEFITS_API = "https://benefits.partner.example/api"

    S3_BUCKET = os.environ.get("PAYHUB_S3_BUCKET", "payhub-documents")
    S3_REGION = os.environ.get("AWS_REGION", "eu-west-1")

    FIELD_ENCRYPTION_KEY = os.environ.get("PAYHUB_FIELD_KEY", "")
    INTERNAL_API_TOKEN = os.environ.get("PAYHUB_INTERNAL_TOKEN", "")
    ALLOWED_REDIRECT_HOSTS = {"app.payhub.example", "admin.payhub.example"}
    DEFAULT_PAGE_SIZE = 50
    MAX_PAGE_SIZE = 200


def load(overrides: dict | None = None) -> dict:
    values = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    values.update(overrides or {})
    return values
