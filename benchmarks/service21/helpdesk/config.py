"""Settings for the helpdesk service."""
import os
from pathlib import Path

BASE_DIR = Path(os.environ.get("HELPDESK_HOME", "/var/lib/helpdesk"))
UPLOAD_ROOT = BASE_DIR / "uploads"
EXPORT_ROOT = BASE_DIR / "exports"
REPORT_ROOT = BASE_DIR / "reports"
HISTORY_ROOT = BASE_DIR / "history"

SECRET_KEY = "django-insecure-v8#k2l9x0q7w6e5r4t3y2u1i0o9p8a7s6d5f"  # SEEDED: SEC hard-coded-secret
JWT_SECRET = os.environ.get("HELPDESK_JWT_SECRET", "")  # SAFE: secret read from the environment
JWT_AUDIENCE = "helpdesk-api"
WEBHOOK_SIGNING_KEY = os.environ.get("HELPDESK_WEBHOOK_KEY", "").encode()  # SAFE: secret from env
CRM_API_TOKEN = "crm_live_51HkQ2mL9vXr7TbY3nW8pZ"  # SEEDED: SEC hard-coded-secret
PASSWORD_MIN_LENGTH = 12  # SAFE: a policy number, not a secret
TOKEN_ENDPOINT = "https://auth.example.com/oauth2/token"  # SAFE: a URL named token, not a secret
PASSWORD_RESET_TEMPLATE = "emails/password_reset.txt"  # SAFE: a template path, not a password

CRM_URL = os.environ.get("HELPDESK_CRM_URL", "https://crm.example.com/api")
INVENTORY_URL = os.environ.get("HELPDESK_INVENTORY_URL", "https://inventory.internal/api")
ATTACHMENT_BUCKET = os.environ.get("HELPDESK_BUCKET", "helpdesk-attachments")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEBUG = os.environ.get("HELPDESK_DEBUG", "0") == "1"  # SAFE: debug off unless asked for


def django_settings() -> dict:
    return {
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": DEBUG,
        "ALLOWED_HOSTS": os.environ.get("HELPDESK_HOSTS", "localhost").split(","),
        "INSTALLED_APPS": [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
        ],
        "DATABASES": {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(BASE_DIR / "helpdesk.sqlite3"),
            }
        },
        "ROOT_URLCONF": "helpdesk.urls",
        "USE_TZ": True,
        "REST_FRAMEWORK": {
            "DEFAULT_AUTHENTICATION_CLASSES": ["helpdesk.auth.BearerAuthentication"],
        },
    }
