"""Prove every module of permitdesk imports, Django sets up (settings module in the package), the
Ninja API builds (routers, operations, auth, URL patterns) and every Django template compiles, with
sockets blocked (no database server, redis, SFTP, SMTP or network).

    /tmp/service36-venv/bin/python benchmarks/service36/check_imports.py
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import socket
import sys
import tempfile
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", category=DeprecationWarning)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class _NoSocket(socket.socket):
    def __init__(self, family=-1, type=-1, *args, **kwargs):
        if family == socket.AF_UNIX:
            super().__init__(family, type, *args, **kwargs)
            return
        raise RuntimeError("network access during import")


socket.socket = _NoSocket  # type: ignore[misc]
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("network access during import"))  # type: ignore[assignment]

tmp = tempfile.mkdtemp(prefix="service36-")
os.environ.setdefault("PERMITDESK_DATA_DIR", tmp)
os.environ.setdefault("DJANGO_SECRET_KEY", "check-imports-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permitdesk.settings")

# every third-party module the service uses
for third in ("django", "ninja", "ninja.security", "ninja.pagination", "ninja.throttling", "ninja.errors", "ninja.files",
              "pydantic", "email_validator", "huey", "redis", "requests", "urllib3.util.retry", "paramiko", "PIL.Image",
              "PIL.ImageOps", "openpyxl", "pypdf", "itsdangerous", "joserfc.jwt", "joserfc.jws", "joserfc.jwk",
              "defusedxml.ElementTree", "lxml.etree", "yaml"):
    importlib.import_module(third)

import django  # noqa: E402

django.setup()

import permitdesk  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(permitdesk.__path__, "permitdesk.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"django {django.get_version()}: imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from django.apps import apps  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from permitdesk.api import api  # noqa: E402

models = apps.get_app_config("permitdesk").get_models()
print(f"models: {', '.join(m.__name__ for m in models)}")

operations = []
for prefix, router in api._routers:
    for path, path_view in router.path_operations.items():
        for op in path_view.operations:
            auth = ",".join(type(a).__name__ if not callable(a) or hasattr(a, "authenticate") else getattr(a, "__name__", "?")
                            for a in (op.auth_callbacks or [])) or "-"
            operations.append((op.methods, (prefix.rstrip("/") + "/" + path.lstrip("/")).replace("//", "/"),
                               op.view_func.__name__, auth))
print(f"ninja: {len(api._routers)} routers, {len(operations)} operations")
for methods, path, name, auth in operations:
    print(f"  {' '.join(methods):<7} /api{path:<52} {name:<32} {auth}")
resolver = get_resolver()
print(f"url patterns: {len(resolver.url_patterns)} top-level; ninja urls: {len(api.urls[0])}")
schema = api.get_openapi_schema()
print(f"openapi: {len(schema['paths'])} paths")

templates = sorted(p.name for p in (HERE / "permitdesk" / "templates" / "permitdesk").iterdir())
for tpl in templates:
    get_template(f"permitdesk/{tpl}")
print(f"templates compile: {', '.join(templates)}")
assert len(operations) >= 100, len(operations)
