"""Prove every module of learnhub imports, the aiohttp app builds with its routes, the GraphQL schemas,
the arq worker settings and the Click CLI load, with sockets blocked.

    /tmp/service31-venv/bin/python benchmarks/service31/check_imports.py
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
    def __init__(self, family=-1, type=-1, *args, **kwargs):
        if family == socket.AF_UNIX:  # asyncio's self-pipe on some platforms
            super().__init__(family, type, *args, **kwargs)
            return
        raise RuntimeError("network access during import")


socket.socket = _NoSocket  # type: ignore[misc]
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("network access during import"))  # type: ignore[assignment]

tmp = tempfile.mkdtemp(prefix="service31-")
os.environ.setdefault("LEARNHUB_DATA", tmp)
os.environ.setdefault("LEARNHUB_SQL", os.path.join(tmp, "learnhub.db"))
os.environ.setdefault("LEARNHUB_SECRET_KEY", "check-imports-only")
os.environ.setdefault("LEARNHUB_JWT_SECRET", "check-imports-only")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import learnhub  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(learnhub.__path__, "learnhub.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from learnhub.db import database, init_sql  # noqa: E402
from learnhub.models import ALL_MODELS  # noqa: E402

init_sql()
database.create_tables(ALL_MODELS)
print(f"peewee: {len(ALL_MODELS)} tables created on sqlite: {', '.join(sorted(database.get_tables()))}")

from learnhub.app import create_app  # noqa: E402

app = create_app()
routes = [r for r in app.router.routes()]
print(f"aiohttp: {len(routes)} routes")
for r in routes:
    info = r.resource.get_info() if r.resource is not None else {}
    path = info.get("path") or info.get("formatter") or "?"
    print(f"  {r.method:<8} {path:<58} {getattr(r.handler, '__name__', type(r.handler).__name__)}")

from learnhub.graphql_api import legacy_schema, schema  # noqa: E402

print(f"graphql: {len(str(schema).splitlines())} SDL lines; legacy {len(str(legacy_schema).splitlines())}")

from learnhub.jobs import WorkerSettings  # noqa: E402

print(f"arq: {len(WorkerSettings.functions)} functions, {len(WorkerSettings.cron_jobs)} cron jobs")

from learnhub.cli import cli  # noqa: E402

print(f"click: {len(cli.commands)} commands: {', '.join(sorted(cli.commands))}")
