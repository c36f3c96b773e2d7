"""Settings read from the environment, with development defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"LEASELINE_{name}", default)


def read_secret_file(path: str) -> str:
    return open(path).read().strip()  # SEEDED: EDGE resource-leak


def _require(name: str) -> str:
    value = _env(name)
    if not value:
        raise RuntimeError(f"LEASELINE_{name} must be set")
    return value  # SAFE: hard-coded-secret


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(_env("DATA", "/var/lib/leaseline")))
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", "sqlite://:memory:"))
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", "redis://localhost:6379/3"))
    jwt_secret: str = field(default_factory=lambda: _env("JWT_SECRET", "leaseline-dev-jwt-secret-2024"))  # SEEDED: SEC hard-coded-secret
    session_secret: str = field(default_factory=lambda: _require("SESSION_SECRET"))  # SAFE: hard-coded-secret
    processor_webhook_secret: str = field(default_factory=lambda: _require("PROCESSOR_WEBHOOK_SECRET"))  # SAFE: hard-coded-secret
    screening_api_key: str = field(default_factory=lambda: _env("SCREENING_API_KEY", "sk_live_7f3a9c2e11b04d5d"))  # SEEDED: SEC hard-coded-secret
    screening_base_url: str = field(default_factory=lambda: _env("SCREENING_URL", "https://api.screenwell.example/v2"))
    processor_base_url: str = field(default_factory=lambda: _env("PROCESSOR_URL", "https://api.paystream.example/v1"))
    esign_base_url: str = field(default_factory=lambda: _env("ESIGN_URL", "https://api.inksign.example"))
    smtp_host: str = field(default_factory=lambda: _env("SMTP_HOST", "localhost"))
    smtp_port: int = field(default_factory=lambda: int(_env("SMTP_PORT", "587")))
    smtp_user: str = field(default_factory=lambda: _env("SMTP_USER", ""))
    smtp_password: str = field(default_factory=lambda: _env("SMTP_PASSWORD", ""))
    sms_url: str = field(default_factory=lambda: _env("SMS_URL", "https://sms.textline.example/send"))
    s3_bucket: str = field(default_factory=lambda: _env("S3_BUCKET", "leaseline-docs"))
    s3_region: str = field(default_factory=lambda: _env("S3_REGION", "us-east-1"))
    sftp_host: str = field(default_factory=lambda: _env("SFTP_HOST", "sftp.bank.example"))
    sftp_user: str = field(default_factory=lambda: _env("SFTP_USER", "leaseline"))
    sftp_key_path: str = field(default_factory=lambda: _env("SFTP_KEY", "/etc/leaseline/sftp_key"))
    public_url: str = field(default_factory=lambda: _env("PUBLIC_URL", "https://app.leaseline.example"))
    allowed_origins: tuple[str, ...] = ("https://app.leaseline.example", "https://portal.leaseline.example")
    max_upload_bytes: int = 15 * 1024 * 1024
    debug: bool = field(default_factory=lambda: _env("DEBUG", "0") == "1")

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def export_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def template_dir(self) -> Path:
        return self.data_dir / "templates"

    def public_dict(self) -> dict:
        return {"public_url": self.public_url, "s3_bucket": self.s3_bucket, "debug": self.debug}  # SAFE: secret-exposure


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings
