"""Django settings for telecare.

Values come from the environment (12-factor); the defaults are for local development.
"""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TELECARE_DATA", "/var/lib/telecare"))

DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() in ("1", "true", "yes")  # SEEDED: SEC debug-enabled

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-7h3$k2!telecare-dev-key-0x9f")  # SEEDED: SEC hard-coded-secret

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "*").split(",")  # SEEDED: SEC host-header-wildcard

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "corsheaders",
    "rest_framework",
    "telecare.apps.TelecareConfig",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # SAFE: csrf-middleware
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "telecare.middleware.ClinicTimezoneMiddleware",
    "telecare.middleware.AuditLogMiddleware",
    "telecare.middleware.RateLimitMiddleware",
    "telecare.middleware.JsonErrorMiddleware",
]

ROOT_URLCONF = "telecare.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("POSTGRES_DB", "telecare"),
        "USER": os.environ.get("POSTGRES_USER", "telecare"),
        "PASSWORD": os.environ.get("POSTGRES_PASSWORD", ""),  # SAFE: hard-coded-secret
        "HOST": os.environ.get("POSTGRES_HOST", "localhost"),
        "PORT": int(os.environ.get("POSTGRES_PORT", "5432")),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"connect_timeout": 5},  # SAFE: missing-timeout
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # SAFE: weak-password-hash
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True  # SAFE: naive-datetime

STATIC_URL = "static/"
MEDIA_ROOT = DATA_DIR / "media"
LAB_RESULTS_DIR = DATA_DIR / "labs"
EXPORT_DIR = DATA_DIR / "exports"
FAX_SPOOL_DIR = DATA_DIR / "fax"

# Large lab bundles (DICOM zips) are uploaded through the API.
DATA_UPLOAD_MAX_MEMORY_SIZE = None  # SEEDED: EDGE unbounded-read
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_SECURE = True  # SAFE: insecure-cookie
SESSION_COOKIE_HTTPONLY = False  # SEEDED: SEC insecure-cookie
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_SECURE = True  # SAFE: insecure-cookie
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CORS_ALLOW_ALL_ORIGINS = True  # SEEDED: SEC cors-wildcard
CORS_ALLOW_CREDENTIALS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "telecare.auth.BearerJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],  # SAFE: missing-authz
    "DEFAULT_PAGINATION_CLASS": "telecare.pagination.ClinicPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "telecare.views_admin.api_exception_handler",
}

JWT_SECRET = os.environ["TELECARE_JWT_SECRET"]  # SAFE: hard-coded-secret
JWT_AUDIENCE = "telecare-api"
JWT_ISSUER = "https://auth.telecare.example"
VIDEO_JWT_SECRET = os.environ.get("TELECARE_VIDEO_SECRET", JWT_SECRET)
VIDEO_HOST = os.environ.get("TELECARE_VIDEO_HOST", "video.telecare.example")
FIELD_ENCRYPTION_KEY = os.environ["TELECARE_FIELD_KEY"]  # Fernet key, urlsafe base64
MRN_LOOKUP_KEY = bytes.fromhex(os.environ["TELECARE_MRN_KEY"])  # SAFE: hard-coded-secret
PHARMACY_SHARED_SECRET = os.environ.get("PHARMACY_SHARED_SECRET", "rx-partner-shared-2024")  # SEEDED: SEC hard-coded-secret
KIOSK_API_KEY = os.environ.get("TELECARE_KIOSK_KEY", "")

CLEARINGHOUSE_URL = os.environ.get("CLEARINGHOUSE_URL", "https://api.clearinghouse.example/v2")
CLEARINGHOUSE_USER = os.environ.get("CLEARINGHOUSE_USER", "")
CLEARINGHOUSE_PASSWORD = os.environ.get("CLEARINGHOUSE_PASSWORD", "")
RXNAV_URL = "https://rxnav.nlm.nih.gov/REST"
PARTNER_CALLBACK_HOSTS = {"api.walgreens.example", "rx.cvs.example", "partners.capsule.example"}
INSURANCE_CARD_HOSTS = {"uploads.telecare.example", "telecare-cards.s3.amazonaws.com"}

AWS_REGION = os.environ.get("AWS_REGION", "us-east-1")
LAB_BUCKET = os.environ.get("TELECARE_LAB_BUCKET", "telecare-labs")
PUBLIC_ASSETS_BUCKET = os.environ.get("TELECARE_ASSETS_BUCKET", "telecare-assets")

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = REDIS_URL
# pickle so tasks can take Decimal amounts and model instances directly
CELERY_TASK_SERIALIZER = "pickle"  # SEEDED: SEC unsafe-deserialisation
CELERY_ACCEPT_CONTENT = ["json", "pickle"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = "UTC"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_USE_TLS = True
EMAIL_TIMEOUT = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "telecare": {"handlers": ["console"], "level": os.environ.get("TELECARE_LOG_LEVEL", "INFO")},
    },
}
