"""Settings for shopsvc, read from the environment with development defaults."""
import os
from dataclasses import dataclass, field

# Development defaults. Override in production through the environment.
JWT_SECRET = "sk-shop-7f3a9c2e41b8d6e0a5f1c9b2d7e4a8f3"  # SEEDED: SEC hardcoded-jwt-secret
PAYMENT_GATEWAY_API_KEY = "sk_live_51HxQ2kLm9Pq8Rt7Uv6Wx5Yz4Ab3Cd2Ef1Gh0Ij"  # SEEDED: SEC hardcoded-api-key
ADMIN_PASSWORD = os.environ.get("SHOP_ADMIN_PASSWORD", "")  # SAFE: secret-from-env
WEBHOOK_SIGNING_KEY = os.environ["SHOP_WEBHOOK_KEY"] if "SHOP_WEBHOOK_KEY" in os.environ else None  # SAFE: secret-from-env

DATABASE_URL = os.environ.get("SHOP_DATABASE_URL", "sqlite:///./shop.db")
UPLOAD_DIR = os.environ.get("SHOP_UPLOAD_DIR", "/var/lib/shopsvc/uploads")
EXPORT_DIR = os.environ.get("SHOP_EXPORT_DIR", "/var/lib/shopsvc/exports")
INVENTORY_URL = os.environ.get("SHOP_INVENTORY_URL", "http://inventory.internal:8081")
PAYMENT_GATEWAY_URL = os.environ.get("SHOP_PAYMENT_URL", "https://payments.example.com/v2")
ALLOWED_REDIRECT_HOSTS = {"shop.example.com", "admin.shop.example.com"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
TOKEN_TTL_SECONDS = 3600
RESET_TTL_SECONDS = 900


@dataclass
class Settings:
    database_url: str = DATABASE_URL
    upload_dir: str = UPLOAD_DIR
    export_dir: str = EXPORT_DIR
    inventory_url: str = INVENTORY_URL
    payment_url: str = PAYMENT_GATEWAY_URL
    jwt_audience: str = "shopsvc"
    jwt_issuer: str = "https://auth.example.com/"
    request_timeout: float = 5.0
    features: dict = field(default_factory=dict)


settings = Settings()
