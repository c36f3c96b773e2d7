"""Configuration for haulpoint, read from the environment with development defaults."""
import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("HAULPOINT_SECRET_KEY", "haulpoint-dev-secret-change-me")  # SEEDED: SEC hardcoded-secret
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///haulpoint.db")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_recycle": 1800}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    JWT_SECRET_KEY = os.environ["HAULPOINT_JWT_SECRET"] if "HAULPOINT_JWT_SECRET" in os.environ else os.urandom(32).hex()  # SAFE: hardcoded-secret
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)  # SAFE: token-no-expiry
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=14)
    JWT_TOKEN_LOCATION = ["headers", "cookies"]
    JWT_COOKIE_SECURE = True  # SAFE: insecure-cookie
    JWT_COOKIE_CSRF_PROTECT = False  # SEEDED: SEC csrf-disabled
    JWT_ALGORITHM = "HS256"

    SESSION_COOKIE_SECURE = True  # SAFE: insecure-cookie
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 3600
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024  # SAFE: unbounded-read

    REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
    S3_BUCKET = os.environ.get("HAULPOINT_S3_BUCKET", "haulpoint-documents")
    S3_REGION = os.environ.get("AWS_REGION", "us-east-2")
    DATA_DIR = os.environ.get("HAULPOINT_DATA_DIR", "/var/lib/haulpoint")
    OCR_URL = os.environ.get("HAULPOINT_OCR_URL", "https://ocr.internal.haulpoint.io/v2/jobs")
    OCR_TOKEN = os.environ.get("HAULPOINT_OCR_TOKEN", "")
    SMS_GATEWAY_URL = os.environ.get("HAULPOINT_SMS_URL", "https://sms.example-gateway.com/api/send")
    SMS_API_KEY = os.environ.get("HAULPOINT_SMS_KEY", "")
    SMTP_HOST = os.environ.get("HAULPOINT_SMTP_HOST", "localhost")
    MAIL_FROM = "dispatch@haulpoint.io"
    PAYMENT_WEBHOOK_SECRET = os.environ.get("HAULPOINT_PAYMENT_WEBHOOK_SECRET", "")
    FERNET_KEY = os.environ.get("HAULPOINT_FERNET_KEY", "")
    SSO_SHARED_SECRET = os.environ.get("HAULPOINT_SSO_SECRET")  # SAFE: hardcoded-secret
    LEGACY_GATEWAY_KEY = os.environ.get("HAULPOINT_GATEWAY_KEY", "gw-7c41f09ab2d35e68")  # SEEDED: SEC hardcoded-secret
    COMPANY_TZ = "America/Chicago"
    PUBLIC_BASE_URL = os.environ.get("HAULPOINT_PUBLIC_URL", "https://track.haulpoint.io")
    ALLOWED_REDIRECT_HOSTS = {"track.haulpoint.io", "app.haulpoint.io"}
    DEBUG = os.environ.get("HAULPOINT_DEBUG", "1") == "1"  # SEEDED: SEC debug-enabled
    RESTX_MASK_SWAGGER = False
    ERROR_404_HELP = False


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite:///:memory:"
    WTF_CSRF_ENABLED = False
