"""TEST002 assertion-always-true: an `assert` (or `self.assert*`) that no outcome can fail."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.test.facts import Suite, collected_functions, name_words, same_expression

ALWAYS_TRUE = rule(
    code="TEST002",
    name="assertion-always-true",
    family="TEST",
    severity=Severity.WARNING,
    summary="An assertion that cannot fail: `assert True`, a non-empty tuple, a constant string, `x is x`, a literal compared with itself, `len(x) >= 0`, `self.assertTrue(1)`.",
    rationale="""`assert (response.ok, "request failed")` asserts a two-item tuple, which is
    always true; `assert "user created"` asserts a string; `assert x == x` compares a value with
    itself. Each passes whatever the code does, and a reviewer reading the line sees a check.
    The same holds for `self.assertTrue(1)`, `self.assertEqual(x, x)`, `self.assertIsNotNone("a")`.
    Comparing a name with itself is not reported in tests about equality, hashing or NaN
    (`test_eq_reflexive`), where `x == x` exercises `__eq__`. The fix for a parenthesised
    tuple (`assert (x, "msg")` -> `assert x, "msg"`) is mechanical.""",
    bad="""
        def test_login(client):
            response = client.post("/login", data=CREDENTIALS)
            assert (response.status_code == 200, "login failed")
    """,
    good="""
        def test_login(client):
            response = client.post("/login", data=CREDENTIALS)
            assert response.status_code == 200, "login failed"
    """,
    fix_safety=FixSafety.UNSAFE,
)

# Test names where `x == x` exercises `__eq__`, `__hash__` or NaN handling.
EQUALITY_WORDS = frozenset(
    {"eq", "equal", "equality", "equals", "ne", "reflexive", "reflexivity", "identity", "identical", "hash",
     "hashable", "hashing", "compare", "comparison", "comparisons", "cmp", "ordering", "order", "nan", "self",
     "same", "richcompare", "lt", "le", "gt", "ge", "sort", "sorting", "total"}
)
SELF_TRUE_OPS = (ast.Eq, ast.Is, ast.LtE, ast.GtE)


def _has_call(node: ast.AST) -> bool:
    return any(isinstance(n, (ast.Call, ast.Await, ast.NamedExpr, ast.Yield)) for n in ast.walk(node))


def truthy_constant(node: ast.AST) -> str | None:
    """Why ``node`` is always true, when it is, from its syntax alone."""
    if isinstance(node, ast.Constant):
        if node.value is Ellipsis or (node.value and not isinstance(node.value, bytes)) or (isinstance(node.value, bytes) and node.value):
            return "a string" if isinstance(node.value, str) else "a constant"
        return None
    if isinstance(node, ast.Tuple) and node.elts:
        return "a non-empty tuple"
    if isinstance(node, (ast.List, ast.Set)) and node.elts and not any(isinstance(e, ast.Starred) for e in node.elts):
        return "a non-empty literal"
    if isinstance(node, ast.Dict) and node.keys and all(k is not None for k in node.keys):
        return "a non-empty literal"
    if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.Constant) and v.value for v in node.values):
        return "a string"
    if isinstance(node, ast.Lambda):
        return "a function"
    return None


def _plain_value(node: ast.AST, func: ast.AST) -> bool:
    """A literal, or a name the test binds to a literal or to the result of a function (not a
    class: ``a = A(42); assert a == a`` exercises ``A.__eq__``)."""
    if isinstance(node, ast.Constant):
        return True
    if not isinstance(node, ast.Name):
        return False
    values = [
        n.value
        for n in ast.walk(func)
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
    ]
    if len(values) != 1:
        return False
    value = values[0]
    if isinstance(value, (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.JoinedStr)):
        return True
    if isinstance(value, ast.Call):
        callee = value.func.attr if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", "")
        return bool(callee) and callee[0].islower()
    return False


def self_comparison(left: ast.AST, right: ast.AST, identity: bool, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Is ``left <op> right`` a value compared with itself, true whatever the code does?  A name
    compared by identity always is; by equality when it holds a literal or a function's result,
    outside tests about equality (where ``x == x`` exercises ``__eq__``); attributes and
    subscripts run code (a cached property compared with itself checks the cache)."""
    if not same_expression(left, right) or _has_call(left):
        return False
    if isinstance(left, ast.Constant):
        return True
    if identity:
        return isinstance(left, ast.Name)
    return _plain_value(left, func) and EQUALITY_WORDS.isdisjoint(name_words(func.name))


