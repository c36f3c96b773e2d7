"""Tortoise set-up and the few raw-SQL helpers the reports need."""
from __future__ import annotations

from tortoise import Tortoise

from .config import get_settings

MODELS = ["leaseline.models"]


def tortoise_config(url: str | None = None) -> dict:
    return {
        "connections": {"default": url or get_settings().database_url},
        "apps": {"models": {"models": MODELS, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(url: str | None = None, create: bool = False) -> None:
    await Tortoise.init(config=tortoise_config(url))
    if create:
        await Tortoise.generate_schemas(safe=True)


async def close_db() -> None:
    await Tortoise.close_connections()


def conn():
    return Tortoise.get_connection("default")


async def fetch_all(sql: str, params: list | None = None) -> list[dict]:
    return await conn().execute_query_dict(sql, params or [])


def placeholders(values: list) -> str:
    return ", ".join("?" for _ in values)
