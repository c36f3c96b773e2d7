"""Prove every module of invoicesvc imports, the FastAPI app builds and the CLI loads, with sockets blocked.

    /tmp/service23-venv/bin/python benchmarks/service23/check_imports.py
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

tmp = tempfile.mkdtemp(prefix="service23-")
os.environ.setdefault("INVOICESVC_DATABASE_URL", f"sqlite:///{tmp}/invoices.db")
os.environ.setdefault("INVOICESVC_STORAGE_ROOT", f"{tmp}/files")
os.environ.setdefault("INVOICESVC_EXPORT_ROOT", f"{tmp}/exports")

import invoicesvc  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(invoicesvc.__path__, "invoicesvc."))
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from invoicesvc.cli import cli  # noqa: E402
from invoicesvc.db import Base, engine  # noqa: E402
from invoicesvc.main import app  # noqa: E402

Base.metadata.create_all(engine)  # sqlite file in a temporary directory: proves the models map
schema = app.openapi()
operations = sum(len(ops) for ops in schema["paths"].values())
print(f"app builds: {operations} operations on {len(schema['paths'])} paths; tables: {', '.join(sorted(Base.metadata.tables))}")
print(f"cli commands: {len(cli.commands)}")
