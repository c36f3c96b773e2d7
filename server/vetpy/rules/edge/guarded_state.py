"""EDGE018 beyond routes and thread targets: module state that the module itself guards with a lock.

``with _rates_lock: if currency not in _rates: _rates[currency] = ...`` in one function and the
same check-then-act on ``_rates`` without the lock in another (``rate_for``, called "from request
threads and the workers" but neither a route nor a thread target of this file): the lock says the
author knows the state is shared between threads, so every unlocked check-then-act or
read-modify-write of it races with the locked one.  Only state that some module-level function
touches inside a ``with <lock>:`` block counts; a function that never names that state, or holds a
lock itself, is not asked.
"""

from __future__ import annotations

import ast
import re

from vetpy.astutil import dotted_name
from vetpy.rules.edge.facts import walk_no_nested


def _lock_blocks(func: ast.FunctionDef | ast.AsyncFunctionDef, lock_words: re.Pattern[str]) -> list[ast.With | ast.AsyncWith]:
    out = []
    for node in walk_no_nested(func.body):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            contexts = [i.context_expr.func if isinstance(i.context_expr, ast.Call) else i.context_expr for i in node.items]
            if any(lock_words.search(dotted_name(c) or "") for c in contexts):
                out.append(node)
    return out


def guarded_names(body: list[ast.stmt], names: set[str], lock_words: re.Pattern[str]) -> set[str]:
    """Those of ``names`` (module-level state) that a module-level function reads or writes inside
    a ``with <lock>:`` block."""
    found: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for block in _lock_blocks(stmt, lock_words):
                found |= {n.id for n in ast.walk(block) if isinstance(n, ast.Name) and n.id in names}
    return found
