"""Prove every module of spendtrack imports, the Flask app builds and the models map, with sockets blocked.

    /tmp/service25-venv/bin/python benchmarks/service25/check_imports.py
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

tmp = tempfile.mkdtemp(prefix="service25-")
os.environ.setdefault("SPENDTRACK_DATABASE_URL", f"sqlite:///{tmp}/spendtrack.db")
os.environ.setdefault("SPENDTRACK_UPLOAD_DIR", f"{tmp}/uploads")
os.environ.setdefault("SPENDTRACK_EXPORT_DIR", f"{tmp}/exports")

import spendtrack  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(spendtrack.__path__, "spendtrack."))
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from spendtrack import create_app  # noqa: E402
from spendtrack.extensions import celery, db  # noqa: E402

app = create_app()
with app.app_context():
    db.create_all()  # sqlite file in a temporary directory: proves the models map
    tables = sorted(db.metadata.tables)
rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
print(f"app builds: {len(rules)} url rules on {len(app.blueprints)} blueprints; tables: {', '.join(tables)}")
for rule in rules:
    methods = ",".join(sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS")))
    print(f"  {methods:<18} {rule.rule}  -> {rule.endpoint}")
tasks = sorted(t for t in celery.tasks if t.startswith("spendtrack."))
print(f"celery tasks: {len(tasks)}: {', '.join(t.split('.')[-1] for t in tasks)}")
