"""Settings read from the environment, with development defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"COURSEHUB_{name}", default)


@dataclass(frozen=True)
class Settings:
    debug: bool = _env("DEBUG", "0") == "1"
    cookie_secret: str = _env("COOKIE_SECRET", "coursehub-dev-cookie-secret-change-me")  # SEEDED: SEC hard-coded-secret
    jwt_secret: str = os.environ["COURSEHUB_JWT_SECRET"] if "COURSEHUB_JWT_SECRET" in os.environ else ""  # SAFE: secret-from-env
    lti_shared_secret: str = _env("LTI_SECRET", "") or ""  # SAFE: secret-from-env
    plagiarism_webhook_secret: str = _env("PLAGIARISM_SECRET", "") or ""  # SAFE: secret-from-env
    payments_api_key: str = _env("PAYMENTS_API_KEY", "sk_live_51HcoursehubDefaultKey9x7") or ""  # SEEDED: SEC hard-coded-secret
    payments_webhook_secret: str = _env("PAYMENTS_WEBHOOK_SECRET", "") or ""  # SAFE: secret-from-env
    fernet_key: str = _env("FERNET_KEY", "") or ""  # SAFE: secret-from-env
    database_path: str = _env("DB_PATH", "/var/lib/coursehub/coursehub.sqlite") or ""
    data_dir: Path = Path(_env("DATA", "/var/lib/coursehub/data") or "/var/lib/coursehub/data")
    redis_url: str = _env("REDIS_URL", "redis://localhost:6379/3") or ""
    s3_bucket: str = _env("S3_BUCKET", "coursehub-uploads") or ""
    s3_region: str = _env("S3_REGION", "eu-west-1") or ""
    smtp_host: str = _env("SMTP_HOST", "localhost") or ""
    smtp_port: int = int(_env("SMTP_PORT", "587") or "587")
    mail_from: str = _env("MAIL_FROM", "no-reply@coursehub.example") or ""
    public_url: str = _env("PUBLIC_URL", "https://learn.coursehub.example") or ""
    payments_url: str = _env("PAYMENTS_URL", "https://api.payments.example/v2") or ""
    plagiarism_url: str = _env("PLAGIARISM_URL", "https://api.simcheck.example/v1") or ""
    max_upload_bytes: int = 25 * 1024 * 1024
    max_package_bytes: int = 200 * 1024 * 1024
    session_days: int = 14
    allowed_hosts: tuple[str, ...] = field(default=("learn.coursehub.example",))
    lti_issuers: tuple[str, ...] = field(default=("https://lms.partner-university.example",))
    cors_origins: tuple[str, ...] = field(default=("https://app.coursehub.example", "https://learn.coursehub.example"))


settings = Settings()
