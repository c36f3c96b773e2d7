"""Prove every module of the service imports (run with a venv that has its dependencies).

    /tmp/service20-venv/bin/python benchmarks/service20/check_imports.py
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
import shopsvc  # noqa: E402

names = ["shopsvc"] + [f"shopsvc.{m.name}" for m in pkgutil.iter_modules(shopsvc.__path__)]
for name in names:
    importlib.import_module(name)
    print("imported", name)
print(len(names), "modules")
