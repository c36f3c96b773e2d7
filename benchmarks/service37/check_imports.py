"""Prove every module of haulpoint imports, the app factory builds (Flask-RESTX API, JWT, CSRF,
SQLAlchemy), the RESTX namespaces and routes register, and every Jinja2 template compiles, with
sockets blocked (no database server, redis, S3, SMTP, OCR service or network).

    /tmp/service37-venv/bin/python benchmarks/service37/check_imports.py
"""
from __future__ import annotations

import importlib
import json
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

tmp = tempfile.mkdtemp(prefix="service37-")
os.environ.setdefault("HAULPOINT_DATA_DIR", tmp)
os.environ.setdefault("HAULPOINT_SECRET_KEY", "check-imports-only")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/haulpoint.db")

# every third-party module the service uses
for third in ("flask", "flask_restx", "flask_restx.reqparse", "flask_jwt_extended", "flask_jwt_extended.exceptions", "jwt",
              "flask_sqlalchemy", "sqlalchemy", "sqlalchemy.orm", "flask_wtf", "flask_wtf.csrf", "wtforms", "email_validator",
              "markupsafe", "itsdangerous", "rq", "redis", "httpx", "boto3", "botocore.config", "PIL.Image", "PIL.ImageOps",
              "reportlab.pdfgen.canvas", "reportlab.graphics.barcode.code128", "openpyxl", "openpyxl.utils", "pyotp", "bcrypt",
              "cryptography.fernet", "xmltodict", "lxml.etree", "msgpack", "yaml"):
    importlib.import_module(third)

import haulpoint  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(haulpoint.__path__, "haulpoint.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from haulpoint.api import api  # noqa: E402
from haulpoint.extensions import db  # noqa: E402

app = haulpoint.create_app()
print(f"models: {', '.join(sorted(db.metadata.tables))}")

routes = []
for ns in api.namespaces:
    for resource, urls, route_doc, kwargs in ns.resources:
        methods = sorted(m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(resource, m))
        for url in urls:
            routes.append((" ".join(methods), (ns.path or "") + url, resource.__name__))
print(f"restx: {len(api.namespaces)} namespaces, {len(routes)} resources, "
      f"{sum(len(m.split()) for m, _, _ in routes)} operations")
for methods, path, name in routes:
    print(f"  {methods:<22} /api/v1{path:<48} {name}")
rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
plain = [r for r in rules if not r.endpoint.startswith("api.") and r.endpoint != "static"]
print(f"url map: {len(rules)} rules; plain views: {', '.join(r.rule for r in plain)}")
with app.test_request_context():
    schema = api.__schema__
    json.dumps(schema)
print(f"swagger: {len(schema['paths'])} paths")

templates = sorted(p.name for p in (HERE / "haulpoint" / "templates").iterdir())
for tpl in templates:
    app.jinja_env.get_template(tpl)
print(f"templates compile: {', '.join(templates)}")
assert len(routes) >= 60, len(routes)
