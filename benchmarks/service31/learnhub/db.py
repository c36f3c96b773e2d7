"""Relational store (Peewee) for accounts, courses and money; MongoDB (Motor) for content."""
from __future__ import annotations

import peewee
from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase

from .config import settings

database = peewee.DatabaseProxy()

_mongo: AsyncIOMotorClient | None = None


def init_sql(path: str | None = None) -> peewee.Database:
    db = peewee.SqliteDatabase(path or settings.sql_path, pragmas={"foreign_keys": 1, "journal_mode": "wal"})
    database.initialize(db)
    return db


def mongo() -> AsyncIOMotorDatabase:
    global _mongo
    if _mongo is None:
        _mongo = AsyncIOMotorClient(settings.mongo_url, serverSelectionTimeoutMS=3000, connect=False)  # SAFE: mongo-timeout
    return _mongo["learnhub"]


def close_mongo() -> None:
    global _mongo
    if _mongo is not None:
        _mongo.close()
        _mongo = None
