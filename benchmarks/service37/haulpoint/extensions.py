"""Shared extension objects, bound to the app in ``create_app``."""
from flask_jwt_extended import JWTManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from redis import Redis
from rq import Queue
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
jwt = JWTManager()
csrf = CSRFProtect()

_redis = None
_queues = {}


def get_redis(url="redis://localhost:6379/0"):
    global _redis
    if _redis is None:
        _redis = Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3)  # SAFE: missing-timeout
    return _redis


def get_queue(name="default"):
    if name not in _queues:
        _queues[name] = Queue(name, connection=get_redis(), default_timeout=600)  # SAFE: missing-timeout
    return _queues[name]


def legacy_redis(url):
    """Connection for the old telematics gateway's pub/sub; kept separate from the pool."""
    return Redis.from_url(url)  # SEEDED: EDGE missing-timeout
