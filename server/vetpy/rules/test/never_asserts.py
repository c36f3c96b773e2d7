"""TEST007 test-never-asserts (opt-in): any collected test that checks nothing at all."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

from vetpy import codes

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.files import matches_pattern
from vetpy.findings import Finding, FixSafety, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.test.facts import Suite, TestFunction, decorator_names, matches_any, test_range
from vetpy.rules.test.no_assertion import _empty, _overrides, unchecked

NEVER_ASSERTS = rule(
    code="TEST007",
    name="test-never-asserts",
    family="TEST",
    severity=Severity.WARNING,
    summary="(Opt-in) A test with no assertion of any kind: it passes as long as nothing raises.",
    rationale="""The strict form of TEST001, off by default: select it by name (`select`,
    `--extend-select TEST007`) to hold a suite to "every test asserts something". It reports
    every collected test that has no check of any kind: no `assert`, no `self.assert*` or
    `self.fail`, no `pytest.raises`/`warns`/`fail`, no mock `assert_*` call, no `raise`, no
    call whose name says it checks (`verify`, `check_output`, `run(..., check=True)`), no
    helper of the file, fixture (of the file or a `conftest.py`), autouse fixture or
    `setUp`/`tearDown` that checks (helpers imported from test support modules are trusted).
    TEST001, on by default, reports only the part of these that is certain (an empty test, a
    result computed and never looked at): a test that just calls the code is usually a
    deliberate "does not raise" test (55 of 56 such findings on 17 mature test suites were
    deliberate; this rule reports 117 in the 253k lines of 30 real suites, where TEST001 reports 1: see
    benchmarks/test_rules.md), so this rule is for projects that want such tests to say so.
    They opt out by name: the `smoke-tests` setting (default `test_smoke_*`). Not reported:
    skipped and xfail tests (they do not pass by running), benchmarks, tests that turn warnings
    into errors (`filterwarnings("error")`), and an empty test overriding an inherited one (a
    test switched off). With TEST001 enabled too, a test TEST001 reports is reported once, as
    TEST001.""",
    bad="""
        def test_export_report(tmp_path):
            export_report(tmp_path / "out.csv")
    """,
    good="""
        def test_export_report(tmp_path):
            export_report(tmp_path / "out.csv")
            assert (tmp_path / "out.csv").read_text().startswith("date,amount")


        def test_smoke_export_report(tmp_path):  # a smoke test by name: it only needs to run
            export_report(tmp_path / "out.csv")
    """,
    fix_safety=FixSafety.NONE,
)

# Markers under which a test does not pass merely by running (or measures instead of checking).
NOT_RUN = ("skip", "xfail", "benchmark")


def _not_plain_run(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    for deco, name in zip(node.decorator_list, decorator_names(node)):
        last = name.rsplit(".", 1)[-1]
        if any(word in last for word in NOT_RUN):
            return True
        if last == "filterwarnings" and isinstance(deco, ast.Call) and "error" in ast.unparse(deco):
            return True  # a warning fails the test: "emits no warning" is the check
    return False


def never_asserts(suite: Suite, test: TestFunction, smoke: list[str]) -> bool:
    """Does ``test`` check nothing at all (and is it not opted out or switched off)?"""
    func = test.node
    if matches_any(func.name, smoke):
        return False
    if _not_plain_run(func) or (test.cls is not None and _not_plain_run(test.cls)):
        return False
    if suite.test_checks(test):
        return False
    if test.cls is not None and _empty(func) and _overrides(suite, test.cls, func.name):
        return False  # an inherited test switched off in a subclass
    return True


def _test001_enabled(doc: Document, ctx: AnalysisContext) -> bool:
    """Does the configuration run TEST001 on this file (select, ignore, per-file-ignores)?"""
    cfg = ctx.config
    if "TEST001" not in (codes.expand(cfg.select) if cfg.select else codes.default_codes()):
        return False
    if "TEST001" in codes.expand(cfg.ignore):
        return False
    try:
        rel = Path(doc.path).resolve().relative_to(ctx.root.resolve()).as_posix()
    except (ValueError, OSError):
        rel = Path(doc.path).as_posix()
    return not any(matches_pattern(rel, pattern) and "TEST001" in codes.expand(ignored)
                   for pattern, ignored in (cfg.per_file_ignores or {}).items())


@REGISTRY.checker("TEST007")
def check_never_asserts(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    suite = Suite.of(doc, ctx)
    if suite is None or suite.skipped:
        return
    smoke = list(getattr(ctx.config, "smoke_tests", ["test_smoke_*"]))
    test001 = _test001_enabled(doc, ctx)
    for test in suite.tests():
        if not never_asserts(suite, test, smoke):
            continue
        if test001 and unchecked(suite, test, smoke) is not None:
            continue  # reported as TEST001
        yield NEVER_ASSERTS.finding(
            doc,
            test_range(doc, test.node),
            f"test `{test.node.name}` has no assertion of any kind: it passes whenever the code runs "
            "without raising (add an assert, or name it as a smoke test: the `smoke-tests` setting)",
        )
