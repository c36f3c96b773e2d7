"""Prove every module of telecare imports under a configured Django, the URL conf resolves, Django's
system checks run and the Celery app lists its tasks, with sockets blocked.

    /tmp/service29-venv/bin/python benchmarks/service29/check_imports.py
"""
from __future__ import annotations

import base64
import importlib
import os
import pkgutil
import socket
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class _NoSocket(socket.socket):
    def __init__(self, family=-1, type=-1, *args, **kwargs):
        if family == socket.AF_UNIX:  # asyncio's self-pipe on some platforms
            super().__init__(family, type, *args, **kwargs)
            return
        raise RuntimeError("network access during import")


socket.socket = _NoSocket  # type: ignore[misc]
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("network access during import"))  # type: ignore[assignment]

tmp = tempfile.mkdtemp(prefix="service29-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telecare.settings")
os.environ.setdefault("TELECARE_DATA", tmp)
os.environ.setdefault("TELECARE_JWT_SECRET", "check-imports-only")
os.environ.setdefault("TELECARE_MRN_KEY", "00" * 16)
os.environ.setdefault("TELECARE_FIELD_KEY", base64.urlsafe_b64encode(b"\0" * 32).decode())
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # a boto3 client is built at import
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import django  # noqa: E402

django.setup()

import telecare  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(telecare.__path__, "telecare.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
command = importlib.import_module("telecare.management.commands.purge_recordings")
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)} + management command "
      f"{command.__name__.rsplit('.', 1)[-1]}")

from django.apps import apps  # noqa: E402
from django.core import checks  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402

models = sorted(m._meta.db_table for m in apps.get_app_config("telecare").get_models())
print(f"models: {len(models)}: {', '.join(models)}")


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


routes = list(walk(get_resolver().url_patterns))
print(f"url patterns: {len(routes)}")
for route, callback in routes:
    target = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
    print(f"  /{route:<60} {target.__module__}.{target.__name__}")

messages = checks.run_checks(include_deployment_checks=False)
print(f"system checks: {len(messages)} messages")
for m in messages:
    print(f"  {m.id}: {m.msg[:100]}")

from telecare.tasks import celery_app  # noqa: E402

tasks = sorted(t for t in celery_app.tasks if t.startswith("telecare."))
print(f"celery: {len(tasks)} tasks: {', '.join(t.split('.')[-1] for t in tasks)}")
