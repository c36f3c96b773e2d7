"""TEST003 mock-pseudo-assertion: `mock.called_once_with(...)` and misspelled `assert_*` methods."""

from __future__ import annotations

import ast
import difflib
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.test.facts import Suite

PSEUDO_ASSERTION = rule(
    code="TEST003",
    name="mock-pseudo-assertion",
    family="TEST",
    severity=Severity.WARNING,
    summary="`mock.called_once_with(...)`, a misspelled `assert_called_*` or an `assert_*` method never called: a mock check that checks nothing.",
    rationale="""A `Mock` invents every attribute it is asked for, so `mock.called_once_with(1)`
    and `assert mock.called_with(1)` call a new child mock and pass whatever happened.
    `unittest.mock` refuses attributes starting with `assert`/`assret` (and, from Python 3.11,
    `asert`, `aseert`, `assrt`) and, from 3.12, the `called_*` names above, but on older Pythons,
    with `unsafe=True`, or with spelling mistakes outside those prefixes the test passes
    silently. `mock.assert_called_once_with` without parentheses checks nothing either. The fix
    renames to the real `assert_*` method (and drops a surrounding `assert`).""",
    bad="""
        def test_notifies(mailer):
            signup("ada@example.com", mailer=mailer)
            assert mailer.send.called_once_with("ada@example.com")
    """,
    good="""
        def test_notifies(mailer):
            signup("ada@example.com", mailer=mailer)
            mailer.send.assert_called_once_with("ada@example.com")
    """,
    fix_safety=FixSafety.UNSAFE,
)

ASSERT_METHODS = (
    "assert_called", "assert_called_once", "assert_called_with", "assert_called_once_with", "assert_any_call",
    "assert_has_calls", "assert_not_called", "assert_awaited", "assert_awaited_once", "assert_awaited_with",
    "assert_awaited_once_with", "assert_any_await", "assert_has_awaits", "assert_not_awaited",
)
# ``called`` is a real attribute of every mock (a bool); the others are invented child mocks.
PSEUDO = {name.removeprefix("assert_"): name for name in ASSERT_METHODS if name != "assert_called"}
PROTECTED_PREFIXES = ("assert", "assret", "asert", "aseert", "assrt")


def _defined_names(doc: Document) -> set[str]:
    """Names the file itself defines as functions or assigns as attributes (not mock inventions)."""
    out: set[str] = set()
    for node in doc.nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            out.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            out.add(node.arg)  # Mock(called_with=...) configures it
    return out


def _intended(attr: str) -> str | None:
    """The real assert method a name stands for (pseudo name or misspelling), else None."""
    if attr in ASSERT_METHODS:
        return None
    if attr in PSEUDO:
        return PSEUDO[attr]
    if not attr.lower().startswith(("as", "ass")) or len(attr) < 10:
        return None
    close = difflib.get_close_matches(attr, ASSERT_METHODS, n=1, cutoff=0.88)
    return close[0] if close else None


@REGISTRY.checker("TEST003")
def check_pseudo_assertions(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    suite = Suite.of(doc, ctx)
    if suite is None:
        return
    defined: set[str] | None = None
    parents = doc.parents
    for node in doc.nodes:
        if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            continue
        parent = parents.get(node)
        called = isinstance(parent, ast.Call) and parent.func is node
        target = _intended(node.attr)
        if target is None:
            if node.attr in ASSERT_METHODS and isinstance(parent, ast.Expr):
                yield PSEUDO_ASSERTION.finding(
                    doc, node, f"`{node.attr}` is never called: add the parentheses and the expected arguments"
                )
            continue
        if defined is None:
            defined = _defined_names(doc)
        if node.attr in defined:
            continue
        use = parent if called else node
        holder = parents.get(use)
        in_assert = isinstance(holder, ast.Assert) and holder.test is use
        if not (in_assert or isinstance(holder, ast.Expr)):
            continue
        silent = not node.attr.startswith(PROTECTED_PREFIXES)
        if node.attr in PSEUDO:
            how = "a Mock invents the attribute and the check passes whatever happened (before Python 3.12)"
        elif silent:
            how = "a misspelling a Mock accepts silently, so the check passes whatever happened"
        else:
            how = "a misspelling unittest.mock refuses with AttributeError unless the mock is unsafe"
        yield PSEUDO_ASSERTION.finding(
            doc,
            doc.name_range_after_dot(node),
            f"`{node.attr}` is not a mock assertion: {how}; use `{target}`",
            fixes=_fix(doc, node, target, use, holder if in_assert else None, called),
        )


def _fix(doc: Document, node: ast.Attribute, target: str, use: ast.AST, wrapping: ast.AST | None, called: bool) -> list[Fix]:
    receiver = doc.segment(node.value)
    if called:
        assert isinstance(use, ast.Call)
        args = doc.segment(use)[len(doc.segment(use.func)):]
        text = f"{receiver}.{target}{args}"
    else:
        text = f"{receiver}.{target}()"
    if wrapping is not None:
        assert isinstance(wrapping, ast.Assert)
        if wrapping.msg is not None:
            return []
        edit = doc.replace_node(wrapping, text)
    else:
        edit = doc.replace_node(use, text)
    return [Fix(f"Call `{target}`", (edit,), preferred=True)]
