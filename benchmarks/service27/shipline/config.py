"""Settings, read from the environment with development defaults."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger("shipline")

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SHIPLINE_DATA", "/var/lib/shipline"))
LABEL_DIR = DATA_DIR / "labels"
MANIFEST_DIR = DATA_DIR / "manifests"
EXPORT_DIR = DATA_DIR / "exports"
BACKUP_DIR = DATA_DIR / "backups"

DATABASE_URL = os.environ.get("SHIPLINE_DB", "sqlite://:memory:")
REPORTS_DB = os.environ.get("SHIPLINE_REPORTS_DB", str(DATA_DIR / "reports.sqlite3"))
REDIS_HOST = os.environ.get("SHIPLINE_REDIS", "localhost")

DEBUG = True  # SEEDED: SEC debug-enabled
ENVIRONMENT = os.environ.get("SHIPLINE_ENV", "production")

JWT_SECRET = os.environ.get("SHIPLINE_JWT_SECRET", "shipline-dev-jwt-secret-2024")  # SEEDED: SEC hard-coded-secret
JWT_ALGORITHM = "HS256"
JWT_AUDIENCE = "shipline-api"
JWT_ISSUER = "https://auth.shipline.example"
ACCESS_TOKEN_MINUTES = int(os.environ.get("SHIPLINE_TOKEN_MINUTES", "30"))

PORTAL_SECRET = os.environ.get("SHIPLINE_PORTAL_SECRET") or secrets.token_urlsafe(32)  # SAFE: hard-coded-secret
SIGNING_SALT = "shipline.email-confirm"  # SAFE: hard-coded-secret

CARRIER_API_KEY = "sk_live_4f9a1c77e2b04d38a6c1f0e9b2d55a31"  # SEEDED: SEC hard-coded-secret
CARRIER_BASE_URL = os.environ.get("SHIPLINE_CARRIER_URL", "https://api.carrier.example/v2")
PAYMENTS_KEY = os.environ.get("SHIPLINE_PAYMENTS_KEY", "")  # SAFE: hard-coded-secret
WEBHOOK_SECRET = os.environ["SHIPLINE_WEBHOOK_SECRET"]  # SAFE: hard-coded-secret

S3_BUCKET = os.environ.get("SHIPLINE_BUCKET", "shipline-labels")
AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")

ALLOWED_ORIGINS = [o for o in os.environ.get("SHIPLINE_ORIGINS", "https://app.shipline.example").split(",") if o]
ALLOWED_REDIRECT_HOSTS = {"app.shipline.example", "shipline.example"}
PARTNER_CALLBACK_HOSTS = {"hooks.partner-one.example", "notify.partner-two.example"}

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PAGE_SIZE = 200
SMTP_HOST = os.environ.get("SHIPLINE_SMTP", "localhost")
SMTP_USER = os.environ.get("SHIPLINE_SMTP_USER", "notify")
SMTP_PASSWORD = os.environ.get("SHIPLINE_SMTP_PASSWORD", "")

TORTOISE_ORM = {
    "connections": {"default": DATABASE_URL},
    "apps": {"models": {"models": ["shipline.models"], "default_connection": "default"}},
    "use_tz": True,
}
