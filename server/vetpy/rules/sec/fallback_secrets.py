"""A hard-coded fallback for a secret read from the environment or the settings (read by SEC010):
``os.environ.get("JWT_SECRET", "dev-secret")``, ``os.getenv("SECRET_KEY", "changeme")``,
``settings.jwt_secret or "dev-secret"``.  When the variable is unset in production the
application signs with a key anyone can read in the source, and nothing fails to say so: a
placeholder is no safer than a random-looking value here.  The lookup may go through a
project's wrapper (``def _env(name, default=None): return os.environ.get(name, default)``, in the
module or imported from another of the project): ``_env("JWT_SECRET", "dev-secret")`` is the same
fallback (:func:`env_wrapper`).  An empty fallback, a fallback only
while debugging or testing, in a development settings file (``settings/dev.py``), a file name
and a test file are not reported."""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

from vetpy.astutil import last_name
from vetpy.rules.sec.names import name_words, secret_name
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


def wrapped_fallback_name(node: ast.Constant, parent: ast.AST | None, ancestors: Sequence[ast.AST],
                          wrapper: Callable[[ast.Call], "tuple[ast.FunctionDef | ast.AsyncFunctionDef, Callable] | None"]) -> str | None:
    """The variable a call of a project's environment wrapper reads when ``node`` (a string
    literal) is the default it hands to ``os.environ.get``: ``_env("JWT_SECRET", "dev")``.
    ``wrapper(call)``: the project function ``call`` calls and its module's name resolver, or None."""
    if not isinstance(node.value, str) or not node.value or any(ch.isspace() for ch in node.value):
        return None
    call = ancestors[-2] if isinstance(parent, ast.keyword) and len(ancestors) >= 2 else parent
    if not isinstance(call, ast.Call) or any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if not (node in call.args or (isinstance(parent, ast.keyword) and parent in call.keywords)):
        return None
    if not any(isinstance(a, ast.Constant) and isinstance(a.value, str) and a is not node and secret_name(a.value)
               for a in [*call.args, *(k.value for k in call.keywords)]):
        return None  # no secret's name among the arguments: no wrapper looked up
    found = wrapper(call)
    if found is None:
        return None
    func, qualified = found
    params = env_wrapper(func, qualified)
    if params is None:
        return None
    positional = [a.arg for a in func.args.posonlyargs + func.args.args]
    bound: dict[str, ast.expr] = {p: a for p, a in zip(positional, call.args)}
    bound.update({k.arg: k.value for k in call.keywords if k.arg})
    key = bound.get(params[0])
    if bound.get(params[1]) is not node or not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return None
    return None if _only_while_debugging(node, ancestors) else key.value


def env_wrapper(func: ast.FunctionDef | ast.AsyncFunctionDef, qualified) -> tuple[str, str] | None:
    """``(name, default)``: the parameters of a small function (a few statements) that passes
    them to ``os.environ.get(name, default)`` / ``os.getenv`` (the name perhaps under a fixed prefix,
    ``f"APP_{name}"``), and tests nothing but the value it
    read (a wrapper that raises when the variable is unset, or falls back only while debugging,
    is no fallback); else None."""
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if not body or len(body) > 4 or func.decorator_list:
        return None
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    found: tuple[str, str] | None = None
    locals_: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and qualified(node.func) in _ENV_LOOKUPS and len(node.args) == 2:
            name, default = _named_parameter(node.args[0]), node.args[1]
            if name is not None and isinstance(default, ast.Name) and {name, default.id} <= params:
                if found is not None:
                    return None
                found = (name, default.id)
        elif isinstance(node, ast.Assign):
            locals_ |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    if found is None:
        return None
    for node in ast.walk(func):
        if isinstance(node, (ast.If, ast.IfExp, ast.While)):
            names = [n for n in ast.walk(node.test) if isinstance(n, (ast.Name, ast.Attribute))]
            if any(not (isinstance(n, ast.Name) and n.id in locals_) for n in names):
                return None  # `if name not in os.environ: raise`, `if DEBUG:`
    return found


def _named_parameter(key: ast.expr) -> str | None:
    """The parameter a wrapper's variable name is: ``name``, or ``name`` under a fixed prefix or
    suffix (``f"APP_{name}"``, ``"APP_" + name``): the caller's literal still says which secret it is."""
    if isinstance(key, ast.Name):
        return key.id
    if isinstance(key, ast.JoinedStr):
        parts = [v for v in key.values if not isinstance(v, ast.Constant)]
        if (len(parts) == 1 and isinstance(parts[0], ast.FormattedValue) and isinstance(parts[0].value, ast.Name)
                and parts[0].conversion == -1 and parts[0].format_spec is None):
            return parts[0].value.id
    if isinstance(key, ast.BinOp) and isinstance(key.op, ast.Add):
        sides = (key.left, key.right)
        names = [s for s in sides if isinstance(s, ast.Name)]
        texts = [s for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
        if len(names) == 1 and len(texts) == 1:
            return names[0].id
    return None


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
