"""What a condition proves, as facts the EDGE flow analysis (:mod:`.flow`) keeps.

Facts are short strings:

* ``nn:<dotted>``  the value is proven not ``None`` (``if x:``, ``x is not None``, ``assert x``,
  an early ``return``/``raise``/``continue`` in the opposite branch, ...);
* ``ne:<dotted>``  the collection is proven non-empty (``if xs:``, ``len(xs) > 0``, inside
  ``for _ in xs:``, after ``xs.append(...)``, a non-empty literal, ...).

Deliberately intraprocedural and conservative, and free of rule specifics.
"""

from __future__ import annotations

import ast
from typing import Iterable

from vetpy.astutil import dotted_name


CATCH_ALL = frozenset({"*", "Exception", "BaseException"})


Aliases = dict[str, ast.expr]


def narrow(test: ast.expr, truth: bool, aliases: Aliases | None = None) -> set[str]:
    """Facts proven when ``test`` evaluates to ``truth`` (see the module docstring).

    ``aliases`` maps local names to the condition they were assigned (``ok = bool(xs)``)."""
    aliases = aliases or {}
    if isinstance(test, ast.NamedExpr):
        return narrow(test.target, truth, aliases)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return narrow(test.operand, not truth, aliases)
    if isinstance(test, ast.Name) and test.id in aliases:
        return narrow(aliases[test.id], truth) | narrow(ast.Name(id=test.id), truth)
    subject = dotted_name(test)
    if subject is not None:
        return {f"nn:{subject}", f"ne:{subject}"} if truth else set()
    if isinstance(test, ast.BoolOp):
        conj = isinstance(test.op, ast.And)
        if conj == truth:  # every operand had this truth value
            out: set[str] = set()
            for value in test.values:
                out |= narrow(value, truth, aliases)
            return out
        # Some operand decided the result; the earlier ones had the opposite value.
        options: list[set[str]] = []
        earlier: set[str] = set()
        for value in test.values:
            options.append(narrow(value, truth, aliases) | earlier)
            earlier |= narrow(value, not truth, aliases)
        return set.intersection(*options) if options else set()
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left = test.left
        if isinstance(left, ast.Name) and isinstance(aliases.get(left.id), ast.Call):
            left = aliases[left.id]  # n = len(xs); if n == 0: ...
        return _narrow_compare(left, test.ops[0], test.comparators[0], truth)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.args:
        name = test.func.id
        first = test.args[0]
        subject = dotted_name(_unwalrus(first))
        if name in ("isinstance", "callable", "hasattr") and truth and subject:
            if name == "isinstance" and _mentions_none_type(test.args[1:]):
                return set()
            return {f"nn:{subject}"}
        if name in ("len", "bool") and subject:
            return {f"nn:{subject}", f"ne:{subject}"} if truth else set()
        if name in ("all", "any") and isinstance(first, (ast.List, ast.Tuple)) and truth:
            if name == "any" and len(first.elts) != 1:
                return set()
            facts: set[str] = set()
            for elt in first.elts:
                facts |= narrow(elt, True, aliases)
            return facts
        if name == "any" and isinstance(first, ast.GeneratorExp) and truth:
            # any(c for x in xs) proves that next(x for x in xs if c) finds an element
            key = generator_key(first)
            return {f"ne:{key}", f"ne:{key} if {ast.unparse(first.elt)}"}
    if isinstance(test, ast.Call) and truth:
        return {f"nn:{ast.unparse(test)}"}  # `if pat.search(s): pat.search(s).group()`
    return set()


def generator_key(node: ast.GeneratorExp | ast.ListComp) -> str:
    """A key naming what a generator iterates and filters (its element expression aside)."""
    return "gen:" + "".join(ast.unparse(g) for g in node.generators)


def _unwalrus(node: ast.expr) -> ast.expr:
    return node.target if isinstance(node, ast.NamedExpr) else node


