"""SEC043 spoofable-client-ip: the client's address taken from the first X-Forwarded-For entry
(or ``request.access_route[0]``), which the client writes itself."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import is_test_file
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

SPOOFABLE_CLIENT_IP = rule(
    code="SEC043",
    name="spoofable-client-ip",
    family="SEC",
    severity=Severity.WARNING,
    summary="The client's IP address is taken from the first X-Forwarded-For entry, which the client writes itself.",
    rationale="""A proxy appends the address it saw to `X-Forwarded-For`; whatever the client sent
    in the header stays in front. The first entry (`xff.split(",")[0]`, werkzeug's and Falcon's
    `access_route[0]`) is therefore any address the client likes: a rate limit keyed on it is
    lifted by sending a new value with each request, an allow-list is passed by naming an allowed
    address, an audit log records a lie. Take the entry your own proxy added: the last one
    (`split(",")[-1]`) behind one proxy, or let the framework do it with the number of trusted
    proxies (werkzeug's `ProxyFix(x_for=1)`, then `request.remote_addr`; uvicorn's
    `--forwarded-allow-ips`). Reported: the first element of an `X-Forwarded-For` value split on
    commas (read from `request.headers`, Django's `META["HTTP_X_FORWARDED_FOR"]` or the WSGI
    environ, directly or through a local name) and `access_route[0]`. Not reported: the last entry,
    the peer address (`remote_addr`, `REMOTE_ADDR`, `request.client.host`), a function that names
    trusted proxies (`if request.remote_addr in TRUSTED_PROXIES:`), test files.""",
    bad="""
        from flask import request

        def client_ip() -> str:
            forwarded = request.headers.get("X-Forwarded-For", "")
            return forwarded.split(",")[0].strip() or request.remote_addr
    """,
    good="""
        from flask import Flask, request
        from werkzeug.middleware.proxy_fix import ProxyFix

        app = Flask(__name__)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)  # one proxy in front of the app

        def client_ip() -> str:
            return request.remote_addr
    """,
    cwe=(348,),
)

_XFF = "x_forwarded_for"
# methods that read a header or a mapping entry by name
_READERS = frozenset({"get", "get_header", "getheader", "getlist", "get_all", "pop"})
# string methods that keep the header's entries in order
_KEEP = frozenset({"strip", "lstrip", "rstrip", "lower", "replace", "decode", "split"})
# words of a name that shows the function decides which hops to trust
_TRUST_WORDS = ("trust", "prox")


def check_subscript(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Subscript = site.node  # type: ignore[assignment]
    if not (isinstance(node.slice, ast.Constant) and node.slice.value == 0 and type(node.slice.value) is int):
        return
    value = node.value
    if isinstance(value, ast.Attribute) and value.attr == "access_route":
        what = "`access_route[0]` is the first X-Forwarded-For entry"
    elif _comma_split(value) and _forwarded_for(value.func.value, site.func, 0):  # type: ignore[union-attr]
        what = "the first X-Forwarded-For entry"
    else:
        return
    if is_test_file(sec.doc.path) or (site.func is not None and _names_trusted_proxies(site.func)):
        return
    yield SPOOFABLE_CLIENT_IP.finding(
        sec.doc, node,
        f"{what}, written by the client: any address it likes, so a rate limit, allow-list or log keyed on it is "
        "bypassed; take the hop your proxy added (split(',')[-1], ProxyFix(x_for=1) and remote_addr)",
    )


def _comma_split(node: ast.expr) -> bool:
    """``x.split(",")`` / ``x.split(", ", 1)``."""
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
        and bool(node.args) and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        and node.args[0].value.strip() == ","
    )


def _header_name(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and (
        node.value.lower().replace("-", "_").removeprefix("http_") == _XFF
    )


def _forwarded_for(node: ast.expr, func: FunctionNode | None, depth: int) -> bool:
    """``node`` is the X-Forwarded-For header's value: read by name, cleaned by string methods,
    or a local name assigned one of those in ``func``."""
    if depth > 4:
        return False
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _READERS and node.args and _header_name(node.args[0]):
            return True
        return node.func.attr in _KEEP and _forwarded_for(node.func.value, func, depth + 1)
    if isinstance(node, ast.Subscript):
        return _header_name(node.slice)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return _forwarded_for(node.values[0], func, depth + 1)
    if isinstance(node, ast.Name) and func is not None:
        return any(_forwarded_for(v, func, depth + 1) for v in _assigned(func, node.id))
    return False


def _assigned(func: FunctionNode, name: str) -> list[ast.expr]:
    values: list[ast.expr] = []
    for stmt in ast.walk(func):
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            values.append(stmt.value)
        elif isinstance(stmt, (ast.AnnAssign, ast.NamedExpr)) and isinstance(stmt.target, ast.Name) and stmt.target.id == name and stmt.value:
            values.append(stmt.value)
    return values


def _names_trusted_proxies(func: FunctionNode) -> bool:
    for node in ast.walk(func):
        ident = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if ident is not None and any(w in ident.lower() for w in _TRUST_WORDS):
            return True
    return False


MODULE = RuleModule(
    rules=(SPOOFABLE_CLIENT_IP,),
    handlers={ast.Subscript: check_subscript},
    triggers=Triggers(words=("forwarded", "access_route", "xff")),
)
