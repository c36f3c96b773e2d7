"""Branches in which a name is no longer what it was bound to: a call in the test may be a type
guard (``if has(x): x.attr``), and an equality with a class is a type test done by the value's own
``__eq__`` (narwhals' and polars' ``if dtype == nw.Datetime: dtype.time_unit``: ``DType.__eq__``
compares the class; with the default ``__eq__`` an instance is never equal to a class).  So is
the code after such an ``if`` that leaves its block (``if not assigned_bool(node): return False``,
then ``node.targets``: pylint; :func:`narrowed_after_exit`), and the body of a ``case`` with a class
pattern on the name."""

from __future__ import annotations

import ast
from typing import Callable

from vetpy.astutil import dotted_name, leaves

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def narrowed_in_branch(node: ast.Attribute, parents: dict[ast.AST, ast.AST],
                       is_class: Callable[[ast.expr], bool] | None = None) -> bool:
    """Is ``node``'s receiver, a name or attribute chain, passed to a call in the test of an
    ``if``, ``while`` or conditional expression around it (``if has(x): x.attr``), or in an
    earlier operand of a boolean operation (``isinstance(self.p, Sub) and self.p.attr``)?  Such a
    call may be a type guard (``TypeGuard``/``TypeIs``): the value in the branch is not the one the
    name was bound to.  With ``is_class``, so is a receiver compared with ``==``/``!=``/``in``/
    ``not in`` to an expression ``is_class`` says is a class (``dtype == nw.Datetime``,
    ``dtype in (pl.Date, pl.Datetime)``)."""
    if not isinstance(node.value, (ast.Name, ast.Attribute)):
        return False
    receiver = _key(node.value)
    if receiver is None:
        return True  # too deep to compare (a chain of thousands of attributes): nothing is certain
    child, cur = node, parents.get(node)
    while cur is not None and not isinstance(cur, _SCOPES):
        tests: list[ast.AST] = []
        if isinstance(cur, (ast.If, ast.While, ast.IfExp)) and child is not cur.test:
            tests.append(cur.test)
        elif isinstance(cur, ast.BoolOp) and child in cur.values:  # `isinstance(x, C) and x.attr`
            tests += cur.values[: cur.values.index(child)]
        elif isinstance(cur, ast.match_case) and child in cur.body and _class_pattern(cur.pattern) \
                and isinstance(subject := getattr(parents.get(cur), "subject", None), ast.expr) and _key(subject) == receiver:
            return True  # `match node: case nodes.For(): node.iter` (pylint): the case is a type test
        if _guards(tests, receiver, is_class):
            return True
        child, cur = cur, parents.get(cur)
    return False


def narrowed_after_exit(node: ast.Attribute, parents: dict[ast.AST, ast.AST],
                        is_class: Callable[[ast.expr], bool] | None = None) -> bool:
    """Does an ``if`` without ``else`` earlier in a block around ``node`` (up to its function's
    body) leave that block (return, raise, continue, break) when a call given the name says no
    (``if not isinstance(x, C): return``, pylint's ``if not assigned_bool(node): return False``,
    then ``node.targets``)?  Below it the name is what the call let through.  A test that is not
    negated (``if isinstance(x, C): return``, ``if dtype == Datetime: return``) only says what the
    name is not.  Asked only of what would be reported (it reads the blocks' statements)."""
    receiver = _key(node.value) if isinstance(node.value, (ast.Name, ast.Attribute)) else None
    if receiver is None:
        return False
    child, cur = node, parents.get(node)
    while cur is not None:
        if isinstance(child, ast.stmt):
            block = _statements_before(cur, child)
            tests: list[ast.AST] = [s.test.operand for s in block if isinstance(s, ast.If) and not s.orelse and leaves(s.body)
                                    and isinstance(s.test, ast.UnaryOp) and isinstance(s.test.op, ast.Not)]
            if _guards(tests, receiver, None):
                return True
        if isinstance(cur, _SCOPES):
            return False
        child, cur = cur, parents.get(cur)
    return False


def _guards(tests: list[ast.AST], receiver: str, is_class: Callable[[ast.expr], bool] | None) -> bool:
    for test in tests:
        for part in ast.walk(test):
            if isinstance(part, ast.Call) and any(
                    _key(a) == receiver for a in [*part.args, *(k.value for k in part.keywords)]):
                return True
            if is_class is not None and isinstance(part, ast.Compare) and _compared_with_a_class(part, receiver, is_class):
                return True
    return False


def _class_pattern(pattern: ast.pattern) -> bool:
    return any(isinstance(p, ast.MatchClass) for p in ast.walk(pattern))


def _statements_before(block_owner: ast.AST, stmt: ast.stmt) -> list[ast.stmt]:
    """The statements before ``stmt`` in the block of ``block_owner`` that holds it."""
    for field in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(block_owner, field, None)
        if isinstance(block, list) and any(s is stmt for s in block):
            return block[:next(i for i, s in enumerate(block) if s is stmt)]
    return []


def _compared_with_a_class(test: ast.Compare, receiver: str, is_class: Callable[[ast.expr], bool]) -> bool:
    if len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
        return False
    left, right = test.left, test.comparators[0]
    if isinstance(test.ops[0], (ast.In, ast.NotIn)):
        if _key(left) != receiver or not isinstance(right, (ast.Tuple, ast.List, ast.Set)):
            return False
        others = list(right.elts)
    elif _key(left) == receiver:
        others = [right]
    elif _key(right) == receiver:
        others = [left]
    else:
        return False
    return any(isinstance(o, (ast.Name, ast.Attribute)) and is_class(o) for o in others)


def _key(expr: ast.expr) -> str | None:
    """``expr``'s structure as a string, for equality: a name or attribute chain as its dotted
    path (built without recursion: a chain may be thousands deep), anything else as ``ast.dump``;
    None when that recursion is too deep."""
    dotted = dotted_name(expr)
    if dotted is not None:
        return dotted
    try:
        return ast.dump(expr)
    except RecursionError:
        return None
