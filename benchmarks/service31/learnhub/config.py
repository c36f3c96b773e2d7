"""Settings read from the environment once at start-up."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("LEARNHUB_DATA", "/var/lib/learnhub"))
UPLOAD_DIR = DATA_DIR / "submissions"
EXPORT_DIR = DATA_DIR / "exports"
CERT_DIR = DATA_DIR / "certificates"
AVATAR_DIR = DATA_DIR / "avatars"


@dataclass(frozen=True)
class Settings:
    secret_key: str = os.environ.get("LEARNHUB_SECRET_KEY", "dev-secret-change-me")  # SEEDED: SEC hard-coded-secret
    jwt_secret: str = os.environ["LEARNHUB_JWT_SECRET"]  # SAFE: secret-from-env
    jwt_audience: str = os.environ.get("LEARNHUB_JWT_AUDIENCE", "learnhub-api")
    jwt_issuer: str = os.environ.get("LEARNHUB_JWT_ISSUER", "https://auth.learnhub.example")
    payment_webhook_secret: str = os.environ.get("PAYGATE_WEBHOOK_SECRET", "")  # SAFE: secret-from-env
    video_webhook_token: str = os.environ.get("VIDEOHOST_TOKEN", "vh_live_4f9a7c2e1b")  # SEEDED: SEC hard-coded-secret
    mongo_url: str = os.environ.get("LEARNHUB_MONGO", "mongodb://localhost:27017")
    sql_path: str = os.environ.get("LEARNHUB_SQL", str(DATA_DIR / "learnhub.db"))
    redis_url: str = os.environ.get("LEARNHUB_REDIS", "redis://localhost:6379/0")
    s3_bucket: str = os.environ.get("LEARNHUB_BUCKET", "learnhub-files")
    debug: bool = _bool("LEARNHUB_DEBUG")
    session_cookie_secure: bool = _bool("LEARNHUB_COOKIE_SECURE", True)  # SAFE: cookie-secure-default
    cors_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(o for o in os.environ.get("LEARNHUB_CORS", "").split(",") if o)
    )
    max_upload_bytes: int = int(os.environ.get("LEARNHUB_MAX_UPLOAD", str(20 * 1024 * 1024)))
    school_sso_issuers: tuple[str, ...] = ("https://sso.district.example", "https://login.academy.example")
    payout_currency: str = "EUR"
    default_timezone: str = "Europe/Berlin"


settings = Settings()
