"""``ModuleFlow.bindings`` / ``single_assignment``: what a scope's names are bound to, read from
the scope table alone, equal to what a solved :class:`Scope` holds, and without solving one (the
security rules that only look at the bound expressions no longer build a data-flow model per
function: issue #17, cold checks)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from vetpy.astutil import parse
from vetpy.dataflow.bindings import Element
from vetpy.dataflow.flow import ModuleFlow, Scope

ROOT = Path(__file__).resolve().parents[1]

SOURCE = textwrap.dedent('''
    import hmac, os
    from hashlib import sha256

    KEY = os.environ["KEY"]
    total = 0
    total += 1

    def sign(body, secret):
        expected = hmac.new(secret, body, sha256).hexdigest()
        a, (b, c) = body
        for item in body:
            pass
        count: int = 0
        count += len(body)
        only: str
        if (n := len(body)) > 3:
            del n
        with open(body) as handle:
            pass
        try:
            pass
        except ValueError as exc:
            pass
        import json as decoder
        [x for x in body]
        match body:
            case {"k": v}:
                pass
        return expected == body

    class Holder:
        value = sign(b"", b"")
        def method(self):
            once = self.value
            return once
''')


def _same(left: object, right: object) -> bool:
    """Bound values compared: expressions of the source by identity; an element of an iterable by
    what it is an element of; ``x += y``'s made-up ``x + y`` by its shape."""
    if isinstance(left, Element) and isinstance(right, Element):
        return _same(left.iterable, right.iterable)
    if isinstance(left, ast.BinOp) and isinstance(right, ast.BinOp) and left is not right:
        return ast.dump(left) == ast.dump(right) and left.right is right.right
    return left is right


def _scopes(tree: ast.Module) -> list[ast.AST | None]:
    return [None, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]


def _check_tree(tree: ast.Module) -> int:
    flow = ModuleFlow(tree)
    answers = {func: flow.bindings(func) for func in _scopes(tree)}
    assert flow._scopes == {}, "bindings() must not work out a scope's values"
    compared = 0
    for func, light in answers.items():
        solved = Scope(ModuleFlow(tree), func).bindings
        assert list(light) == list(solved)
        for name, values in solved.items():
            assert len(light[name]) == len(values)
            assert all(_same(a, b) for a, b in zip(light[name], values)), name
            assert flow.single_assignment(func, name) is Scope(flow, func).single_assignment(name)
            compared += 1
    return compared


def test_bindings_equal_the_solved_scopes():
    tree = ast.parse(SOURCE)
    assert _check_tree(tree) > 15
    flow = ModuleFlow(tree)
    sign = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    bound = flow.bindings(sign)
    assert isinstance(bound["expected"][0], ast.Call)
    assert isinstance(bound["b"][0], Element) and isinstance(bound["b"][0].iterable, Element)
    assert isinstance(bound["count"][1], ast.BinOp)  # `count += len(body)` is `count = count + len(body)`
    assert "only" not in bound  # an annotation alone binds nothing
    assert flow.single_assignment(sign, "expected") is bound["expected"][0]
    assert flow.single_assignment(sign, "count") is None  # bound twice
    assert flow.single_assignment(sign, "a") is None  # an element of an unpacked value
    assert flow.single_assignment(None, "KEY") is flow.bindings(None)["KEY"][0]


def test_bindings_of_a_solved_scope_are_its_own():
    tree = ast.parse(SOURCE)
    flow = ModuleFlow(tree)
    sign = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    scope = flow.scope(sign)
    assert flow.bindings(sign) is scope.bindings


def test_bindings_on_the_fixtures():
    compared = 0
    for path in sorted((ROOT / "fixtures" / "security").glob("*.py"))[:40]:
        compared += _check_tree(parse(path.read_text(encoding="utf-8")))
    assert compared > 200
