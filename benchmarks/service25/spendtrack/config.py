"""Configuration objects for the spendtrack app factory."""
from __future__ import annotations

import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("SPENDTRACK_SECRET_KEY") or "spendtrack-dev-7f3a9c1e"  # SEEDED: SEC hard-coded-secret
    SQLALCHEMY_DATABASE_URI = os.environ.get("SPENDTRACK_DATABASE_URL", "sqlite:///spendtrack.db")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    JWT_SECRET = os.environ["SPENDTRACK_JWT_SECRET"] if "SPENDTRACK_JWT_SECRET" in os.environ else None  # SAFE: hard-coded-secret
    JWT_AUDIENCE = "spendtrack-api"
    JWT_ISSUER = "https://auth.spendtrack.io"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    UPLOAD_DIR = os.environ.get("SPENDTRACK_UPLOAD_DIR", "/var/lib/spendtrack/uploads")
    EXPORT_DIR = os.environ.get("SPENDTRACK_EXPORT_DIR", "/var/lib/spendtrack/exports")
    BACKUP_DIR = os.environ.get("SPENDTRACK_BACKUP_DIR", "/var/backups/spendtrack")
    S3_BUCKET = os.environ.get("SPENDTRACK_S3_BUCKET", "spendtrack-receipts")
    AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "q8Fz2LxV0cT7nWmR4yK1pS9dJ6hB3eA5uGiNoXsP")  # SEEDED: SEC hard-coded-secret
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # SAFE: hard-coded-secret
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
    FX_API_URL = "https://api.exchangerate.host/latest"
    ALLOWED_WEBHOOK_HOSTS = ("hooks.slack.com", "hooks.spendtrack.io")
    CORS_ORIGINS = ["https://app.spendtrack.io", "https://admin.spendtrack.io"]
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = False  # SEEDED: SEC insecure-cookie
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    OPS_SSH_USER = "deploy"
    OPS_SSH_KEY = os.environ.get("SPENDTRACK_OPS_KEY", "/etc/spendtrack/ops_ed25519")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # SAFE: hard-coded-secret
    JWT_SECRET = "testing-only-jwt"  # SAFE: hard-coded-secret
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class ProductionConfig(Config):
    DEBUG = True  # SEEDED: SEC debug-enabled
    PREFERRED_URL_SCHEME = "https"
