"""SEC028 (cors-any-origin-with-credentials), written by hand: a middleware or view that echoes the
request's ``Origin`` into ``Access-Control-Allow-Origin`` and allows credentials, without checking
the origin first (issue #20, service26):

    origin = request.headers.get("Origin")
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Allow-Credentials"] = "true"

Every site a logged-in user visits may then read the API's answers with the user's cookies.

Look-alikes, never reported: the origin compared or passed to a check before it is echoed, in an
enclosing ``if``/``elif`` or in an earlier statement (``if origin in ALLOWED:``, ``if origin not in
ALLOWED: return``, ``if is_allowed(origin):``); a mere truthiness test (``if not origin: return``)
is no check; ``*`` or a constant origin; the echo without credentials in its block or an enclosing
one (credentials set only in a mutually exclusive branch).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.findings import Finding
from vetpy.rules.sec.common import header_read
from vetpy.rules.sec.cors import CORS_CREDENTIALS
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_ALLOW_ORIGIN = "access-control-allow-origin"
_ALLOW_CREDENTIALS = "access-control-allow-credentials"
_ORIGIN_KEYS = frozenset({"origin", "http_origin"})
_HEADER_MAPS = frozenset({"headers", "META"})


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Assign = site.node  # type: ignore[assignment]
    func = site.func
    if func is None or len(node.targets) != 1 or _header_key(node.targets[0]) != _ALLOW_ORIGIN:
        return
    origin = _origin_name(node.value, func)
    if origin is None:
        return
    chain = _inside(site.ancestors, func) + [node]
    if _checked(origin, chain, func) or not _credentials_beside(chain, func):
        return
    yield CORS_CREDENTIALS.finding(
        sec.doc, node, "the request's `Origin` is echoed into `Access-Control-Allow-Origin` with credentials allowed, "
        "unchecked: any web site can read this API's answers with the user's cookies; echo it only after "
        "checking it against an allow-list")


def _inside(ancestors: list[ast.AST], func: ast.AST) -> list[ast.AST]:
    """The ancestors (outermost first) that lie inside ``func``: those after it."""
    for i, node in enumerate(ancestors):
        if node is func:
            return ancestors[i + 1:]
    return []


def _header_key(target: ast.expr) -> str | None:
    """``response["Access-Control-Allow-Origin"]``, ``response.headers["..."]``: the key, lower-cased."""
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
        return target.slice.value.lower()
    return None


def _origin_expr(expr: ast.expr) -> bool:
    """``request.headers.get("Origin")``, ``request.headers["Origin"]``, ``request.META["HTTP_ORIGIN"]``."""
    return header_read(expr, _HEADER_MAPS, _ORIGIN_KEYS)


def _origin_name(value: ast.expr, func: ast.AST) -> str | None:
    """The name (or the expression's text) that holds the request's ``Origin``, else None."""
    if _origin_expr(value):
        return ast.unparse(value)
    if not isinstance(value, ast.Name):
        return None
    bound = [n.value for n in ast.walk(func) if isinstance(n, ast.Assign)
             and any(isinstance(t, ast.Name) and t.id == value.id for t in n.targets)]
    return value.id if bound and all(_origin_expr(b) for b in bound) else None


def _mentions_check(node: ast.AST, origin: str) -> bool:
    """A comparison or a call that the origin takes part in (not a truthiness test)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Compare) and any(_is(o, origin) for o in [n.left, *n.comparators]) and not all(
                isinstance(op, (ast.Is, ast.IsNot)) for op in n.ops):
            return True
        if isinstance(n, ast.Call) and (any(_is(a, origin) for a in n.args) or (
                isinstance(n.func, ast.Attribute) and _is(n.func.value, origin))):
            return True
    return False


def _is(node: ast.expr, origin: str) -> bool:
    return isinstance(node, ast.Name) and node.id == origin or ast.unparse(node) == origin


def _blocks_before(chain: list[ast.AST]) -> Iterator[tuple[ast.AST, list[ast.stmt]]]:
    """For each step of ``chain`` (outermost first): the parent and the statements before the child in its block."""
    for parent, child in zip(chain, chain[1:]):
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and any(child is s for s in block):
                yield parent, block[: next(i for i, s in enumerate(block) if s is child)]


def _checked(origin: str, chain: list[ast.AST], func: ast.AST) -> bool:
    if any(isinstance(a, (ast.If, ast.While)) and _mentions_check(a.test, origin) for a in chain[:-1]):
        return True
    return any(_mentions_check(s, origin) for _, before in _blocks_before([func, *chain]) for s in before)


def _credentials_beside(chain: list[ast.AST], func: ast.AST) -> bool:
    """``response["Access-Control-Allow-Credentials"] = "true"`` in the echo's block or an enclosing one."""
    for parent in [func, *chain[:-1]]:
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if not isinstance(block, list) or not any(_contains(s, chain[-1]) for s in block):
                continue
            if any(isinstance(s, ast.Assign) and len(s.targets) == 1 and _header_key(s.targets[0]) == _ALLOW_CREDENTIALS
                   and isinstance(s.value, ast.Constant) and str(s.value.value).lower() == "true" for s in block):
                return True
    return False


def _contains(stmt: ast.stmt, node: ast.AST) -> bool:
    return any(n is node for n in ast.walk(stmt))


MODULE = RuleModule(
    rules=(CORS_CREDENTIALS,),
    handlers={ast.Assign: check_assign},
    triggers=Triggers(words=("access-control-allow-origin",)),
)
