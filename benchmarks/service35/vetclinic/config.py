"""Application settings, read once from the environment (12-factor style)."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"VETCLINIC_{name}", default)


def _require(name: str) -> str:
    value = _env(name)
    if not value:  # SAFE: secret-required
        raise RuntimeError(f"VETCLINIC_{name} must be set")
    return value


@dataclass
class Settings:
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", "postgresql://vet@localhost/vetclinic"))
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", "redis://localhost:6379/0"))
    session_secret: str = field(default_factory=lambda: _require("SESSION_SECRET"))  # SAFE: secret-from-env
    jwt_secret: str = field(default_factory=lambda: _env("JWT_SECRET", "vetclinic-dev-jwt-secret-2024"))  # SEEDED: SEC hardcoded-secret
    fernet_key: str = field(default_factory=lambda: _require("FERNET_KEY"))  # SAFE: secret-from-env
    lab_webhook_secret: str = field(default_factory=lambda: _require("LAB_WEBHOOK_SECRET"))  # SAFE: secret-from-env
    sms_api_key: str = field(default_factory=lambda: _env("SMS_API_KEY", ""))
    s3_bucket: str = field(default_factory=lambda: _env("S3_BUCKET", "vetclinic-records"))
    data_dir: str = field(default_factory=lambda: _env("DATA_DIR", "/var/lib/vetclinic"))
    public_base_url: str = field(default_factory=lambda: _env("PUBLIC_URL", "https://app.vetclinic.example"))
    allowed_redirect_hosts: tuple[str, ...] = ("app.vetclinic.example", "book.vetclinic.example")
    max_upload_bytes: int = 20 * 1024 * 1024
    page_size_max: int = 100
    debug: bool = field(default_factory=lambda: _env("DEBUG", "false").lower() == "true")  # SAFE: debug-from-env
    smtp_host: str = field(default_factory=lambda: _env("SMTP_HOST", "localhost"))
    smtp_password: str = field(default_factory=lambda: _env("SMTP_PASSWORD", ""))
    insurer_url: str = field(default_factory=lambda: _env("INSURER_URL", "https://claims.petinsure.example/api"))
    lab_url: str = field(default_factory=lambda: _env("LAB_URL", "https://api.partnerlab.example/v2"))
    cors_origins: tuple[str, ...] = ("https://book.vetclinic.example",)


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings()
        log.info("settings loaded: db=%s redis=%s", _settings.database_url.split("@")[-1], _settings.redis_url)  # SAFE: secret-redacted-log
    return _settings


def pyramid_settings(overrides: dict | None = None) -> dict:
    s = get_settings()
    values = {
        "pyramid.reload_templates": s.debug,
        "pyramid.debug_authorization": False,
        "pyramid.debug_notfound": False,
        "pyramid.default_locale_name": "en",
        "jinja2.directories": "vetclinic:templates",
        "pyramid.includes": [],
    }
    values.update(overrides or {})
    return values
