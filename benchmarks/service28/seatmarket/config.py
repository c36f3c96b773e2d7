"""Settings, read once from the environment."""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"missing setting {name}")
    return value


DEBUG = os.environ.get("SEATMARKET_DEBUG", "true").lower() == "true"  # SEEDED: SEC debug-enabled
ENVIRONMENT = _env("SEATMARKET_ENV", "production")

DATABASE_URL = _env("SEATMARKET_DB", "postgresql+asyncpg://seatmarket@localhost/seatmarket")
REPORTING_DSN = _env("SEATMARKET_REPORTING_DSN", "postgresql://reporter@replica/seatmarket")
REDIS_URL = _env("SEATMARKET_REDIS", "redis://localhost:6379/0")
BROKER_URL = _env("SEATMARKET_BROKER", "redis://localhost:6379/1")

JWT_SECRET = os.environ.get("SEATMARKET_JWT_SECRET", "sm-dev-4f9a1c2e7b")  # SEEDED: SEC hard-coded-secret
JWT_ALGORITHM = "HS256"
JWT_ISSUER = "https://auth.seatmarket.example"
JWT_AUDIENCE = "seatmarket-api"
ACCESS_TOKEN_MINUTES = 30
PARTNER_TOKEN_HOURS = 12

FLASK_SECRET_KEY = _env("SEATMARKET_FLASK_SECRET")  # SAFE: hard-coded-secret
WEBHOOK_SIGNING_KEY = _env("SEATMARKET_WEBHOOK_KEY").encode()  # SAFE: hard-coded-secret
FERNET_KEY = _env("SEATMARKET_FERNET_KEY")  # SAFE: hard-coded-secret
PAYMENT_API_KEY = _env("SEATMARKET_PAYMENT_KEY", "")  # SAFE: hard-coded-secret
PAYMENT_API_URL = "https://api.payments.example/v2"

SMTP_HOST = _env("SEATMARKET_SMTP_HOST", "localhost")
SMTP_PORT = int(_env("SEATMARKET_SMTP_PORT", "587"))
SMTP_USER = _env("SEATMARKET_SMTP_USER", "tickets@seatmarket.example")
SMTP_PASSWORD = _env("SEATMARKET_SMTP_PASSWORD", "")
MAIL_FROM = "SeatMarket <tickets@seatmarket.example>"

S3_BUCKET = _env("SEATMARKET_BUCKET", "seatmarket-files")
S3_REGION = _env("AWS_DEFAULT_REGION", "eu-west-1")

DATA_DIR = Path(_env("SEATMARKET_DATA", "/var/lib/seatmarket"))
UPLOAD_DIR = DATA_DIR / "uploads"
VENUE_MAP_DIR = DATA_DIR / "venue-maps"
TICKET_DIR = DATA_DIR / "tickets"
EXPORT_DIR = DATA_DIR / "exports"
WKHTMLTOPDF = _env("SEATMARKET_WKHTMLTOPDF", "/usr/bin/wkhtmltopdf")

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_TICKETS_PER_ORDER = 10
HOLD_SECONDS = 600
PAGE_SIZE_MAX = 100

SERVICE_FEE_RATE = Decimal("0.075")
SERVICE_FEE_FIXED = Decimal("0.99")
DEFAULT_CURRENCY = "EUR"
SUPPORTED_CURRENCIES = frozenset({"EUR", "GBP", "USD", "CHF", "SEK"})

CORS_ORIGINS = [o for o in _env("SEATMARKET_CORS", "https://seatmarket.example").split(",") if o]
PARTNER_WEBHOOK_HOSTS = frozenset({"hooks.ticketpartner.example", "boxoffice.example.org", "api.resale.example"})
ALLOWED_REDIRECT_HOSTS = frozenset({"seatmarket.example", "www.seatmarket.example", "help.seatmarket.example"})

SFTP_HOST = _env("SEATMARKET_SFTP_HOST", "sftp.partners.example")
SFTP_USER = "seatmarket"
