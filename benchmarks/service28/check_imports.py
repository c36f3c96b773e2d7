"""Prove every module of seatmarket imports, the FastAPI apps and the Flask back office build and the
Celery app lists its tasks, with sockets blocked.

    /tmp/service28-venv/bin/python benchmarks/service28/check_imports.py
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

tmp = tempfile.mkdtemp(prefix="service28-")
os.environ.setdefault("SEATMARKET_DATA", tmp)
os.environ.setdefault("SEATMARKET_FLASK_SECRET", "check-imports-only")
os.environ.setdefault("SEATMARKET_WEBHOOK_KEY", "check-imports-only")
os.environ.setdefault("SEATMARKET_FERNET_KEY", base64.urlsafe_b64encode(b"\0" * 32).decode())
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # a boto3 client is built at import
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import seatmarket  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(seatmarket.__path__, "seatmarket."))
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from seatmarket.app import app, partner_app  # noqa: E402
from seatmarket.backoffice import app as backoffice  # noqa: E402
from seatmarket.db import Base  # noqa: E402
from seatmarket.tasks import celery_app  # noqa: E402

print(f"tables: {', '.join(sorted(Base.metadata.tables))}")
# FastAPI 0.165 keeps included routers as _IncludedRouter entries: list the operations of the
# OpenAPI schema instead (building it also validates every route's parameters and models)
paths = app.openapi()["paths"]
operations = sorted((path, method.upper()) for path, item in paths.items() for method in item)
print(f"fastapi app: {len(operations)} operations on {len(paths)} paths, mounts: "
      + ", ".join(r.path for r in app.routes if type(r).__name__ == "Mount"))
for path, method in operations:
    print(f"  {method:<7} {path}")
print(f"partner app: {sum(len(i) for i in partner_app.openapi()['paths'].values())} operations")
rules = sorted(str(r) for r in backoffice.url_map.iter_rules())
print(f"flask back office: {len(rules)} rules: {' '.join(rules)}")
tasks = sorted(t for t in celery_app.tasks if t.startswith("seatmarket."))
print(f"celery: {len(tasks)} tasks: {', '.join(t.split('.')[-1] for t in tasks)}")
