"""SEC010: a hard-coded secret as the default of an environment lookup made through a project's
wrapper (issue #20): ``def _env(name, default=None): return os.environ.get(name, default)``
called as ``_env("JWT_SECRET", "dev-secret-2024")`` is ``os.environ.get("JWT_SECRET",
"dev-secret-2024")``: the literal is the production key whenever the variable is unset.

Spec: flagged where the wrapper (a module-level function of this module, or imported from another
module of the project) hands its parameters to ``os.environ.get``/``os.getenv`` as the name and
the default, and tests nothing but the value it read, and the call names a secret or signing
key (the wrapper may put a fixed prefix on the name: ``f"APP_{name}"``, ``"APP_" + name``); also inside ``field(default_factory=lambda: _env(...))`` and by keyword (``default=``).
Not flagged: a placeholder or empty default (``""``), ``None``, a non-secret name
(``"REDIS_URL"``, ``"LOG_LEVEL"``), a wrapper that raises when the variable is unset or falls back
only while debugging, a wrapper that does not pass the default to the lookup, a library's
function.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import check_file, context_for, write

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

from test_security import gated_walk_loses_nothing

CTX = AnalysisContext.bare()

SAME_MODULE = '''
import os
from dataclasses import dataclass, field

DEBUG = os.environ.get("DEBUG") == "1"


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"missing setting {name}")
    return value


def env(name, default=None):
    return os.getenv(name, default)


def required(name, default=None):
    if name not in os.environ:
        raise RuntimeError(name)
    return os.environ.get(name, default)


def debug_default(name, default=None):
    if DEBUG:
        return os.environ.get(name, default)
    return os.environ[name]


def no_default(name, default=None):
    return os.environ.get(name) or ""


def prefixed(name, default=None):
    return os.environ.get(f"LEASELINE_{name}", default)


def prefixed_plus(name, default=None):
    return os.getenv("APP_" + name, default)


def formatted(name, default=None):
    return os.environ.get(f"{name!r}_{name}", default)


JWT_SECRET = _env("JWT_SECRET", "dev-secret-2024")  # !
SIGNING_KEY = env("APP_SIGNING_KEY", default="k3y-f0r-dev")  # !
EMPTY_SECRET = _env("WEBHOOK_SECRET", "")
PLACEHOLDER = _env("SESSION_SECRET", "change-me")  # !
REDIS_URL = _env("REDIS_URL", "redis://localhost:6379/0")
LOG_LEVEL = _env("LOG_LEVEL", "INFO")
STRICT = required("API_SECRET", "strict-s3cret")
DEBUG_ONLY = debug_default("API_SECRET", "debug-s3cret")
IGNORED = no_default("API_SECRET", "ignored-s3cret")
PREFIXED = prefixed("JWT_SECRET", "leaseline-dev-jwt-secret-2024")  # !
PREFIXED_PLUS = prefixed_plus("TOKEN_SIGNING_KEY", "signing-dev-key")  # !
PREFIXED_URL = prefixed("DATABASE_URL", "sqlite://:memory:")
TWO_NAMES = formatted("JWT_SECRET", "not-a-plain-prefix")


@dataclass
class Settings:
    jwt_secret: str = field(default_factory=lambda: _env("JWT_SECRET", "dev-secret-2024"))  # !
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", "sqlite:///dev.db"))


def signer():
    return make_signer(env("TOKEN_SIGNING_KEY", default="k3y-f0r-dev"))  # !
'''

CONFIG = '''
import os


def env(name: str, default: str | None = None) -> str | None:
    """A setting from the environment."""
    return os.environ.get(name, default)
'''

SETTINGS = '''
from app.config import env
from app import config

SECRET_KEY = env("SECRET_KEY", "insecure-dev-key")  # !
HMAC_KEY = config.env("HMAC_KEY", "hmac-dev-key")  # !
BUCKET = env("BUCKET", "uploads")
'''


SOURCES = (SAME_MODULE,)


def test_secret_default_through_a_wrapper_of_the_module():
    src = textwrap.dedent(SAME_MODULE)
    flagged = sorted(f.line for f in check_source(src, path="app/settings.py", ctx=CTX) if f.code == "SEC010")
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    assert flagged == marked


def test_secret_default_through_a_wrapper_imported_from_the_project(tmp_path: Path):
    root = write(tmp_path, {"app/__init__.py": "", "app/config.py": CONFIG, "app/settings.py": SETTINGS})
    found = check_file(root, "app/settings.py", context_for(root))
    marked = [i for i, line in enumerate(SETTINGS.lstrip("\n").splitlines(), 1) if line.rstrip().endswith("# !")]
    assert sorted(f.line for f in found if f.code == "SEC010") == marked


def test_gated_walk():
    for src in SOURCES:
        gated_walk_loses_nothing(src, "app/module.py")
