"""Prove every module of vetclinic imports, the Pyramid application builds (routes, views, tweens,
security policy, session and CSRF policies) and every Jinja2 template compiles, with sockets blocked
(no PostgreSQL, redis, S3 or network).

    /tmp/service35-venv/bin/python benchmarks/service35/check_imports.py
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

warnings.filterwarnings("ignore", category=UserWarning)  # pkg_resources deprecation inside pyramid
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

tmp = tempfile.mkdtemp(prefix="service35-")
os.environ.setdefault("VETCLINIC_DATA_DIR", tmp)
os.environ.setdefault("VETCLINIC_SESSION_SECRET", "check-imports-only")
os.environ.setdefault("VETCLINIC_LAB_WEBHOOK_SECRET", "check-imports-only")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")

from cryptography.fernet import Fernet  # noqa: E402

os.environ.setdefault("VETCLINIC_FERNET_KEY", Fernet.generate_key().decode())

# every third-party module the service uses
for third in ("pyramid.config", "pyramid.view", "pyramid.httpexceptions", "pyramid.authorization", "pyramid.authentication",
              "pyramid.security", "pyramid.session", "pyramid.csrf", "pyramid.renderers", "pyramid.response", "pyramid.request",
              "pyramid_jinja2", "webob", "psycopg", "psycopg.sql", "psycopg.rows", "redis", "httpx", "boto3", "botocore.config",
              "jwt", "bcrypt", "argon2", "argon2.exceptions", "cryptography.fernet", "jinja2", "jinja2.sandbox", "markupsafe",
              "defusedxml.ElementTree", "lxml.etree", "yaml"):
    importlib.import_module(third)

import vetclinic  # noqa: E402

names = sorted(m.name for m in pkgutil.iter_modules(vetclinic.__path__, "vetclinic.") if not m.ispkg)
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules: {', '.join(n.split('.')[-1] for n in names)}")

from pyramid.interfaces import IRoutesMapper, ITweens  # noqa: E402

app = vetclinic.main({})
mapper = app.registry.getUtility(IRoutesMapper)
routes = mapper.get_routes()
views = app.registry.introspector.get_category("views")
route_views = [v for v in views if v["introspectable"]["route_name"]]
print(f"pyramid: {len(routes)} routes, {len(route_views)} route views, {len(views)} views in all")
for r in routes:
    methods = sorted({str(v['introspectable']['request_methods'] or 'ANY') for v in route_views
                      if v['introspectable']['route_name'] == r.name})
    print(f"  {r.pattern:<48} {r.name:<24} {' '.join(methods)}")
tweens = app.registry.queryUtility(ITweens)
print(f"tweens: {', '.join(name for name, _ in tweens.explicit or tweens.implicit())}")
print(f"security policy: {type(app.registry.queryUtility(__import__('pyramid.interfaces', fromlist=['ISecurityPolicy']).ISecurityPolicy)).__name__}")

from vetclinic.rendering import documents  # noqa: E402

templates = sorted(p.name for p in (HERE / "vetclinic" / "templates").glob("*.jinja2"))
for tpl in templates:
    documents.get_template(tpl)
print(f"jinja2 templates compile: {', '.join(templates)}")
assert len(routes) >= 100, len(routes)
