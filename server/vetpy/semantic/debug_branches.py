"""Which code runs only while debugging: the body of ``if settings.DEBUG:``, the ``else`` of
``if not app.debug:``, what follows ``if not DEBUG: raise`` in the same block.  SEC011 (details
sent to the client) and EDGE013 (blocking calls in async code) leave such code alone: it is the
point of a debug mode.  A production branch is never taken for a debug one: ``if not DEBUG:``'s
body, ``if DEBUG or verbose:`` and a client's ``request.args.get("debug")`` are not debug-only."""

from __future__ import annotations

import ast
from typing import Mapping, Sequence

from vetpy.astutil import dotted_name, name_words

# SEC011: a debug mode; EDGE013 also a profiling one (``settings.SERVER_PROFILING_ENABLED``)
SEC_WORDS = frozenset({"debug", "debugging"})
EDGE_WORDS = frozenset({"debug", "debugging", "profiling", "profiler"})

def debug_polarity(test: ast.expr, words: frozenset[str]) -> bool | None:
    """True when ``test`` holds only in debug mode, False when it holds only outside it (``not
    DEBUG``, ``DEBUG is False``), None when it says neither."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = debug_polarity(test.operand, words)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        parts = [debug_polarity(v, words) for v in test.values]
        if isinstance(test.op, ast.And):
            # every conjunct must hold: one debug-only conjunct makes the whole debug-only
            return True if True in parts else False if False in parts else None
        return parts[0] if len(set(parts)) == 1 else None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.comparators[0], ast.Constant):
        value, op = test.comparators[0].value, test.ops[0]
        if value is True or value is False:
            inner = debug_polarity(test.left, words)
            if inner is None or not isinstance(op, (ast.Is, ast.Eq, ast.IsNot, ast.NotEq)):
                return None
            same = isinstance(op, (ast.Is, ast.Eq)) == value
            return inner if same else not inner
        return None
    if isinstance(test, ast.Call) and not test.args and not test.keywords:
        test = test.func  # ``settings.is_debug()``
    name = dotted_name(test)
    if name is None:
        return None
    return True if any(words & set(name_words(part)) for part in name.split(".")) else None


def _in(block: object, node: ast.AST) -> int | None:
    if isinstance(block, list):
        for i, stmt in enumerate(block):
            if stmt is node:
                return i
    return None


def _exits_unless_debugging(stmt: ast.stmt, words: frozenset[str]) -> bool:
    """``if not settings.DEBUG: raise exc`` (or ``return ...``) with no ``else``: what follows in
    the block runs only while debugging."""
    return (
        isinstance(stmt, ast.If)
        and not stmt.orelse
        and isinstance(stmt.body[-1], (ast.Raise, ast.Return))
        and debug_polarity(stmt.test, words) is False
    )


def only_while_debugging(node: ast.AST, ancestors: Sequence[ast.AST], words: frozenset[str]) -> bool:
    """Does ``node`` run only in debug mode?  ``ancestors``: the nodes around it, outermost first."""
    inner = node
    for anc in reversed(ancestors):
        if isinstance(anc, ast.If):
            polarity = debug_polarity(anc.test, words)
            if (polarity is True and _in(anc.body, inner) is not None) or (
                polarity is False and _in(anc.orelse, inner) is not None
            ):
                return True
        for block in (getattr(anc, "body", None), getattr(anc, "orelse", None), getattr(anc, "finalbody", None)):
            index = _in(block, inner)
            if index is not None and any(_exits_unless_debugging(s, words) for s in block[:index]):  # type: ignore[index]
                return True
        inner = anc
    return False


def runs_only_while_debugging(node: ast.AST, parents: Mapping[ast.AST, ast.AST], words: frozenset[str]) -> bool:
    """:func:`only_while_debugging` with a map from each node to its parent."""
    ancestors = []
    parent = parents.get(node)
    while parent is not None:
        ancestors.append(parent)
        parent = parents.get(parent)
    return only_while_debugging(node, ancestors[::-1], words)
