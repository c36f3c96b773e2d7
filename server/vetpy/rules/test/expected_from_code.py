"""TEST004 expected-from-code-under-test: the expected value comes from the code being tested."""

from __future__ import annotations

import ast
import builtins
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, FixSafety, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.test.facts import Suite, TestFunction, collected_tests, name_words, same_expression

EXPECTED_FROM_CODE = rule(
    code="TEST004",
    name="expected-from-code-under-test",
    family="TEST",
    severity=Severity.WARNING,
    summary="The assertion compares the code under test with itself: `assert f(x) == f(x)`, `expected = f(x); assert f(x) == expected`, or a test that patches the very function it tests.",
    rationale="""A test that computes its expected value by calling the function under test
    checks that the function agrees with itself, which it always does; a test of `charge` that
    patches `pay.charge` and then asserts on what `pay.charge(...)` returned checks the mock's
    `return_value`. Both are green whatever the code does. Write the expected value down (a
    literal, a value worked out by hand or by an independent oracle), and patch what the
    function calls, not the function. Tests about determinism, caching or idempotence (names
    with `deterministic`, `stable`, `cache`, `idempotent`, `same`, `repeat`...) are not
    reported, nor calls of classes (`Point(1, 2) == Point(1, 2)` tests `__eq__`).""",
    bad="""
        def test_slugify():
            expected = slugify("Hello World")
            assert slugify("Hello World") == expected
    """,
    good="""
        def test_slugify():
            assert slugify("Hello World") == "hello-world"
    """,
    fix_safety=FixSafety.NONE,
)

DETERMINISM_WORDS = frozenset(
    {"deterministic", "determinism", "stable", "stability", "cache", "cached", "caching", "cache_", "memo",
     "memoize", "memoized", "memoization", "idempotent", "idempotence", "idempotency", "same", "repeat",
     "repeated", "repeatable", "twice", "again", "reproducible", "consistent", "consistency", "pure",
     "seed", "seeded", "random", "equal", "eq", "equality", "identity", "singleton", "reuse", "reused", "lru",
     "intern", "interned", "copy", "pickle", "roundtrip", "persist", "persistent", "unchanged", "invariant"}
)
EQ_OPS = (ast.Eq,)  # `f() is f()` checks that f returns one shared object (a cache, a singleton)
_BUILTINS = frozenset(dir(builtins))


def _function_call(node: ast.AST) -> bool:
    """A call of a function (not of a class: ``Point(1, 2) == Point(1, 2)`` tests ``__eq__``)."""
    if not isinstance(node, ast.Call):
        return False
    name = (dotted_name(node.func) or "").rsplit(".", 1)[-1]
    if isinstance(node.func, ast.Name) and name in _BUILTINS:
        return False  # `list(keys) == list(keys)` checks that keys can be iterated twice
    return bool(name) and name[0].islower() and name not in ("uuid4", "time", "now", "monotonic", "random")


def _pair(test: ast.AST) -> tuple[ast.expr, ast.expr] | None:
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], EQ_OPS):
        return test.left, test.comparators[0]
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr in ("assertEqual", "assertEquals"):
        if len(test.args) >= 2:
            return test.args[0], test.args[1]
    return None


def _assert_pair(stmt: ast.stmt) -> tuple[ast.expr, ast.expr] | None:
    if isinstance(stmt, ast.Assert):
        return _pair(stmt.test)
    if isinstance(stmt, ast.Expr):
        return _pair(stmt.value)
    return None


def _contract_callees(func: ast.FunctionDef | ast.AsyncFunctionDef, scope: list[ast.AST]) -> set[str]:
    """Callees the test passes in (a parameter) or also compares with ``!=``: ``key(1) == key(1)``
    next to ``key(1) != key(2)`` tests the equality contract of ``key``'s results."""
    args = func.args
    out = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    for node in scope:
        sides: list[ast.expr] = []
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.NotEq) for op in node.ops):
            sides = [node.left, *node.comparators]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "assertNotEqual":
            sides = list(node.args[:2])
        out |= {ast.unparse(s.func) for s in sides if isinstance(s, ast.Call)}
    return out


def _self_checks(stmts: list[ast.stmt]) -> Iterator[tuple[ast.AST, str, str | None]]:
    """(where, why, the callee when both sides call it) of each assertion of ``stmts`` whose
    expected value is the code under test's own result."""
    for i, stmt in enumerate(stmts):
        pair = _assert_pair(stmt)
        if pair is not None:
            left, right = pair
            if _function_call(left) and same_expression(left, right):
                callee = ast.unparse(left.func)  # type: ignore[attr-defined]
                yield stmt, f"both sides call `{callee}` with the same arguments", callee
                continue
        # expected = f(x); assert f(x) == expected  (next statement)
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and _function_call(stmt.value)
            and i + 1 < len(stmts)
        ):
            name = stmt.targets[0].id
            pair = _assert_pair(stmts[i + 1])
            if pair is None:
                continue
            for a, b in (pair, pair[::-1]):
                if isinstance(b, ast.Name) and b.id == name and same_expression(a, stmt.value):
                    func = ast.unparse(stmt.value.func)  # type: ignore[attr-defined]
                    yield stmts[i + 1], f"`{name}` was computed by the same call of `{func}` it is compared with", None
                    break


