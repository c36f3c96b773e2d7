"""TEST005 swallowed-exception-in-test: a `try`/`except` in a test that lets every outcome pass."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.test.facts import Suite, TestFunction, collected_tests, is_check_name, makes_broad_exception, walk_body, walk_scope

SWALLOWED_IN_TEST = rule(
    code="TEST005",
    name="swallowed-exception-in-test",
    family="TEST",
    severity=Severity.WARNING,
    summary="A test catches the exception of the code it exercises and carries on: it passes whether the code raises or not.",
    rationale="""`try: act() except Exception: pass` in a test turns every failure of `act`,
    and every `AssertionError` raised inside the `try`, into a pass. `try: act() except
    ValueError: pass` without an `else: pytest.fail(...)` passes when no error is raised at
    all, so it cannot check that `act` raises. Use `pytest.raises(ValueError, match=...)` (or
    `self.assertRaises`) to expect an error, and let unexpected ones fail the test. Not
    reported: cleanup (`close`, `remove`, `rmtree`...), optional imports, handlers that fail,
    re-raise or check, and a `try` whose body already fails when no error comes. The fix turns
    `try: act() except ValueError: pass` in a pytest test into `with pytest.raises(ValueError):
    act()` (the test then fails when no error comes: review it).""",
    bad="""
        def test_rejects_negative_amount():
            try:
                withdraw(account, -5)
            except Exception:
                pass
    """,
    good="""
        def test_rejects_negative_amount():
            with pytest.raises(ValueError, match="negative"):
                withdraw(account, -5)
    """,
    fix_safety=FixSafety.UNSAFE,
)

BROAD = frozenset({"Exception", "BaseException", "AssertionError"})
TRIES = (ast.Try, getattr(ast, "TryStar", ast.Try))
IGNORED = frozenset({"ImportError", "ModuleNotFoundError", "SkipTest", "KeyboardInterrupt", "GeneratorExit"})
CLEANUP = (
    "close", "remove", "unlink", "rmdir", "rmtree", "kill", "terminate", "shutdown", "cancel", "flush",
    "release", "disconnect", "stop", "join", "unregister", "cleanup", "clean", "delete", "drop", "teardown",
    "wait", "exit", "__exit__", "reset", "restore", "undo", "unpatch", "chmod", "rollback", "dispose", "quit",
    "collect",
)


def _raises_on_purpose(body: list[ast.stmt]) -> bool:
    """The ``try`` makes an exception to look at (``raise X``, ``1 / 0``): not the act under test."""
    for node in walk_body(body):
        if isinstance(node, ast.Raise):
            return True
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod))
            and isinstance(node.right, ast.Constant)
            and node.right.value == 0
        ):
            return True
    return False


def _checks_after(block: list[ast.stmt], node: ast.stmt) -> bool:
    """Does something after ``node`` in its block check, on the path where nothing was raised?"""
    rest = block[block.index(node) + 1 :] if node in block else []
    for stmt in rest:
        if isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            if _checks(stmt.body) or _checks(stmt.orelse) or _checks(stmt.finalbody):
                return True
        elif _checks([stmt]):
            return True
    return False


def _caught(handler: ast.ExceptHandler) -> list[str]:
    if handler.type is None:
        return ["BaseException"]
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [(dotted_name(t) or "?").rsplit(".", 1)[-1] for t in types]


def _passes(body: list[ast.stmt]) -> bool:
    """A handler body that only goes on: ``pass``, ``...``, a docstring, ``continue``."""
    return all(
        isinstance(s, (ast.Pass, ast.Continue)) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in body
    )


def _fails(body: list[ast.stmt]) -> bool:
    """A handler that fails the test (``pytest.fail``, ``self.fail``, ``raise``, ``assert False``):
    it asserts the error does not happen."""
    for node in walk_body(body):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Constant) and not node.test.value:
            return True
        if isinstance(node, ast.Call) and (dotted_name(node.func) or "").rsplit(".", 1)[-1] == "fail":
            return True
    return False


def _checks(nodes: list[ast.stmt]) -> bool:
    for node in walk_body(nodes):
        if isinstance(node, (ast.Assert, ast.Raise)):
            return True
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1]
            if name and is_check_name(name):
                return True
    return False


def _setup_or_cleanup(body: list[ast.stmt]) -> bool:
    """Imports, deletions and cleanup calls: the test does not exercise these."""
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Delete, ast.Pass)):
            continue
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Await):
            call = call.value
        if isinstance(call, ast.Call):
            name = (dotted_name(call.func) or (call.func.attr if isinstance(call.func, ast.Attribute) else "")).rsplit(".", 1)[-1]
            lowered = name.lower().strip("_")
            if lowered.startswith(CLEANUP) or lowered.endswith(CLEANUP):
                continue
        return False
    return True


@REGISTRY.checker("TEST005")
def check_swallowed(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    suite = Suite.of(doc, ctx)
    for test in collected_tests(doc, ctx):
        assert suite is not None
        tries = [n for n in suite.scope(test.node) if isinstance(n, TRIES)]
        if not tries:
            continue
        body = suite.body(test.node)
        raisers = {
            n.name for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and _raises_on_purpose(n.body)
        }
        arranged = makes_broad_exception(body)  # the test makes the Exception it swallows
        for node in tries:
            assert isinstance(node, TRIES)
            if _setup_or_cleanup(node.body) or _raises_on_purpose(node.body):
                continue
            if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in raisers for n in walk_body(node.body)):
                continue  # calls a function of the test that raises on purpose
            for handler in node.handlers:
                caught = _caught(handler)
                if set(caught) & IGNORED:
                    continue
                line, col, _, _ = doc.node_range(handler)
                head = (line, col, line, col + len("except"))
                broad = bool(set(caught) & BROAD)
                shown = ", ".join(caught)
                if broad and _passes(handler.body) and not arranged:
                    yield SWALLOWED_IN_TEST.finding(
                        doc,
                        head,
                        f"`except {shown}` swallows whatever the test's code raises (assertion errors too): "
                        "the test passes whether it works or not",
                    )
                elif (
                    not broad
                    and not any(isinstance(s, (ast.Continue, ast.Break)) for s in handler.body)  # skips an item of a loop
                    and (_passes(handler.body) or _checks(handler.body))
                    and not _fails(handler.body)
                    and not _checks(node.body)
                    and not _checks(node.orelse)
                    and not _checks_after(_block_of(test.node, node), node)
                ):
                    yield SWALLOWED_IN_TEST.finding(
                        doc,
                        head,
                        f"nothing fails when no {shown} is raised: the test passes whether the code raises or not; "
                        f"use `pytest.raises({caught[0]})` or add `else: pytest.fail(...)`",
                        fixes=[f for f in [_raises_fix(doc, suite, test, node, handler)] if f is not None],
                    )


def _block_of(func: ast.AST, node: ast.stmt) -> list[ast.stmt]:
    """The statement list that holds ``node`` (inside ``func``)."""
    for parent in [func, *walk_scope(func.body)]:  # type: ignore[attr-defined]
        for name in ("body", "orelse", "finalbody"):
            block = getattr(parent, name, None)
            if isinstance(block, list) and node in block:
                return block
    return []


def _raises_fix(doc: Document, suite: Suite, test: TestFunction, node: ast.Try, handler: ast.ExceptHandler) -> Fix | None:
    """``try: act() except E: pass`` -> ``with pytest.raises(E): act()`` (a pytest test of a module
    that imports pytest, one handler that only passes, no ``else``/``finally``, the body on its
    own lines)."""
    if test.cls is not None and suite.is_unittest_class(test.cls):
        return None
    if suite.imports.resolve("pytest") != "pytest" or handler.type is None:
        return None
    if len(node.handlers) != 1 or node.orelse or node.finalbody or not _passes(handler.body):
        return None
    first, last = node.body[0], node.body[-1]
    if first.lineno == node.lineno or handler.lineno != (last.end_lineno or last.lineno) + 1:
        return None  # `try: act()` on one line, or comments between the body and the handler
    line, col, _, _ = doc.node_range(node)
    _, _, end_line, end_col = doc.node_range(handler)
    body = "\n".join(doc.line_text(n) for n in range(first.lineno, (last.end_lineno or last.lineno) + 1))
    text = f"with pytest.raises({doc.segment(handler.type)}):\n{body}"
    return Fix(f"Expect it with pytest.raises({doc.segment(handler.type)})", (TextEdit(line, col, end_line, end_col, text),), preferred=True)
