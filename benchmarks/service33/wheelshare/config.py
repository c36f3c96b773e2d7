"""Settings read from the environment once, at import."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"WHEELSHARE_{name}", default)


@dataclass(frozen=True)
class Settings:
    database_url: str = _env("DATABASE_URL", "postgresql://wheelshare@localhost/wheelshare")
    redis_url: str = _env("REDIS_URL", "redis://localhost:6379/0")
    session_secret: str = _env("SESSION_SECRET", "wheelshare-dev-session-key-2024")  # SEEDED: SEC hard-coded-secret
    jwt_secret: str = os.environ["WHEELSHARE_JWT_SECRET"]  # SAFE: hard-coded-secret
    licence_key: str = _env("LICENCE_FERNET_KEY", "")  # SAFE: hard-coded-secret
    payment_api: str = _env("PAYMENT_API", "https://api.paycore.example/v2")
    payment_key: str = _env("PAYMENT_KEY", "")
    payment_webhook_secret: str = _env("PAYMENT_WEBHOOK_SECRET", "")
    telematics_api: str = _env("TELEMATICS_API", "https://fleet.telemetrix.example/api")
    telematics_token: str = _env("TELEMATICS_TOKEN", "tmx_live_5f2a9c1e7b3d4a60")  # SEEDED: SEC hard-coded-secret
    telematics_webhook_secret: str = _env("TELEMATICS_WEBHOOK_SECRET", "")
    insurance_api: str = _env("INSURANCE_API", "https://claims.safedrive.example")
    insurance_webhook_secret: str = _env("INSURANCE_WEBHOOK_SECRET", "")
    sms_api: str = _env("SMS_API", "https://sms.example/send")
    sms_key: str = _env("SMS_KEY", "")
    smtp_host: str = _env("SMTP_HOST", "localhost")
    smtp_port: int = int(_env("SMTP_PORT", "587"))
    smtp_user: str = _env("SMTP_USER", "")
    smtp_password: str = _env("SMTP_PASSWORD", "")
    mail_from: str = _env("MAIL_FROM", "WheelShare <no-reply@wheelshare.example>")
    public_url: str = _env("PUBLIC_URL", "https://app.wheelshare.example")
    data_dir: Path = Path(_env("DATA", "/var/lib/wheelshare"))
    s3_bucket: str = _env("S3_BUCKET", "wheelshare-media")
    pdf_tool: str = _env("PDF_TOOL", "/usr/bin/wkhtmltopdf")
    debug: bool = _env("DEBUG", "0") == "1"
    allowed_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(filter(None, (_env("CORS_ORIGINS", "") or "").split(","))))
    default_tz: str = _env("DEFAULT_TZ", "Europe/Berlin")


settings = Settings()

UPLOAD_DIR = settings.data_dir / "uploads"
EXPORT_DIR = settings.data_dir / "exports"
INVOICE_DIR = settings.data_dir / "invoices"
TEMPLATE_DIR = Path(__file__).parent / "templates"
