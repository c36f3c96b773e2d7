"""Prove every module of the service imports (run with a venv that has its dependencies).

    /tmp/service21-venv/bin/python benchmarks/service21/check_imports.py
"""
import importlib
import pkgutil
import socket
import sys
from pathlib import Path


def _no_network(*args, **kwargs):
    raise RuntimeError("network access during import")


socket.socket.connect = _no_network  # type: ignore[method-assign]
sys.path.insert(0, str(Path(__file__).parent))
import helpdesk  # noqa: E402

names = ["helpdesk"] + [f"helpdesk.{m.name}" for m in pkgutil.iter_modules(helpdesk.__path__)]
for name in names:
    importlib.import_module(name)
    print("imported", name)
print(len(names), "modules")

# the apps build and every Django route resolves
from django.urls import get_resolver  # noqa: E402

from helpdesk import realtime, webhooks  # noqa: E402

realtime.make_app()
assert webhooks.app.routes
print(len(get_resolver().url_patterns), "Django routes")
