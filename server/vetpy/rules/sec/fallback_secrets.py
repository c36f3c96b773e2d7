"""A hard-coded fallback for a secret read from the environment or the settings (read by SEC010):
``os.environ.get("JWT_SECRET", "dev-secret")``, ``os.getenv("SECRET_KEY", "changeme")``,
``settings.jwt_secret or "dev-secret"``.  When the variable is unset in production the
application signs with a key anyone can read in the source, and nothing fails to say so: a
placeholder is no safer than a random-looking value here.  An empty fallback, a fallback only
while debugging or testing, in a development settings file (``settings/dev.py``), a file name
and a test file are not reported."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from vetpy.astutil import last_name
from vetpy.rules.sec.names import name_words
from vetpy.semantic.debug_branches import debug_polarity, only_while_debugging

_ENV_LOOKUPS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault", "os.environb.get"})
_DEBUG_WORDS = frozenset({"debug", "debugging", "testing"})


def development_file(path: str) -> bool:
    """``settings/dev.py``, ``local_settings.py``, ``development.py``: settings meant for a
    developer's machine, where a fallback key is the point."""
    stem = path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")
    return bool({"dev", "development", "local", "debug"} & set(name_words(stem)))


def _env_key(call: ast.expr, qualified) -> str | None:
    """The variable ``os.environ.get("JWT_SECRET", ...)`` / ``os.getenv(...)`` reads."""
    if isinstance(call, ast.Call) and call.args and qualified(call.func) in _ENV_LOOKUPS:
        key = call.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def fallback_secret_name(node: ast.Constant, parent: ast.AST | None, ancestors: Sequence[ast.AST], qualified) -> str | None:
    """The name of the secret that ``node`` (a string literal) is the fallback of, or None."""
    if not isinstance(node.value, str) or not node.value or any(ch.isspace() for ch in node.value):
        return None
    name = None
    if isinstance(parent, ast.Call) and len(parent.args) == 2 and parent.args[1] is node:
        name = _env_key(parent, qualified)
    elif isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or) and parent.values[-1] is node and len(parent.values) == 2:
        left = parent.values[0]
        name = _env_key(left, qualified) or (last_name(left) if isinstance(left, (ast.Name, ast.Attribute)) else None)
    if name is None or _only_while_debugging(node, ancestors):
        return None
    return name


def _only_while_debugging(node: ast.AST, ancestors: Sequence[ast.AST]) -> bool:
    """``os.environ.get("SECRET_KEY", "dev") if DEBUG else os.environ["SECRET_KEY"]``, ``if settings.DEBUG:``."""
    if only_while_debugging(node, ancestors, _DEBUG_WORDS):
        return True
    inner = node
    for anc in reversed(ancestors):
        if isinstance(anc, ast.IfExp):
            polarity = debug_polarity(anc.test, _DEBUG_WORDS)
            if (polarity is True and _contains(anc.body, inner)) or (polarity is False and _contains(anc.orelse, inner)):
                return True
        inner = anc
    return False


def _contains(tree: ast.AST, node: ast.AST) -> bool:
    return any(sub is node for sub in ast.walk(tree))
