"""EDGE003 network-call-without-timeout on a raw TCP socket: ``socket.socket()`` bound to a name
and connected with no ``settimeout``/``setblocking`` on it (``socket.create_connection`` is judged
by :mod:`vetpy.rules.edge.timeouts`)."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import keyword
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.rules.edge.facts import Module
from vetpy.rules.edge.timeouts import NO_TIMEOUT
from vetpy.rules.registry import REGISTRY

_CONNECTS = frozenset({"connect", "connect_ex"})
_TIMED = frozenset({"settimeout", "setblocking"})
_FAMILIES = frozenset({"socket.AF_INET", "socket.AF_INET6", "socket.AddressFamily.AF_INET", "socket.AddressFamily.AF_INET6"})
_STREAM = frozenset({"socket.SOCK_STREAM", "socket.SocketKind.SOCK_STREAM"})


@REGISTRY.checker("EDGE003")
def check_socket_timeouts(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "socket" not in doc.text:
        return
    mod = Module.of(doc)
    calls = list(mod.of_type(ast.Call))
    if any(mod.qname(c.func) == "socket.setdefaulttimeout" for c in calls if isinstance(c, ast.Call)):
        return  # every socket of the process gets a default timeout
    for call in calls:
        if not isinstance(call, ast.Call) or mod.qname(call.func) != "socket.socket" or not _tcp(mod, call):
            continue
        name = _bound_name(doc, call)
        if name is None:
            continue
        scope = mod.enclosing_functions.get(id(call))
        for connect in _untimed_connects(doc, scope.body if scope is not None else mod.tree.body, name, scope):
            yield NO_TIMEOUT.finding(
                doc,
                connect.func,
                f"`{name}.{connect.func.attr}()` on a socket without a timeout waits minutes on an unreachable host, "
                f"and its reads wait for ever on a peer that stops answering; call `{name}.settimeout(...)` first",
            )


def _tcp(mod: Module, call: ast.Call) -> bool:
    """An Internet stream socket: family and type left out or spelled ``AF_INET``/``AF_INET6`` and
    ``SOCK_STREAM`` (a UDP ``connect`` only sets the default address; a Unix socket is a local
    daemon), and not wrapping an existing descriptor (``fileno=``)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return False
    if len(call.args) > 3 or keyword(call, "fileno") is not None:
        return False

    def given(position: int, name: str) -> ast.expr | None:
        if len(call.args) > position:
            return call.args[position]
        found = keyword(call, name)
        return found.value if found is not None else None

    family, kind = given(0, "family"), given(1, "type")
    if family is not None and mod.qname(family) not in _FAMILIES:
        return False
    return kind is None or mod.qname(kind) in _STREAM


def _bound_name(doc: Document, call: ast.Call) -> str | None:
    holder = doc.parents.get(call)
    if isinstance(holder, ast.Assign) and holder.value is call and len(holder.targets) == 1:
        target = holder.targets[0]
    elif isinstance(holder, ast.withitem) and holder.context_expr is call:
        target = holder.optional_vars
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def _untimed_connects(
    doc: Document, body: list[ast.stmt], name: str, scope: ast.FunctionDef | ast.AsyncFunctionDef | None
) -> list[ast.Call]:
    """The ``name.connect(...)`` calls of ``body`` when ``name`` is bound once (to the socket), never
    given a timeout or made non-blocking, and not handed on before its first connect; else none."""
    if scope is not None and name in {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)}:
        return []
    stores = 0
    connects: list[ast.Call] = []
    handed: list[ast.Name] = []
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
                return []
            if not isinstance(node, ast.Name) or node.id != name:
                continue
            if not isinstance(node.ctx, ast.Load):
                stores += 1
                continue
            use = doc.parents.get(node)
            if not (isinstance(use, ast.Attribute) and use.value is node):
                handed.append(node)
                continue
            if use.attr in _TIMED:
                return []
            call = doc.parents.get(use)
            if use.attr in _CONNECTS and isinstance(call, ast.Call) and call.func is use:
                connects.append(call)
    if stores != 1 or not connects:
        return []
    first = min((c.lineno, c.col_offset) for c in connects)
    if any((n.lineno, n.col_offset) < first for n in handed):
        return []
    return connects
