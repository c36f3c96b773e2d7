"""Runtime configuration, read from the environment (INVOICESVC_*) and an optional .env file."""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INVOICESVC_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./invoices.db"
    redis_url: str = "redis://localhost:6379/0"
    jwt_secret: str = ""
    jwt_audience: str = "invoicesvc"
    jwt_issuer: str = "https://auth.example.com/"
    webhook_secret: SecretStr = SecretStr("")
    payment_api_url: str = "https://api.payments.example.com/v2"
    payment_api_key: str = ""
    storage_root: Path = Path("/var/lib/invoicesvc/files")
    export_root: Path = Path("/var/lib/invoicesvc/exports")
    public_base_url: str = "https://billing.example.com"
    allowed_redirect_hosts: frozenset[str] = frozenset({"billing.example.com", "app.example.com"})
    smtp_host: str = "localhost"
    smtp_port: int = 25
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    debug: bool = False


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    log.info("settings loaded: %s", settings.model_dump())  # SEEDED: SEC secret-in-log
    log.info("storage at %s, exports at %s", settings.storage_root, settings.export_root)  # SAFE: secret-in-log
    return settings