def _is_len(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1


def _trivially_true(node: ast.AST) -> str | None:
    """``len(x) >= 0``, ``0 <= len(x)``, ``isinstance(x, object)``: true of every value."""
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, op, right = node.left, node.ops[0], node.comparators[0]
        zero = lambda n: isinstance(n, ast.Constant) and n.value == 0 and not isinstance(n.value, bool)  # noqa: E731
        if (_is_len(left) and isinstance(op, ast.GtE) and zero(right)) or (zero(left) and isinstance(op, ast.LtE) and _is_len(right)):
            return "a length is never negative"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "isinstance"
        and len(node.args) == 2
        and isinstance(node.args[1], ast.Name)
        and node.args[1].id == "object"
    ):
        return "every value is an object"
    return None


def _self_compare(node: ast.AST, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], SELF_TRUE_OPS)):
        return None
    if self_comparison(node.left, node.comparators[0], isinstance(node.ops[0], ast.Is), func):
        return "a value compared with itself"
    return None


def _tuple_fix(doc: Document, node: ast.Assert) -> Fix | None:
    tup = node.test
    if not isinstance(tup, ast.Tuple) or len(tup.elts) != 2 or node.msg is not None:
        return None
    if any(isinstance(e, ast.Starred) for e in tup.elts):
        return None
    first, second = (doc.segment(e) for e in tup.elts)
    line, _, end_line, _ = doc.node_range(tup)
    text = f"{first}, {second}" if line == end_line else f"({first}), ({second})"
    return Fix("Assert the condition with its message", (doc.replace_node(tup, text),), preferred=True)


UNITTEST_TRUE = {"assertTrue": True, "assert_": True, "failUnless": True, "assertFalse": False, "failIf": False}
UNITTEST_SAME = ("assertEqual", "assertEquals", "assertIs", "assertLessEqual", "assertGreaterEqual", "assertCountEqual",
                 "assertDictEqual", "assertListEqual", "assertSetEqual", "assertTupleEqual", "assertSequenceEqual",
                 "assertMultiLineEqual", "assertAlmostEqual")


def _unittest_reason(call: ast.Call, func_node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")):
        return None
    args = call.args
    if not args:
        return None
    name = func.attr
    if name in UNITTEST_TRUE:
        reason = truthy_constant(args[0])
        if UNITTEST_TRUE[name]:
            return reason
        if isinstance(args[0], ast.Constant) and not args[0].value and args[0].value is not Ellipsis:
            return "a false constant"
        return None
    if name == "assertIsNotNone" and isinstance(args[0], ast.Constant) and args[0].value is not None:
        return "a constant"
    if name == "assertIsNone" and isinstance(args[0], ast.Constant) and args[0].value is None:
        return "None"
    if name in UNITTEST_SAME and len(args) >= 2 and self_comparison(args[0], args[1], name == "assertIs", func_node):
        return "a value compared with itself"
    return None


@REGISTRY.checker("TEST002")
def check_always_true(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    suite = Suite.of(doc, ctx)
    for func in collected_functions(doc, ctx):
        assert suite is not None
        for node in suite.scope(func):
            if isinstance(node, ast.Assert):
                reason = truthy_constant(node.test) or _self_compare(node.test, func)
                message = f"it asserts {reason}" if reason else _trivially_true(node.test)
                if message is None or _is_fail_idiom(node):
                    continue
                fix = _tuple_fix(doc, node)
                yield ALWAYS_TRUE.finding(
                    doc,
                    node.test,
                    f"this assert cannot fail: {message}",
                    fixes=[fix] if fix else [],
                )
            elif isinstance(node, ast.Call):
                reason = _unittest_reason(node, func)
                if reason is not None:
                    assert isinstance(node.func, ast.Attribute)
                    yield ALWAYS_TRUE.finding(doc, node, f"`{node.func.attr}` cannot fail here: it checks {reason}")


def _is_fail_idiom(node: ast.Assert) -> bool:
    """``assert 0`` / ``assert False`` are failures on purpose (never reported: they are false)."""
    return isinstance(node.test, ast.Constant) and not node.test.value
