"""TEST007 test-never-asserts (issue 21 item 1 in full): opt-in, every collected test with no
assertion of any kind; TEST001 (on by default) keeps its narrower, certain cases, and a test is
never reported twice when both are on."""

from __future__ import annotations

from pathlib import Path

from vetpy import codes
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze, enabled_codes

REPO = Path(__file__).resolve().parent.parent
FIXTURES = [
    REPO / "fixtures" / "rules" / "TEST001" / "tests" / "test_no_assertion.py",
    REPO / "fixtures" / "rules" / "TEST007" / "tests" / "test_never_asserts.py",
]

SUITE = '''\
import pytest


def test_empty():
    pass


def test_just_calls():
    compute()


def test_dropped():
    total = compute()


def test_checked():
    assert compute() == 1


def test_smoke_import():
    compute()
'''


def _lines(tmp_path: Path, **settings: object) -> dict[str, list[int]]:
    path = tmp_path / "test_suite.py"
    path.write_text(SUITE, encoding="utf-8")
    ctx = AnalysisContext.bare(tmp_path, **settings)
    out: dict[str, list[int]] = {}
    for f in analyze(Document(str(path), SUITE), ctx):
        out.setdefault(f.code, []).append(f.line)
    return out


def test_off_by_default(tmp_path: Path) -> None:
    assert "TEST007" in codes.OPT_IN and "TEST007" not in codes.default_codes()
    assert "TEST001" in codes.default_codes()
    assert _lines(tmp_path) == {"TEST001": [4, 12]}  # the empty test, the dropped result


def test_selected_alone_reports_every_test_without_assertion(tmp_path: Path) -> None:
    # not the asserting test, not the smoke test (the default smoke-tests pattern)
    assert _lines(tmp_path, select=["TEST007"]) == {"TEST007": [4, 8, 12]}


def test_selected_with_test001_each_test_once(tmp_path: Path) -> None:
    assert _lines(tmp_path, select=["TEST001", "TEST007"]) == {"TEST001": [4, 12], "TEST007": [8]}
    # by family too (TEST selects the opt-in code, as SYN selects SYN003)
    assert _lines(tmp_path, select=["TEST"]) == {"TEST001": [4, 12], "TEST007": [8]}


def test_smoke_pattern_is_the_opt_out(tmp_path: Path) -> None:
    lines = _lines(tmp_path, select=["TEST007"], smoke_tests=["test_just_*"])
    assert lines == {"TEST007": [4, 12, 20]}


def test_union_is_the_same_with_or_without_test001() -> None:
    """On both rule fixtures: the tests reported by TEST001 + TEST007 together are exactly the
    tests TEST007 reports alone, and no test is reported by both."""
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        root = path.parent.parent
        alone = AnalysisContext.bare(root, select=["TEST007"], smoke_tests=["test_smoke_*", "test_cli_*"])
        both = AnalysisContext.bare(root, select=["TEST001", "TEST007"], smoke_tests=["test_smoke_*", "test_cli_*"])
        assert enabled_codes(alone, str(path)) == {"TEST007"}
        solo = {f.line for f in analyze(Document(str(path), text), alone)}
        together = analyze(Document(str(path), text), both)
        t1 = {f.line for f in together if f.code == "TEST001"}
        t7 = {f.line for f in together if f.code == "TEST007"}
        assert solo and t1, path
        assert t1 | t7 == solo, path
        assert not t1 & t7, path


def test_test001_ignored_for_the_file_gives_its_tests_to_test007(tmp_path: Path) -> None:
    assert _lines(tmp_path, select=["TEST001", "TEST007"], ignore=["TEST001"]) == {"TEST007": [4, 8, 12]}
    lines = _lines(tmp_path, select=["TEST001", "TEST007"], per_file_ignores={"test_*.py": ["TEST001"]})
    assert lines == {"TEST007": [4, 8, 12]}
