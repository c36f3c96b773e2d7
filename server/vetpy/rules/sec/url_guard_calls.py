"""SEC016: a helper of the module that checks a URL's host, called on the URL before the request.

``if not _public_address(callback_url): return False`` then ``requests.post(callback_url, ...)``,
where ``_public_address`` (a function of the same module) parses the URL and checks its host
(``urlparse``, ``.hostname``, ``.netloc``, an allow-list helper, a resolved address's ``is_global``):
the request is guarded as much as by the same lines written inline.  The helper must be given one of
the names the URL is built from, in the test of an ``if``/``while``/``assert`` (its answer decides
whether the request is made), before the request; a helper that checks nothing of a URL guards nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from vetpy.rules.sec.walk import FunctionNode

# the address properties of a resolved host (`ipaddress.ip_address(...).is_global`): with the names
# vetpy accepts as an inline check (web.URL_GUARDS), what a URL checker's body reads
ADDRESS_CHECKS = frozenset({"is_global", "is_private", "is_loopback", "is_link_local", "is_reserved"})


def checked_by_helper(tree: ast.Module, func: FunctionNode | None, names: set[str], sink: ast.AST,
                      checks_url: Callable[[FunctionNode], bool]) -> bool:
    """Is a URL built from ``names`` checked by a helper of the module (one ``checks_url`` accepts)
    in a condition of ``func`` before ``sink``?"""
    helpers = {s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if func is None or not helpers or not names:
        return False
    limit = getattr(sink, "lineno", 0)
    for node in ast.walk(func):
        if not isinstance(node, (ast.If, ast.While, ast.Assert)) or node.lineno >= limit:
            continue
        for call in ast.walk(node.test):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in helpers \
                    and any(isinstance(a, ast.Name) and a.id in names for a in [*call.args, *(k.value for k in call.keywords)]) \
                    and checks_url(helpers[call.func.id]):
                return True
    return False
