"""Prove every module of roomdesk imports, Django sets up, the models map, the URLs resolve and the
dramatiq actors register, with sockets blocked.

    /tmp/service26-venv/bin/python benchmarks/service26/check_imports.py
"""
from __future__ import annotations

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
    def __init__(self, *args, **kwargs):
        raise RuntimeError("network access during import")


socket.socket = _NoSocket  # type: ignore[misc]
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("network access during import"))  # type: ignore[assignment]

tmp = tempfile.mkdtemp(prefix="service26-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roomdesk.settings")
os.environ.setdefault("ROOMDESK_DB", f"{tmp}/roomdesk.sqlite3")
os.environ.setdefault("ROOMDESK_MEDIA", f"{tmp}/media")
os.environ.setdefault("ROOMDESK_EXPORTS", f"{tmp}/exports")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # boto3 clients are built at import
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("ROOMDESK_BROKER", sys.argv[1] if len(sys.argv) > 1 else "redis")

import django  # noqa: E402

django.setup()

import roomdesk  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(roomdesk.__path__, "roomdesk."))
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import get_resolver  # noqa: E402

call_command("migrate", run_syncdb=True, verbosity=0)  # sqlite file in a temporary directory: proves the models map
tables = sorted(t for t in connection.introspection.table_names() if t.startswith("roomdesk_"))
print(f"tables: {', '.join(tables)}")


def _walk(patterns, prefix=""):
    for p in patterns:
        if hasattr(p, "url_patterns"):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p.name


routes = [r for r in _walk(get_resolver().url_patterns) if not r[0].startswith("admin/")]
print(f"{len(routes)} url patterns outside the Django admin:")
for route, name in routes:
    print(f"  {route}  -> {name}")

import dramatiq  # noqa: E402

from roomdesk import tasks  # noqa: E402,F401

actors = sorted(dramatiq.get_broker().get_declared_actors())
print(f"dramatiq broker {type(dramatiq.get_broker()).__name__}: {len(actors)} actors: {', '.join(actors)}")