def _mentions_none_type(nodes: list[ast.expr]) -> bool:
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and sub.value is None:
                return True
            if isinstance(sub, (ast.Name, ast.Attribute)) and (dotted_name(sub) or "").endswith("NoneType"):
                return True
    return False


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _narrow_compare(left: ast.expr, op: ast.cmpop, right: ast.expr, truth: bool) -> set[str]:
    # len(x) <op> N
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "len" and left.args:
        subject = dotted_name(_unwalrus(left.args[0]))
        if subject and isinstance(right, ast.Constant) and isinstance(right.value, int):
            if _len_nonempty(op, right.value, truth):
                return {f"nn:{subject}", f"ne:{subject}"}
        return {f"nn:{subject}"} if subject else set()
    if isinstance(op, (ast.In, ast.NotIn)) and truth == isinstance(op, ast.In) and dotted_name(right) is not None:
        # `if k in d:` (or `if k not in d: continue`): `d.get(k)` finds the key
        key = _unwalrus(left)
        return {f"nn:{ast.unparse(right)}.get({ast.unparse(key)})"}
    subject = dotted_name(_unwalrus(left))
    if subject is None and _is_none(left):
        subject, right = dotted_name(_unwalrus(right)), left
    if subject is None:
        return set()
    if _is_none(right):
        negative = isinstance(op, (ast.IsNot, ast.NotEq))
        return {f"nn:{subject}"} if negative == truth else set()
    if truth and isinstance(op, (ast.Eq, ast.Is)) and isinstance(right, ast.Constant):
        return {f"nn:{subject}"}
    if truth and isinstance(op, ast.In) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
        if not any(_is_none(e) for e in right.elts):
            return {f"nn:{subject}"}
    if isinstance(right, ast.Constant) and type(right.value) is int and _len_nonempty(op, right.value, truth):
        return {f"nn:{subject}", f"ne:{subject}"}  # `if count > 0:`, `if count == 0: return`: a count not zero
    if truth and isinstance(op, (ast.Gt, ast.GtE, ast.Lt, ast.LtE)):
        return {f"nn:{subject}"}
    return set()


def _len_nonempty(op: ast.cmpop, n: int, truth: bool) -> bool:
    """Does ``len(x) <op> n`` having value ``truth`` prove ``len(x) > 0``?"""
    if not truth:
        op = {
            ast.Eq: ast.NotEq(),
            ast.NotEq: ast.Eq(),
            ast.Lt: ast.GtE(),
            ast.LtE: ast.Gt(),
            ast.Gt: ast.LtE(),
            ast.GtE: ast.Lt(),
        }.get(type(op), op)
    if isinstance(op, ast.Gt):
        return n >= 0
    if isinstance(op, ast.GtE):
        return n >= 1
    if isinstance(op, ast.Eq):
        return n >= 1
    if isinstance(op, ast.NotEq):
        return n == 0
    return False


# Calls whose result has an element only when their (first) argument has one.
ELEMENT_PRESERVING = frozenset(
    {"enumerate", "sorted", "reversed", "list", "tuple", "set", "frozenset", "iter", "Counter",
     "collections.Counter", "OrderedDict", "collections.OrderedDict", "dict.fromkeys"}
)
VIEW_METHODS = frozenset({"items", "keys", "values", "most_common", "copy"})


def iteration_facts(iterable: ast.expr) -> set[str]:
    """Facts proven inside a loop over ``iterable``: what it iterates has an element.

    ``for c, n in Counter(s).items()`` proves ``s`` non-empty, like ``for x in s`` does; so do
    ``enumerate(s)``, ``sorted(s)``, ``zip(a, b)`` (both), ``map(f, s)``, ``range(len(s))``."""
    facts: set[str] = set()
    stack = [iterable]
    while stack:
        node = stack.pop()
        subject = dotted_name(node)
        if subject:
            facts |= {f"ne:{subject}", f"nn:{subject}"}
            continue
        if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
            continue
        func = dotted_name(node.func) or ""
        if isinstance(node.func, ast.Attribute) and node.func.attr in VIEW_METHODS and not node.args:
            stack.append(node.func.value)
        elif func in ELEMENT_PRESERVING and len(node.args) == 1:
            stack.append(node.args[0])
        elif func in ("zip", "itertools.product") and not node.keywords:
            stack.extend(node.args)
        elif func in ("map", "filter", "itertools.starmap") and len(node.args) == 2:
            stack.append(node.args[1])
        elif func == "range" and len(node.args) == 1:
            stack.append(node.args[0])
        elif func == "len" and len(node.args) == 1:  # range(len(s))
            stack.append(node.args[0])
    return facts


def handler_names(handler: ast.ExceptHandler) -> set[str]:
    """Unqualified exception names an ``except`` clause catches (``*`` for a bare ``except``)."""
    if handler.type is None:
        return {"*"}
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {(dotted_name(t) or "?").rsplit(".", 1)[-1] for t in types}


def is_protected(caught: frozenset[str], names: Iterable[str]) -> bool:
    return bool(caught & CATCH_ALL) or any(n in caught for n in names)
