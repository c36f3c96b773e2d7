"""EDGE018 beyond routes and thread targets: module state that the module itself guards with a lock.

``with _rates_lock: if currency not in _rates: _rates[currency] = ...`` in one function and the
same check-then-act on ``_rates`` without the lock in another (``rate_for``, called "from request
threads and the workers" but neither a route nor a thread target of this file): the lock says the
author knows the state is shared between threads, so every unlocked check-then-act or
read-modify-write of it races with the locked one.  Only state that some module-level function
touches inside a ``with <lock>:`` block (or a method of a module-level class writes there: a
Django middleware's ``__call__`` counting errors under ``_stats_lock``) counts; a function that never names that state, or holds a
lock itself, is not asked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import NodeMemo, dotted_name
from vetpy.rules.edge.facts import own_nodes


def _lock_blocks(func: ast.FunctionDef | ast.AsyncFunctionDef, lock_words: re.Pattern[str]) -> list[ast.With | ast.AsyncWith]:
    out = []
    for node in own_nodes(func):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            contexts = [i.context_expr.func if isinstance(i.context_expr, ast.Call) else i.context_expr for i in node.items]
            if any(lock_words.search(dotted_name(c) or "") for c in contexts):
                out.append(node)
    return out


def module_functions(body: list[ast.stmt]) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's functions and the methods of its classes (a middleware's ``__call__`` guards
    and touches module state as a function does)."""
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield stmt
        elif isinstance(stmt, ast.ClassDef):
            yield from (item for item in stmt.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))


_MUTATORS = frozenset({"append", "add", "pop", "update", "setdefault", "clear", "remove", "discard", "extend", "insert", "popitem"})


def _written(block: ast.AST) -> set[str]:
    """The names ``block`` writes: an item stored or deleted (``S[k] = v``, ``S[k] += 1``), a
    mutating method called (``S.add(k)``), the name itself rebound (``global N; N += 1``)."""
    found: set[str] = set()
    for node in ast.walk(block):
        if isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name):
            found.add(node.value.id)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript) and isinstance(node.target.value, ast.Name):
            found.add(node.target.value.id)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS
              and isinstance(node.func.value, ast.Name)):
            found.add(node.func.value.id)
    return found


def guarded_names(body: list[ast.stmt], names: set[str], lock_words: re.Pattern[str], memo: NodeMemo | None = None) -> set[str]:
    """Those of ``names`` (module-level state) that a module-level function reads or writes inside
    a ``with <lock>:`` block, or that a method of a module-level class writes inside one (a
    method's lock is often its object's own, ``with self._lock:``, around a mere read of module
    state that each thread keys by its own id: that read says nothing of how the state is shared).
    With ``memo``, each top-level statement's names are kept while the statement is unchanged (in
    the editor an edit walks only the edited statement's blocks, not every function's)."""
    def facts(stmt: ast.AST) -> frozenset[str]:
        return _guarded_in(stmt, lock_words)  # type: ignore[arg-type]

    each = memo.each(body, ("edge.guarded-names", lock_words.pattern), facts) if memo is not None else map(facts, body)
    return set().union(*each) & names


def _guarded_in(stmt: ast.stmt, lock_words: re.Pattern[str]) -> frozenset[str]:
    """The names a top-level statement touches under a lock, as :func:`guarded_names` counts them."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return frozenset(n.id for block in _lock_blocks(stmt, lock_words) for n in ast.walk(block) if isinstance(n, ast.Name))
    if isinstance(stmt, ast.ClassDef):
        return frozenset(name for item in stmt.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                         for block in _lock_blocks(item, lock_words) for name in _written(block))
    return frozenset()
