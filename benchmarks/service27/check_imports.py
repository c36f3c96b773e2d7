"""Prove every module of shipline imports, the Litestar app and the Quart portal build, the Tortoise
models map (schemas generated in an in-memory sqlite database) and the arq worker lists its jobs,
with sockets blocked.

    /tmp/service27-venv/bin/python benchmarks/service27/check_imports.py
"""
from __future__ import annotations

import asyncio
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

tmp = tempfile.mkdtemp(prefix="service27-")
os.environ.setdefault("SHIPLINE_DATA", tmp)
os.environ.setdefault("SHIPLINE_DB", "sqlite://:memory:")
os.environ.setdefault("SHIPLINE_WEBHOOK_SECRET", "check-imports-only")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # a boto3 client is built at import
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import shipline  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(shipline.__path__, "shipline."))
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from tortoise import Tortoise, connections  # noqa: E402

from shipline import config  # noqa: E402
from shipline.app import app, partner_app  # noqa: E402
from shipline.jobs import WorkerSettings  # noqa: E402
from shipline.portal import portal  # noqa: E402


async def _schemas() -> list[str]:
    await Tortoise.init(config=config.TORTOISE_ORM)
    await Tortoise.generate_schemas(safe=True)
    rows = await connections.get("default").execute_query_dict(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    await connections.close_all()
    return [r["name"] for r in rows]


print(f"tables: {', '.join(asyncio.run(_schemas()))}")

routes = sorted((sorted(r.methods), r.path) for r in app.routes)
print(f"litestar app: {len(routes)} routes")
for methods, path in routes:
    print(f"  {','.join(m for m in methods if m not in ('HEAD', 'OPTIONS')) or 'ASGI':<18} {path}")
print(f"partner app: {len(partner_app.routes)} routes")
rules = sorted(str(r) for r in portal.url_map.iter_rules())
print(f"quart portal: {len(rules)} rules: {' '.join(rules)}")
print(f"arq worker: {len(WorkerSettings.functions)} functions, {len(WorkerSettings.cron_jobs)} cron jobs: "
      + ", ".join(f.__name__ for f in WorkerSettings.functions))
