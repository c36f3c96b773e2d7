"""Prove every module of wheelshare imports and the Sanic app builds with its routes and the ARQ worker
settings register their functions and cron jobs, with sockets blocked (no database, redis or network).

    /tmp/service33-venv/bin/python benchmarks/service33/check_imports.py
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

tmp = tempfile.mkdtemp(prefix="service33-")
os.environ.setdefault("WHEELSHARE_DATA", tmp)
os.environ.setdefault("WHEELSHARE_JWT_SECRET", "check-imports-only")
os.environ.setdefault("WHEELSHARE_SESSION_SECRET", "check-imports-only")
os.environ.setdefault("WHEELSHARE_LICENCE_FERNET_KEY", "Y2hlY2staW1wb3J0cy1vbmx5LWZlcm5ldC1rZXktMzI=")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")

import wheelshare  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(wheelshare.__path__, "wheelshare.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from wheelshare.app import create_app  # noqa: E402

app = create_app()
app.router.finalize()
routes = sorted({(r.path, tuple(sorted(r.methods)), r.name) for r in app.router.routes})
print(f"sanic: {len(routes)} routes, {len(app.blueprints)} blueprints: {', '.join(sorted(app.blueprints))}")
for path, methods, name in routes:
    print(f"  /{path:<52} {','.join(methods):<18} {name}")

from wheelshare.jobs import WorkerSettings  # noqa: E402

print(f"arq: {len(WorkerSettings.functions)} functions: {', '.join(f.__name__ for f in WorkerSettings.functions)}")
print(f"arq: {len(WorkerSettings.cron_jobs)} cron jobs: {', '.join(c.name for c in WorkerSettings.cron_jobs)}")
assert len(routes) >= 100, len(routes)
assert len(WorkerSettings.cron_jobs) == 6
