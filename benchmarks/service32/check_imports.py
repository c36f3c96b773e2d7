"""Prove every module of leaseline imports, the Falcon ASGI app builds with its routes, Tortoise
creates the tables on in-memory SQLite and the Huey tasks register, with sockets blocked.

    /tmp/service32-venv/bin/python benchmarks/service32/check_imports.py
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

tmp = tempfile.mkdtemp(prefix="service32-")
os.environ.setdefault("LEASELINE_DATA", tmp)
os.environ.setdefault("LEASELINE_DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("LEASELINE_SESSION_SECRET", "check-imports-only")
os.environ.setdefault("LEASELINE_JWT_SECRET", "check-imports-only")
os.environ.setdefault("LEASELINE_PROCESSOR_WEBHOOK_SECRET", "check-imports-only")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import leaseline  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(leaseline.__path__, "leaseline.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from tortoise import Tortoise  # noqa: E402

from leaseline.models import close_db, init_db  # noqa: E402


async def _schema() -> list[str]:
    await init_db("sqlite://:memory:", create=True)
    try:
        _, rows = await Tortoise.get_connection("default").execute_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        return [r["name"] for r in rows]
    finally:
        await close_db()


tables = asyncio.run(_schema())
print(f"tortoise: {len(tables)} tables on sqlite: {', '.join(tables)}")

from leaseline.app import create_app  # noqa: E402

app = create_app()


def _walk(nodes, out):
    for node in nodes:
        if node.resource is not None:
            name = type(node.resource).__name__
            out.append((node.uri_template, name, sorted(m for m, r in (node.method_map or {}).items()
                                                         if getattr(r, "__qualname__", "").startswith(name + "."))))
        _walk(node.children, out)
    return out


routes = _walk(app._router._roots, [])
print(f"falcon asgi: {len(routes)} routes")
for template, resource, methods in routes:
    print(f"  {template:<58} {resource:<28} {','.join(methods)}")

from leaseline.tasks import huey  # noqa: E402

print(f"huey: {len(huey._registry._registry)} tasks: {', '.join(sorted(n.split('.')[-1] for n in huey._registry._registry))}")