def _blocks(func: ast.FunctionDef | ast.AsyncFunctionDef, scope: list[ast.AST]) -> Iterator[list[ast.stmt]]:
    """The function's body and every statement list nested in it (not in nested functions)."""
    yield func.body
    for node in scope:
        if not isinstance(node, (ast.stmt, ast.ExceptHandler)):
            continue
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


# -- a test that patches the function it names -------------------------------------------------
def _patches(func: ast.FunctionDef | ast.AsyncFunctionDef, scope: list[ast.AST]) -> list[tuple[str, str]]:
    """(owner, name) of what the test patches: ``patch("a.b.name")`` -> ("a.b", "name"),
    ``patch.object(b, "name")`` / ``monkeypatch.setattr(b, "name", ...)`` -> ("b", "name")."""
    out: list[tuple[str, str]] = []
    calls = [d for d in func.decorator_list if isinstance(d, ast.Call)]
    calls += [n for n in scope if isinstance(n, ast.Call)]
    for call in calls:
        callee = dotted_name(call.func) or ""
        last = callee.rsplit(".", 1)[-1]
        args = call.args
        if last == "patch" and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            owner, _, name = args[0].value.rpartition(".")
            if owner:
                out.append((owner, name))
        elif (callee.endswith("patch.object") or last == "setattr") and len(args) >= 2:
            if isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
                owner_text = dotted_name(args[0])
                if owner_text:
                    out.append((owner_text, args[1].value))
            elif last == "setattr" and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                owner, _, name = args[0].value.rpartition(".")
                if owner:
                    out.append((owner, name))
    return out


def _subject(test_name: str, name: str) -> bool:
    bare = name.strip("_").lower()
    words = test_name.lower()
    return bool(bare) and (words == f"test_{bare}" or words.startswith(f"test_{bare}_"))


def _mocked_subject_calls(func: ast.FunctionDef | ast.AsyncFunctionDef, scope: list[ast.AST]) -> Iterator[tuple[ast.Call, ast.AST]]:
    patched = [(o, n) for o, n in _patches(func, scope) if _subject(func.name, n)]
    if not patched:
        return
    assigned: dict[str, ast.Call] = {}
    calls: list[ast.Call] = []
    for node in scope:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = dotted_name(node.func.value)
            if owner and any(node.func.attr == n and (o == owner or o.endswith("." + owner)) for o, n in patched):
                calls.append(node)
    if not calls:
        return
    for node in scope:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            if any(value is c for c in calls):
                assigned[node.targets[0].id] = value  # type: ignore[assignment]
    for node in scope:
        if isinstance(node, ast.Assert):
            for sub in ast.walk(node.test):
                if any(sub is c for c in calls):
                    yield sub, node  # type: ignore[misc]
                    break
                if isinstance(sub, ast.Name) and sub.id in assigned:
                    yield assigned[sub.id], node
                    break


@REGISTRY.checker("TEST004")
def check_expected_from_code(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    suite = Suite.of(doc, ctx)
    for test in collected_tests(doc, ctx):
        assert suite is not None
        yield from _check_test(doc, test, suite.scope(test.node))


def _check_test(doc: Document, test: TestFunction, scope: list[ast.AST]) -> Iterator[Finding]:
    func = test.node
    if DETERMINISM_WORDS.isdisjoint(name_words(func.name)):
        seen: set[int] = set()
        contract: set[str] | None = None
        for block in _blocks(func, scope):
            for where, why, callee in _self_checks(block):
                if callee is not None:
                    contract = _contract_callees(func, scope) if contract is None else contract
                    if callee in contract:
                        continue
                if id(where) not in seen:
                    seen.add(id(where))
                    yield EXPECTED_FROM_CODE.finding(
                        doc, where, f"the expected value comes from the code under test: {why}, so the check always holds"
                    )
    for call, where in _mocked_subject_calls(func, scope):
        target = ast.unparse(call.func)
        yield EXPECTED_FROM_CODE.finding(
            doc,
            where,
            f"`{target}` is patched by `{func.name}`, the test of it: this assertion checks the mock's return "
            "value, not the code; patch what it calls instead",
        )
