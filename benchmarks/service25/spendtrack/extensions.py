"""Shared extension objects (initialised by the app factory)."""
from __future__ import annotations

from celery import Celery, Task
from flask import Flask
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
login_manager.login_view = "auth.login"

celery = Celery("spendtrack")


def init_celery(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.Task = FlaskTask
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config["CELERY_BROKER_URL"],
        task_acks_late=True,
    )
    celery.conf.task_serializer = "json"  # SAFE: unsafe-deserialisation
    celery.conf.accept_content = ["json", "pickle"]  # SEEDED: SEC unsafe-deserialisation
    app.extensions["celery"] = celery
    return celery
