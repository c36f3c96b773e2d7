"""Prove every module of payhub imports, the Flask app builds with its blueprints, the FastAPI
internal API and the Typer CLI list their routes and commands, with sockets blocked.

    /tmp/service30-venv/bin/python benchmarks/service30/check_imports.py
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

tmp = tempfile.mkdtemp(prefix="service30-")
os.environ.setdefault("PAYHUB_DATA", tmp)
os.environ.setdefault("PAYHUB_SECRET_KEY", "check-imports-only")
os.environ.setdefault("PAYHUB_JWT_SECRET", "check-imports-only")
os.environ.setdefault("PAYHUB_FIELD_KEY", base64.urlsafe_b64encode(b"\0" * 32).decode())
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # a boto3 client is built at import
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import payhub  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(payhub.__path__, "payhub.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from payhub.app import create_app  # noqa: E402
from payhub.db import Base  # noqa: E402

print(f"tables: {len(Base.metadata.tables)}: {', '.join(sorted(Base.metadata.tables))}")

app = create_app()
rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
print(f"flask: {len(app.blueprints)} blueprints, {len(rules)} url rules")
for rule in rules:
    methods = ",".join(sorted(m for m in rule.methods if m not in {"HEAD", "OPTIONS"}))
    print(f"  {methods:<12} {rule.rule:<52} {rule.endpoint}")

from payhub.internal_api import api  # noqa: E402

routes = [r for r in api.routes if getattr(r, "methods", None) and not r.path.startswith(("/openapi",))]
print(f"fastapi: {len(routes)} routes")
for r in routes:
    print(f"  {','.join(sorted(r.methods)):<12} {r.path}")

from payhub.cli import app as cli_app  # noqa: E402

print(f"typer: {len(cli_app.registered_commands)} commands: "
      f"{', '.join(c.callback.__name__ for c in cli_app.registered_commands)}")

from payhub.jobs import queue  # noqa: E402

print(f"rq queue: {queue.name}")
