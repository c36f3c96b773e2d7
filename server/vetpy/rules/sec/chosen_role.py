"""SEC034: an account created with the client's own password and a role the client chooses.

A sign-up handler that writes ``role=<request value>`` lets anyone register as an administrator
(privilege escalation through a client-chosen field, CWE-915/CWE-269).  Recognised writes, in a
request handler:

- a call creating a row with a ``password*`` keyword: a class (``User(email=...,
  password_hash=hash_password(password), role=role)``) or ``create``/``create_user``/``insert``
  (``User.create(...)``, ``User.objects.create_user(...)``);
- ``execute("INSERT INTO users (email, password_hash, role) VALUES (%s, %s, %s)", (..., ..., ...))``:
  the statement's columns matched, one for one, with a literal tuple (or list) of parameters.

Reported when the password is derived from the request (the client's own account, not one an
administrator creates with a generated secret) and the role is a value of the request that the
handler never tests: no ``if``/``while``/``assert``/conditional expression, comprehension filter or
comparison reads it (an allow-list check, ``role if role in ROLES else "student"``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.dataflow import Trust
from vetpy.rules.sec.walk import FunctionNode, SecurityPass, Site

ROLE_FIELDS = frozenset({"role", "roles", "is_admin", "is_staff", "is_superuser"})
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+[\w.\"`]+\s*\(([^()]*)\)\s*VALUES\s*\(([^()]*)\)", re.IGNORECASE)
# a model's or manager's calls that create a row (Django's `User.objects.create_user`)
_CREATES = frozenset({"create", "create_user", "insert", "get_or_create"})
_PLACEHOLDER = re.compile(r"^\s*(%s|\?|\$\d+)\s*$")


def role_writes(sec: SecurityPass, site: Site, func: FunctionNode) -> Iterator[tuple[ast.Call, str, ast.expr]]:
    """(call, field, value) for an account-creating write whose role the client chooses unchecked."""
    call: ast.Call = site.node  # type: ignore[assignment]
    pairs = _sql_pairs(call) if call.args and isinstance(call.args[0], ast.Constant) else _keyword_pairs(call)
    if not pairs:
        return
    scope = sec.flow.scope(func)

    def from_request(expr: ast.expr) -> bool:
        return any(isinstance(n, ast.expr) and scope.value(n, call, site.ancestors).trust is Trust.UNTRUSTED
                   for n in ast.walk(expr) if isinstance(n, (ast.Name, ast.Call, ast.Subscript, ast.Attribute)))

    if not any(name.startswith("password") and from_request(value) for name, value in pairs):
        return
    for name, value in pairs:
        if name in ROLE_FIELDS and scope.value(value, call, site.ancestors).trust is Trust.UNTRUSTED and not _tested(func, value):
            yield call, name, value
            return


def _keyword_pairs(call: ast.Call) -> list[tuple[str, ast.expr]]:
    """The keywords of a call that creates a row: a class (``User(...)``) or a model's or
    manager's ``create``/``create_user``/``insert``."""
    callee = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id if isinstance(call.func, ast.Name) else ""
    if not (callee[:1].isupper() or callee in _CREATES):
        return []
    return [(kw.arg.lower(), kw.value) for kw in call.keywords if kw.arg is not None]


def _sql_pairs(call: ast.Call) -> list[tuple[str, ast.expr]]:
    """The columns of ``INSERT INTO t (a, b) VALUES (%s, %s)`` paired with a literal tuple of
    parameters (the call's second argument), when every value is a placeholder."""
    text = call.args[0].value  # type: ignore[attr-defined]
    if not isinstance(text, str) or len(call.args) < 2 or not isinstance(call.args[1], (ast.Tuple, ast.List)):
        return []
    m = _INSERT.match(text)
    if m is None:
        return []
    columns = [c.strip().strip('"`').lower() for c in m.group(1).split(",")]
    values = m.group(2).split(",")
    params = call.args[1].elts
    if len(columns) != len(values) or any(isinstance(p, ast.Starred) for p in params):
        return []
    pairs: list[tuple[str, ast.expr]] = []
    index = 0
    for column, value in zip(columns, values):
        if _PLACEHOLDER.match(value):
            if index >= len(params):
                return []
            pairs.append((column, params[index]))
            index += 1
    return pairs if index == len(params) else []


def _tested(func: FunctionNode, value: ast.expr) -> bool:
    """Does a test or comparison of ``func`` read ``value`` (the local it names, or the same
    expression, or the request field it reads)?"""
    wanted = ast.unparse(value)
    keys = {n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)} if isinstance(value, ast.Name) else set()
    for node in ast.walk(func):
        tests: list[ast.expr] = []
        if isinstance(node, (ast.If, ast.IfExp, ast.While, ast.Assert)):
            tests.append(node.test)
        elif isinstance(node, ast.comprehension):
            tests += node.ifs
        elif isinstance(node, ast.Compare):
            tests.append(node)
        elif isinstance(node, ast.Match):
            tests.append(node.subject)
        for test in tests:
            for sub in ast.walk(test):
                if isinstance(sub, ast.Name) and sub.id in names:
                    return True
                if isinstance(sub, ast.expr) and not isinstance(sub, ast.Constant) and ast.unparse(sub) == wanted:
                    return True
                if isinstance(sub, ast.Constant) and sub.value in keys and keys:
                    return True
    return False
