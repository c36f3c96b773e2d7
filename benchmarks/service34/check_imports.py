"""Prove every module of coursehub imports, the Pony entities map onto a database, the Tornado
Application builds with its routes and the APScheduler jobs register, with sockets blocked (no
database server, redis or network).

    /tmp/service34-venv/bin/python benchmarks/service34/check_imports.py
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
        if family == socket.AF_UNIX:  # the event loop's self-pipe on some platforms
            super().__init__(family, type, *args, **kwargs)
            return
        raise RuntimeError("network access during import")


socket.socket = _NoSocket  # type: ignore[misc]
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("network access during import"))  # type: ignore[assignment]

tmp = tempfile.mkdtemp(prefix="service34-")
os.environ.setdefault("COURSEHUB_DATA", tmp)
os.environ.setdefault("COURSEHUB_JWT_SECRET", "check-imports-only")
os.environ.setdefault("COURSEHUB_COOKIE_SECRET", "check-imports-only")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")

import coursehub  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(coursehub.__path__, "coursehub.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from coursehub.models import bind, db  # noqa: E402

bind(":memory:")
print(f"pony: {len(db.entities)} entities mapped on sqlite :memory:: {', '.join(sorted(db.entities))}")

import tornado.template  # noqa: E402
import tornado.web  # noqa: E402
from coursehub.app import make_app  # noqa: E402

app = make_app()
rules = app.wildcard_router.rules
print(f"tornado: {len(rules)} routes")
for rule in rules:
    target = rule.target
    label = getattr(target, "__name__", repr(target))
    methods = [m for m in ("get", "post", "put", "patch", "delete")
               if isinstance(target, type) and getattr(target, m) is not getattr(tornado.web.RequestHandler, m)]
    print(f"  {rule.matcher.regex.pattern:<52} {','.join(methods):<22} {label}")

from coursehub.jobs import build_scheduler  # noqa: E402

scheduler = build_scheduler()
jobs = scheduler.get_jobs()
print(f"apscheduler: {len(jobs)} jobs: {', '.join(j.id for j in jobs)}")
loader = tornado.template.Loader(app.settings["template_path"])
templates = sorted(p.name for p in Path(app.settings["template_path"]).glob("*.html"))
for tpl in templates:
    loader.load(tpl)
print(f"tornado templates compile: {', '.join(templates)}")
assert len(rules) >= 100, len(rules)
assert len(jobs) == 10, len(jobs)
