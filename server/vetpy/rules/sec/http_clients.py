"""Which receiver of ``.get(url)``/``.post(url)`` is an HTTP client (SEC016): the requests that
take a URL from a value bound to a session or client rather than from the module's function.

A name bound in the function to a client's constructor (``client = httpx.Client()``, ``async
with httpx.AsyncClient() as client``, ``requests.Session()``, ``aiohttp.ClientSession()``); to a
call of a function of the module that makes one (``async with _client() as client`` with
``def _client() -> httpx.AsyncClient``, or every ``return`` of ``_client`` a constructor's call);
a parameter annotated with a client class (``client: httpx.AsyncClient``, ``X | None``,
``Optional[X]``).  Not a factory that may return something else (``return cached`` on one path),
nor a parameter of another class (``cache: redis.Redis``, whose ``.get(key)`` is no request).
"""

from __future__ import annotations

import ast

from vetpy.dataflow.summaries import own_returns
from vetpy.libraries import HTTP_CLIENTS
from vetpy.rules.sec.walk import FunctionNode, SecurityPass


def is_client(sec: SecurityPass, node: ast.expr, func: FunctionNode) -> bool:
    """``node`` (a name) is an HTTP client in ``func``: see the module's docstring."""
    if not isinstance(node, ast.Name):
        return False
    if not isinstance(func, ast.Lambda) and _client_annotation(sec, _annotation(func, node.id)):
        return True
    for sub in ast.walk(func):
        if isinstance(sub, ast.withitem) and isinstance(sub.optional_vars, ast.Name) and sub.optional_vars.id == node.id:
            ctor = sub.context_expr
        elif isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in sub.targets):
            ctor = sub.value
        else:
            continue
        if isinstance(ctor, ast.Call) and (sec.qualified(ctor.func) in HTTP_CLIENTS or _factory(sec, ctor.func)):
            return True
    return False


def _annotation(func: FunctionNode, name: str) -> ast.expr | None:
    args = func.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        if arg.arg == name:
            return arg.annotation
    return None


def _client_annotation(sec: SecurityPass, note: ast.expr | None) -> bool:
    """``httpx.AsyncClient``, ``httpx.AsyncClient | None``, ``Optional[httpx.AsyncClient]``."""
    if note is None:
        return False
    if isinstance(note, ast.BinOp) and isinstance(note.op, ast.BitOr):
        sides = [note.left, note.right]
        return any(_client_annotation(sec, s) for s in sides) and all(
            _client_annotation(sec, s) or (isinstance(s, ast.Constant) and s.value is None) for s in sides)
    if isinstance(note, ast.Subscript) and sec.qualified(note.value) == "typing.Optional":
        return _client_annotation(sec, note.slice)
    return isinstance(note, (ast.Name, ast.Attribute)) and sec.qualified(note) in HTTP_CLIENTS


def _factory(sec: SecurityPass, callee: ast.expr) -> bool:
    """A module-level function, bound once, that makes a client: its return annotation is a client
    class, or it has returns and every one is a client's constructor called."""
    if not isinstance(callee, ast.Name):
        return False
    defs = [s for s in sec.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.Import, ast.ImportFrom))
            and _binds(s, callee.id)]
    if len(defs) != 1 or not isinstance(defs[0], (ast.FunctionDef, ast.AsyncFunctionDef)) or defs[0].decorator_list:
        return False
    made = defs[0]
    if _client_annotation(sec, made.returns):
        return True
    returns = own_returns(made)
    return bool(returns) and all(isinstance(r.value, ast.Call) and sec.qualified(r.value.func) in HTTP_CLIENTS for r, _ in returns)


def _binds(stmt: ast.stmt, name: str) -> bool:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return stmt.name == name
    if isinstance(stmt, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)
    return any((a.asname or a.name).split(".")[0] == name for a in stmt.names)  # type: ignore[attr-defined]
