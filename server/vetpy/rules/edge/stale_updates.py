"""EDGE018 across an ``await``: module-level state read into a local, an ``await``, then written back
from that local (``count = VIEWERS.get(room, 0)``; ``await ...``; ``VIEWERS[room] = count + 1``).

In a coroutine, code between two ``await``s runs without interruption, so ``COUNTS[k] += 1`` is safe;
but another request runs at the ``await`` and its update is overwritten by the stale copy. In code
that runs in threads the same read and write back race without an ``await``: another thread can
write between any two statements.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from vetpy.scopes import Site


def _reads(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) for n in ast.walk(node))


def written_name(node: ast.Assign | ast.AugAssign, containers: set[str], counters: set[str]) -> str | None:
    """The module-level container or counter ``node`` writes (``S[k] = ...``, ``N = ...``)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if len(targets) != 1:
        return None
    target = targets[0]
    if isinstance(target, ast.Name) and target.id in counters:
        return target.id
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in containers:
        return target.value.id
    return None


def stale_write(node: ast.Assign | ast.AugAssign, shared: str, nodes: list[ast.AST],
                bindings: Callable[[str], list[Site]], across_await: bool = True) -> ast.Assign | None:
    """The assignment of the local that ``node`` writes back to ``shared``, when that local's last
    binding before ``node`` (``bindings``: the function's bindings of a name,
    :meth:`~vetpy.scopes.ScopeIndex.bindings`) is an assignment that read ``shared`` and an
    ``await`` lies between the two (``nodes``: the function's own nodes). Without
    ``across_await`` (code that runs in threads: another thread can write between any two
    statements) the ``await`` is not needed."""
    if not isinstance(node, ast.Assign):
        return None
    locals_used = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - {shared}
    for local in sorted(locals_used):
        binds = [s.node for s in bindings(local) if s.line < node.lineno]
        if not binds:
            continue
        last = max(binds, key=lambda a: (a.lineno, a.col_offset))  # type: ignore[attr-defined]
        if not isinstance(last, ast.Assign) or not _reads(last.value, shared) or not _same_key(node, last.value, shared):
            continue
        if not across_await:
            return last
        start = last.end_lineno or last.lineno
        end = node.end_lineno or node.lineno
        if any(isinstance(a, ast.Await) and start < a.lineno <= end for a in nodes):
            return last
    return None


def _same_key(node: ast.Assign, read: ast.expr, shared: str) -> bool:
    """``S[k] = ...`` after a read of ``S.get(k)`` / ``S[k]``: the same key (or a read of no key
    that can be told); ``a = S.get("x")`` then ``S["y"] = a + 1`` updates another entry."""
    target = node.targets[0]
    if not isinstance(target, ast.Subscript):
        return True
    keys = set()
    for n in ast.walk(read):
        if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == shared:
            keys.add(ast.dump(n.slice))
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                and n.func.value.id == shared and n.func.attr == "get" and n.args:
            keys.add(ast.dump(n.args[0]))
    return not keys or ast.dump(target.slice) in keys
