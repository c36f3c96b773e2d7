"""Django settings for RoomDesk."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("ROOMDESK_SECRET_KEY", "django-insecure-r00md3sk-7d#k2!x9q@p4v$8wz")  # SEEDED: SEC hard-coded-secret

DEBUG = True  # SEEDED: SEC debug-enabled

ALLOWED_HOSTS = [h for h in os.environ.get("ROOMDESK_ALLOWED_HOSTS", "localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "roomdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "roomdesk.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "roomdesk.middleware.RequestStatsMiddleware",
]

ROOT_URLCONF = "roomdesk.urls"

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
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("ROOMDESK_DB", str(BASE_DIR / "roomdesk.sqlite3")),
    }
}

# reporting warehouse (read replica), queried with psycopg directly
REPORTS_DSN = os.environ.get("ROOMDESK_REPORTS_DSN", "postgresql://reports@warehouse:5432/roomdesk")

AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID")
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY")  # SAFE: hard-coded-secret
S3_BUCKET = os.environ.get("ROOMDESK_BUCKET", "roomdesk-files")

JWT_SECRET = os.environ.get("ROOMDESK_JWT_SECRET", "")  # SAFE: hard-coded-secret
JWT_AUDIENCE = "roomdesk-api"
PARTNER_JWT_KEY = os.environ.get("ROOMDESK_PARTNER_KEY", "")
SERVICE_API_KEY = os.environ.get("ROOMDESK_SERVICE_KEY", "")

SESSION_COOKIE_SECURE = False  # SEEDED: SEC insecure-cookie
SESSION_COOKIE_HTTPONLY = True  # SAFE: insecure-cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True  # SAFE: insecure-cookie
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CORS_ALLOWED_ORIGINS = ["https://app.roomdesk.io", "https://admin.roomdesk.io"]

MEDIA_ROOT = Path(os.environ.get("ROOMDESK_MEDIA", "/var/lib/roomdesk/media"))
EXPORT_ROOT = Path(os.environ.get("ROOMDESK_EXPORTS", "/var/lib/roomdesk/exports"))
LOG_FILE = Path(os.environ.get("ROOMDESK_LOG", "/var/log/roomdesk/app.log"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_HOST = os.environ.get("ROOMDESK_SMTP_HOST", "localhost")
EMAIL_HOST_USER = os.environ.get("ROOMDESK_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ROOMDESK_SMTP_PASSWORD", "")

PAYMENTS_URL = os.environ.get("ROOMDESK_PAYMENTS_URL", "https://api.payfast.example/v2")
CHANNEL_MANAGER_URL = os.environ.get("ROOMDESK_CHANNELS_URL", "https://channels.example.net/api")
REDIS_URL = os.environ.get("ROOMDESK_REDIS_URL", "redis://localhost:6379/0")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/accounts/login/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
