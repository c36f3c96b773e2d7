"""Django settings for permitdesk.

Values come from the environment (twelve-factor); the defaults suit a developer laptop.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PERMITDESK_DATA_DIR", "/var/lib/permitdesk"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-7c#q2!permitdesk-dev-key-4f9a")  # SEEDED: SEC hardcoded-secret
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"  # SEEDED: SEC debug-enabled
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "permits.example.gov").split(",") if h]  # SAFE: allowed-hosts

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "permitdesk",
]

MIDDLEWARE = [  # SAFE: security-middleware
    "django.middleware.security.SecurityMiddleware",
    "permitdesk.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "permitdesk.middleware.PartnerCorsMiddleware",
    "permitdesk.middleware.AuditMiddleware",
]

ROOT_URLCONF = "permitdesk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": os.environ.get("PERMITDESK_DB_ENGINE", "django.db.backends.sqlite3"),
        "NAME": os.environ.get("PERMITDESK_DB_NAME", str(DATA_DIR / "permitdesk.sqlite3")),
        "USER": os.environ.get("PERMITDESK_DB_USER", ""),
        "PASSWORD": os.environ.get("PERMITDESK_DB_PASSWORD", ""),
        "HOST": os.environ.get("PERMITDESK_DB_HOST", ""),
        "CONN_MAX_AGE": 60,
    }
}

AUTH_PASSWORD_VALIDATORS = [  # SAFE: password-policy
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"
USE_TZ = True  # SAFE: aware-datetimes
CITY_TZ = TIME_ZONE

STATIC_URL = "static/"
MEDIA_ROOT = DATA_DIR / "media"
UPLOAD_ROOT = DATA_DIR / "uploads"
EXPORT_ROOT = DATA_DIR / "exports"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # SAFE: request-size-limit
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True  # SAFE: cookie-flags
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_TRUSTED_ORIGINS = ["https://permits.example.gov"]  # SAFE: csrf-trusted-origins
SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "/login/"
REDIS_URL = os.environ.get("PERMITDESK_REDIS_URL", "redis://localhost:6379/3")
PAYMENT_PROVIDER_URL = os.environ.get("PAYMENT_PROVIDER_URL", "https://pay.example-provider.com")
PAYMENT_WEBHOOK_SECRET = os.environ.get("PAYMENT_WEBHOOK_SECRET", "")
PAYMENT_API_KEY = os.environ.get("PAYMENT_API_KEY", "")
PARCEL_API_URL = os.environ.get("PARCEL_API_URL", "https://gis.example.gov/arcgis/rest/services/Parcels/MapServer/0")
SMS_API_URL = os.environ.get("SMS_API_URL", "https://sms.example-gateway.com/v2/messages")
SMS_API_TOKEN = os.environ.get("SMS_API_TOKEN", "")
VIRUS_SCAN_URL = os.environ.get("VIRUS_SCAN_URL", "http://clamd-rest.internal:8080/scan")
ARCHIVE_SFTP_HOST = os.environ.get("ARCHIVE_SFTP_HOST", "records-archive.example.gov")
ARCHIVE_SFTP_USER = os.environ.get("ARCHIVE_SFTP_USER", "permitdesk")
ARCHIVE_SFTP_PASSWORD = os.environ.get("ARCHIVE_SFTP_PASSWORD", "Arch1ve!2024")  # SEEDED: SEC hardcoded-secret
JWT_SIGNING_KEY = os.environ.get("PERMITDESK_JWT_KEY") or SECRET_KEY
SIGNED_LINK_MAX_AGE = 15 * 60

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "smtp.example.gov")
EMAIL_PORT = 587
EMAIL_USE_TLS = True
EMAIL_TIMEOUT = 10  # SAFE: smtp-timeout
DEFAULT_FROM_EMAIL = "Permit Desk <no-reply@permits.example.gov>"

NINJA_PAGINATION_PER_PAGE = 25
NINJA_MAX_PER_PAGE_SIZE = 100  # SAFE: max-page-size

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
