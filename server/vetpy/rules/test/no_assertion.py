"""TEST001 test-without-assertion: a test that passes as long as nothing raises."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, FixSafety, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.test.facts import Suite, TestFunction, decorator_names, matches_any, test_range

NO_ASSERTION = rule(
    code="TEST001",
    name="test-without-assertion",
    family="TEST",
    severity=Severity.WARNING,
    summary="A test that checks nothing and shows it: empty, or it computes a result and never looks at it (or only prints it).",
    rationale="""A test without any check passes whenever the code runs without raising: it
    cannot catch a wrong result, and the coverage it adds is coverage of nothing. Assistants
    write such tests to make a suite look complete: `result = total(cart)` and no assert. A
    check is an `assert`, a `self.assert*` or `self.fail`, `pytest.raises`/`warns`/`fail`/
    `deprecated_call`, a mock `assert_*` call, a `raise`, a call whose name says it checks
    (`check_output`, `verify`, `expect`, `raise_for_status`, `run(..., check=True)`), a call of
    a helper of the same file that checks (followed two levels deep), a fixture of the file or
    of a `conftest.py` that checks, an autouse fixture or a `setUp`/`tearDown` that checks.
    Reported only when the test is empty or drops what it computed (a variable never read
    again, a value only printed): a test that just calls the code is the deliberate "does not
    raise" test of mature suites: 55 of 56 such findings on 17 real test suites were
    deliberate. Not reported either: names that say the test only needs to run (the `smoke-tests`
    setting, default `test_smoke_*`, and names such as `test_no_error`, `test_does_not_raise`,
    `test_doesnt_crash`), a docstring or comment saying so ("should not raise", "regression",
    "works"), skipped and xfail tests, Hypothesis property tests, benchmarks, tests that only
    import, an empty test overriding an inherited one, and tests that call helpers imported
    from test support modules (which may check).""",
    bad="""
        def test_create_user(client):
            response = client.post("/users", json={"name": "ada"})
    """,
    good="""
        def test_create_user(client):
            response = client.post("/users", json={"name": "ada"})
            assert response.status_code == 201
            assert response.json()["name"] == "ada"
    """,
    fix_safety=FixSafety.NONE,
)

# Names that say the test checks only that the code runs ("does not raise").
NO_ERROR = re.compile(
    r"(^|_)(smoke|(no|not|never|doesnt|dont|does_not|do_not|without|wont|cannot)_"
    r"(raise|raises|raising|error|errors|exception|exceptions|crash|crashes|fail|fails|failure|blow_up|explode|hang|hangs|leak|leaks|warn|warns|warning|warnings)"
    r"|(runs|works|succeeds)($|_without|_ok))",
    re.IGNORECASE,
)
EXEMPT_DECORATORS = ("skip", "xfail", "given", "benchmark", "mark.slow_benchmark", "example")


def _exempt(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    for deco, name in zip(node.decorator_list, decorator_names(node)):
        last = name.rsplit(".", 1)[-1]
        if any(word in last for word in EXEMPT_DECORATORS):
            return True
        if last == "filterwarnings" and isinstance(deco, ast.Call):
            text = ast.unparse(deco)
            if "error" in text:
                return True  # a warning fails the test: "emits no warning" is the check
    return False


def _generator(scope: list[ast.AST]) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in scope)


def _trivial(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))


def _only_imports(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = [s for s in func.body if not _trivial(s)]
    return bool(body) and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in body)


def _empty(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return all(_trivial(s) for s in func.body)


def _returns_value(scope: list[ast.AST]) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None for n in scope)


# A docstring or comment that says the test only needs the code to run.
INTENT = re.compile(
    r"rais|crash|fail|error|exception|\bwork|silent|accept|valid|regression|issue|\bbug|no[- ]?op|smoke"
    r"|should(n't| not)|does(n't| not)|won't|no longer|pickl|\bok\b|succeed|possible|allowed|compat",
    re.IGNORECASE,
)
PRINTERS = frozenset({"print", "pprint", "pp", "debug", "info", "log"})


def _intent(doc: Document, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    docstring = ast.get_docstring(func) or ""
    comments = " ".join(doc.comments.get(line, "") for line in range(func.lineno, (func.end_lineno or func.lineno) + 1))
    return INTENT.search(docstring + " " + comments) is not None


def _dropped(scope: list[ast.AST], body: list[ast.AST]) -> str | None:
    """A name the test computes and never reads again, or a value it only prints."""
    read = {n.id for n in body if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    for node in scope:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        for target in targets:
            names = [target] if isinstance(target, ast.Name) else list(target.elts) if isinstance(target, ast.Tuple) else []
            ids = [n.id for n in names if isinstance(n, ast.Name)]
            if ids and len(ids) == len(names) and not any(i.startswith("_") for i in ids) and not set(ids) & read:
                return f"computes `{ids[0]}` and never looks at it"
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            name = node.value.func.id if isinstance(node.value.func, ast.Name) else getattr(node.value.func, "attr", "")
            if name in PRINTERS and any(not isinstance(a, ast.Constant) for a in node.value.args):
                return "prints a result instead of checking it"
    return None


def _overrides(suite: Suite, cls: ast.ClassDef, name: str) -> bool:
    """Does ``cls`` override a test ``name`` of a base (one defined elsewhere may have it)?"""
    chain, unknown = suite.class_chain(cls)
    if unknown:
        return True
    return any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name for c in chain[1:] for s in c.body)


def unchecked(suite: Suite, test: TestFunction, smoke: list[str]) -> str | None:
    """Why ``test`` checks nothing (empty, or a result computed and dropped), when it does not
    and is not exempt; None otherwise.  A test that only calls the code (no result kept) is the
    deliberate "does not raise" shape of mature suites, and is not reported."""
    func = test.node
    if matches_any(func.name, smoke) or NO_ERROR.search(func.name):
        return None
    if _exempt(func) or (test.cls is not None and _exempt(test.cls)):
        return None
    if suite.checks(func, test.cls, 1):
        return None  # the common case, decided first
    scope = suite.scope(func)
    if _generator(scope) or _only_imports(func) or _returns_value(scope):
        return None
    if _empty(func):
        if test.cls is not None and _overrides(suite, test.cls, func.name):
            return None  # an inherited test switched off in a subclass
        why: str | None = "is empty"
    else:
        why = _dropped(scope, suite.body(func))
        if why is None or _intent(suite.doc, func):
            return None
    if suite.test_checks(test):
        return None
    return why


@REGISTRY.checker("TEST001")
def check_no_assertion(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    suite = Suite.of(doc, ctx)
    if suite is None or suite.skipped:
        return
    smoke = list(getattr(ctx.config, "smoke_tests", ["test_smoke_*"]))
    for test in suite.tests():
        why = unchecked(suite, test, smoke)
        if why is not None:
            yield NO_ASSERTION.finding(
                doc,
                test_range(doc, test.node),
                f"test `{test.node.name}` {why}: it checks nothing and passes whenever the code runs "
                "without raising (no assert, pytest.raises, mock assert_*, checking helper or fixture)",
            )
