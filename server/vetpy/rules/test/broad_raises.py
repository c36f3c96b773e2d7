"""TEST006 broad-expected-exception: `pytest.raises(Exception)` without `match=`."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import dotted_name, keyword
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, FixSafety, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.test.facts import Suite, collected_tests, makes_broad_exception, walk_scope

BROAD_EXPECTED = rule(
    code="TEST006",
    name="broad-expected-exception",
    family="TEST",
    severity=Severity.WARNING,
    summary="`pytest.raises(Exception)` (or `BaseException`, `assertRaises(Exception)`) with no `match=` and no look at the error afterwards.",
    rationale="""Expecting any exception means a `TypeError` from a misspelt argument, an
    `AttributeError` from a renamed method or a `KeyError` from a broken fixture all make the
    test pass: it checks that something failed, not that the code refused the input for the
    right reason. Name the exception the code raises, or give `match=` a part of its message.
    Not reported when the test reads the captured error afterwards
    (`with pytest.raises(Exception) as excinfo: ...` then `assert ... excinfo.value ...`), nor
    when the test makes a bare `Exception` itself (`side_effect=Exception()`, a hook that
    raises `Exception("boom")`), nor in helpers (only in test functions).
    ruff's PT011 reports the related case of too broad named exceptions.""",
    bad="""
        def test_rejects_bad_email():
            with pytest.raises(Exception):
                User(email="not-an-email")
    """,
    good="""
        def test_rejects_bad_email():
            with pytest.raises(ValidationError, match="email"):
                User(email="not-an-email")
    """,
    fix_safety=FixSafety.NONE,
)

BROAD = frozenset({"Exception", "BaseException"})


def _broad(node: ast.AST) -> str | None:
    items = node.elts if isinstance(node, ast.Tuple) else [node]
    for item in items:
        name = (dotted_name(item) or "").rsplit(".", 1)[-1]
        if name in BROAD and (dotted_name(item) or "") in (name, f"builtins.{name}"):
            return name
    return None


def _raises_call(call: ast.Call, suite: Suite) -> bool:
    callee = dotted_name(call.func) or ""
    if callee.endswith("assertRaises") or callee == "pytest.raises":
        return True
    if isinstance(call.func, ast.Name):
        return suite.imports.resolve(call.func.id) == "pytest.raises"
    if isinstance(call.func, ast.Attribute) and call.func.attr == "raises":
        head = (dotted_name(call.func.value) or "").split(".")[0]
        return suite.imports.resolve(head) == "pytest"
    return False


@REGISTRY.checker("TEST006")
def check_broad_raises(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    suite = Suite.of(doc, ctx)
    for test in collected_tests(doc, ctx):
        assert suite is not None
        func = test.node
        scope = suite.scope(func)
        if not any(isinstance(n, ast.Call) and _raises_call(n, suite) for n in scope):
            continue
        if makes_broad_exception(suite.body(func)):
            continue  # the test raises a bare Exception itself (a mock's side effect, a failing hook)
        read = {n.id for n in scope if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        captured: dict[int, str] = {}
        raising: set[int] = set()  # `with pytest.raises(Exception): raise Exception()`: exactly right
        for node in scope:
            if isinstance(node, (ast.With, ast.AsyncWith)):
                raises = any(isinstance(n, ast.Raise) for n in walk_scope(node.body))
                for item in node.items:
                    if raises:
                        raising.add(id(item.context_expr))
                    if isinstance(item.optional_vars, ast.Name):
                        captured[id(item.context_expr)] = item.optional_vars.id
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                captured[id(node.value)] = node.targets[0].id
        for node in scope:
            if not isinstance(node, ast.Call) or not node.args or not _raises_call(node, suite):
                continue
            broad = _broad(node.args[0])
            if broad is None or keyword(node, "match") is not None:
                continue
            if captured.get(id(node)) in read or id(node) in raising:
                continue  # the error is looked at afterwards, or raised by the test itself
            callee = dotted_name(node.func) or "raises"
            narrow = "`assertRaisesRegex`" if callee.endswith("assertRaises") else "`match=`"
            yield BROAD_EXPECTED.finding(
                doc,
                node,
                f"`{callee}({broad})` passes on any error, a typo's TypeError included: name the exception "
                f"the code raises or use {narrow}",
            )
