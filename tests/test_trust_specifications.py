"""Specification tests added from mutation testing (benchmarks/mutation.md).

Each group names the documented behaviour that a surviving mutant showed to be unspecified:
the edit format of ``findings.py`` (the contract every front end and fix relies on), the
JSON shape of findings and fixes, severity parsing, and ``per-file-ignores`` globbing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vetpy.config import Config
from vetpy.context import AnalysisContext
from vetpy.engine import check_source, enabled_codes
from vetpy.findings import Finding, Fix, Severity, TextEdit, apply_edits
from vetpy.files import is_excluded


# -- apply_edits: 1-based lines and code-point columns, half-open, any line ending ------------------

@pytest.mark.parametrize(
    "text, edit, expected",
    [
        ("abc\n", TextEdit(1, 1, 1, 1, "X"), "Xabc\n"),  # insert at the very start
        ("abc\n", TextEdit(1, 4, 1, 4, "X"), "abcX\n"),  # insert at the end of a line (column len+1)
        ("abc\n", TextEdit(2, 1, 2, 1, "X"), "abc\nX"),  # insert on the empty last line
        ("abc", TextEdit(1, 4, 1, 4, "X"), "abcX"),  # end of a text without a final newline
        ("abc\n", TextEdit(1, 2, 1, 3, ""), "ac\n"),  # delete one character
        ("ab\ncd\n", TextEdit(1, 2, 2, 2, "-"), "a-d\n"),  # across lines
        ("a\r\nb\r\n", TextEdit(2, 1, 2, 2, "B"), "a\r\nB\r\n"),  # CRLF counts as one line break
        ("a\rb\rc", TextEdit(3, 1, 3, 2, "C"), "a\rb\rC"),  # bare CR is a line break
        ("😀x\n", TextEdit(1, 2, 1, 3, "y"), "😀y\n"),  # columns count code points, not UTF-16/UTF-8
        ("", TextEdit(1, 1, 1, 1, "new"), "new"),  # empty document has one empty line
        ("\nabc", TextEdit(2, 1, 2, 2, "X"), "\nXbc"),  # a line break as the very first character
        ("\r\nabc", TextEdit(2, 1, 2, 2, "X"), "\r\nXbc"),
    ],
)
def test_apply_edits_positions(text, edit, expected):
    assert apply_edits(text, [edit]) == expected


def test_apply_edits_applies_several_edits_given_in_any_order():
    text = "import jsonx\nfrom jsonx import loads\n"
    edits = [TextEdit(2, 6, 2, 11, "json"), TextEdit(1, 8, 1, 13, "json")]
    assert apply_edits(text, edits) == "import json\nfrom json import loads\n"
    assert apply_edits(text, list(reversed(edits))) == "import json\nfrom json import loads\n"
    assert apply_edits(text, ()) == text


def test_inserts_at_the_same_position_keep_their_given_order():
    # as in LSP's TextEdit[]: the order in the list decides
    assert apply_edits("ab", [TextEdit(1, 2, 1, 2, "Y"), TextEdit(1, 2, 1, 2, "X")]) == "aYXb"
    assert apply_edits("ab", [TextEdit(1, 2, 1, 2, "X"), TextEdit(1, 2, 1, 2, "Y")]) == "aXYb"


def test_apply_edits_accepts_adjacent_edits_and_an_insert_at_an_edit_boundary():
    assert apply_edits("abcd", [TextEdit(1, 1, 1, 3, "X"), TextEdit(1, 3, 1, 5, "Y")]) == "XY"
    assert apply_edits("abcd", [TextEdit(1, 3, 1, 3, "-"), TextEdit(1, 1, 1, 3, "X")]) == "X-cd"


@pytest.mark.parametrize(
    "edit, message",
    [
        (TextEdit(0, 1, 1, 1, "x"), "line 0 outside"),
        (TextEdit(3, 1, 3, 1, "x"), "line 3 outside"),
        (TextEdit(1, 1, 3, 1, "x"), "line 3 outside"),
        (TextEdit(1, 0, 1, 1, "x"), "column 0 outside line 1"),
        (TextEdit(1, 5, 1, 5, "x"), "column 5 outside line 1"),  # "abc\n": column 4 is the newline, 5 is past it
        (TextEdit(2, 2, 2, 2, "x"), "column 2 outside line 2"),
        (TextEdit(1, 3, 1, 2, "x"), "^overlapping or inverted edits$"),
    ],
)
def test_apply_edits_rejects_positions_outside_the_text(edit, message):
    with pytest.raises(ValueError, match=message):
        apply_edits("abc\n", [edit])


def test_apply_edits_column_may_point_at_the_line_break_but_not_past_it():
    assert apply_edits("abc\ndef", [TextEdit(1, 4, 1, 4, "!")]) == "abc!\ndef"
    with pytest.raises(ValueError):
        apply_edits("abc\ndef", [TextEdit(1, 6, 1, 6, "!")])


def test_apply_edits_rejects_overlapping_edits_in_either_order():
    a, b = TextEdit(1, 1, 1, 3, "x"), TextEdit(1, 2, 1, 4, "y")
    for edits in ([a, b], [b, a]):
        with pytest.raises(ValueError, match="^overlapping or inverted edits$"):
            apply_edits("abcd", edits)


# -- JSON shapes (the --format json contract and LSP code-action data) ---------------------------

def _finding(**overrides) -> Finding:
    fix = Fix("Replace with `json`", (TextEdit(1, 8, 1, 13, "json"),), safe=True, preferred=True)
    data = dict(path="a.py", line=1, column=8, end_line=1, end_column=13, code="HAL001", rule="unresolved-import",
                severity=Severity.ERROR, message="m", fixes=(fix,), cwe=())
    data.update(overrides)
    return Finding(**data)


def test_text_edit_round_trips_through_its_dict():
    edit = TextEdit(2, 3, 4, 5, "new")
    assert edit.to_dict() == {"line": 2, "column": 3, "end_line": 4, "end_column": 5, "new_text": "new"}
    assert TextEdit.from_dict(edit.to_dict()) == edit
    assert TextEdit.from_dict({"line": "2", "column": "3", "end_line": "4", "end_column": "5", "new_text": 7}) == TextEdit(2, 3, 4, 5, "7")


def test_fix_round_trips_and_defaults_to_unsafe_not_preferred():
    fix = Fix("t", (TextEdit(1, 1, 1, 2, "x"), TextEdit(2, 1, 2, 1, "y")), safe=True, preferred=True)
    assert fix.to_dict() == {"title": "t", "safe": True, "preferred": True, "edits": [e.to_dict() for e in fix.edits]}
    assert Fix.from_dict(fix.to_dict()) == fix
    minimal = Fix.from_dict({"title": "only a title"})
    assert minimal == Fix("only a title", (), safe=False, preferred=False)


def test_finding_dict_has_exactly_the_documented_keys():
    data = _finding().to_dict()
    assert data == {
        "path": "a.py", "line": 1, "column": 8, "end_line": 1, "end_column": 13, "code": "HAL001",
        "rule": "unresolved-import", "severity": "error", "message": "m",
        "fixes": [{"title": "Replace with `json`", "safe": True, "preferred": True,
                   "edits": [{"line": 1, "column": 8, "end_line": 1, "end_column": 13, "new_text": "json"}]}],
    }
    assert _finding(cwe=(89, 78)).to_dict()["cwe"] == ["CWE-89", "CWE-78"]


def test_severity_parse_is_case_insensitive_and_names_the_choices():
    assert Severity.parse("WARNING") is Severity.WARNING
    assert Severity.parse("hint") is Severity.HINT
    with pytest.raises(ValueError, match=r"unknown severity 'loud' \(expected one of: error, warning, info, hint\)"):
        Severity.parse("loud")


def test_with_severity_changes_only_the_severity():
    f = _finding()
    g = f.with_severity(Severity.INFO)
    assert g.severity is Severity.INFO and f.severity is Severity.ERROR
    assert g.to_dict() | {"severity": "error"} == f.to_dict()


# -- per-file-ignores globbing (engine) ------------------------------------------------------------

@pytest.mark.parametrize(
    "pattern, rel, ignored",
    [
        ("tests/*", "tests/test_a.py", True),
        ("tests/*", "src/tests_a.py", False),
        ("tests/", "tests/deep/test_a.py", True),  # a directory matches anywhere below it
        ("tests", "pkg/tests/test_a.py", True),  # a bare name matches any path component
        ("tests", "pkg/tests_a.py", False),
        ("conftest.py", "a/b/conftest.py", True),
        ("./scripts/*.py", "scripts/run.py", True),
        ("scripts/gen", "scripts/gen/out.py", True),  # a path with a slash matches the directory too
        ("scripts/gen", "scripts/generated.py", False),
        ("src/*.py", "lib/src/a.py", False),  # a pattern with a slash is anchored at the root
        ("*_pb2.py", "api/v1/service_pb2.py", True),
        (".github/*", ".github/scripts/release.py", True),  # the leading dot is part of the name
        (".github/*", "github/scripts/release.py", False),
        ("./.github", "tools/.github/x.py", True),
    ],
)
def test_per_file_ignores_patterns(tmp_path, pattern, rel, ignored):
    ctx = AnalysisContext(config=Config(per_file_ignores={pattern: ["HAL001"]}), root=tmp_path)
    codes = enabled_codes(ctx, str(tmp_path / rel))
    assert ("HAL001" not in codes) is ignored
    assert "HAL002" in codes


@pytest.mark.parametrize("pattern", ["tests/*", "tests/", "tests", ".github/*", "*_pb2.py", "./scripts/*.py", "src/*.py"])
@pytest.mark.parametrize("rel", ["tests/a.py", "pkg/tests/a.py", ".github/x.py", "github/x.py", "api/x_pb2.py", "scripts/run.py", "lib/src/a.py"])
def test_exclude_and_per_file_ignores_read_a_pattern_the_same_way(tmp_path, pattern, rel):
    ctx = AnalysisContext(config=Config(per_file_ignores={pattern: ["HAL001"]}), root=tmp_path)
    ignored = "HAL001" not in enabled_codes(ctx, str(tmp_path / rel))
    assert ignored is is_excluded(rel, [pattern])


def test_per_file_ignores_for_a_path_outside_the_root_use_the_path_as_given(tmp_path):
    ctx = AnalysisContext(config=Config(per_file_ignores={"elsewhere/*": ["HAL"]}), root=tmp_path / "root")
    assert "HAL001" not in enabled_codes(ctx, "elsewhere/a.py")
    assert "HAL001" in enabled_codes(ctx, str(tmp_path / "other" / "a.py"))


def test_check_source_defaults_to_a_bare_context_and_a_string_path():
    findings = check_source("def f(:\n")
    assert [(f.code, f.path) for f in findings] == [("SYN001", "<string>")]
    assert check_source("import os\n", path=str(Path("pkg") / "m.py")) == []


def test_apply_edits_never_splits_a_crlf_line_break():
    # Found by mutation testing: a column one past the end of the line was accepted and landed
    # between "\r" and "\n" of a CRLF document.
    with pytest.raises(ValueError, match="column 5 outside line 1"):
        apply_edits("abc\r\ndef", [TextEdit(1, 5, 1, 5, "!")])
    assert apply_edits("abc\r\ndef", [TextEdit(1, 4, 1, 4, "!")]) == "abc!\r\ndef"


# -- analyze: which checkers run, cancellation, error reports ---------------------------------------

def _fake_checkers(monkeypatch, calls: list[str]):
    """Two stand-in checkers for HAL001 and HAL002 that record their calls and report line 1."""
    from vetpy.rules import REGISTRY, load_all
    from vetpy.rules.hal.imports import UNKNOWN_IMPORT_NAME, UNRESOLVED_IMPORT
    from vetpy.rules.registry import CheckerEntry

    load_all()

    def make(rule):
        def checker(doc, ctx):
            calls.append(rule.code)
            yield rule.finding(doc, (1, 1, 1, 2), f"{rule.code} here")

        checker.__qualname__ = f"fake_{rule.code}"
        return CheckerEntry(frozenset({rule.code}), checker)

    monkeypatch.setattr(REGISTRY, "checkers", [make(UNRESOLVED_IMPORT), make(UNKNOWN_IMPORT_NAME)])


def test_only_checkers_of_enabled_codes_run_and_a_disabled_one_does_not_stop_the_rest(monkeypatch, tmp_path):
    calls: list[str] = []
    _fake_checkers(monkeypatch, calls)
    ctx = AnalysisContext(config=Config(select=["HAL002"]), root=tmp_path)
    assert [f.code for f in check_source("x = 1\n", ctx=ctx)] == ["HAL002"]
    assert calls == ["HAL002"]


def test_analyze_applies_per_file_ignores_of_the_documents_own_path(monkeypatch, tmp_path):
    _fake_checkers(monkeypatch, [])
    ctx = AnalysisContext(config=Config(per_file_ignores={"gen/*": ["HAL001"]}), root=tmp_path)
    assert [f.code for f in check_source("x\n", path=str(tmp_path / "gen" / "a.py"), ctx=ctx)] == ["HAL002"]
    assert [f.code for f in check_source("x\n", path=str(tmp_path / "src" / "a.py"), ctx=ctx)] == ["HAL001", "HAL002"]


def test_a_cancelled_analysis_returns_the_findings_so_far_as_a_list(monkeypatch, tmp_path):
    calls: list[str] = []
    _fake_checkers(monkeypatch, calls)
    ctx = AnalysisContext(config=Config(), root=tmp_path)
    ctx.cancelled = lambda: len(calls) >= 1
    assert [f.code for f in check_source("x = 1\n", ctx=ctx)] == ["HAL001"]
    assert calls == ["HAL001"]


def test_a_failing_checker_is_reported_by_its_qualified_name(monkeypatch, tmp_path):
    from vetpy.rules import REGISTRY
    from vetpy.rules.registry import CheckerEntry

    def broken(doc, ctx):
        raise KeyError("k")
        yield

    monkeypatch.setattr(REGISTRY, "checkers", [CheckerEntry(frozenset({"HAL001"}), broken)])
    errors = []
    ctx = AnalysisContext(config=Config(), root=tmp_path, on_error=lambda name, exc: errors.append((name, type(exc))))
    assert check_source("x = 1\n", ctx=ctx) == []
    assert errors == [(broken.__qualname__, KeyError)]


def test_suppressed_findings_are_dropped_by_code_on_their_start_or_end_line(monkeypatch, tmp_path):
    _fake_checkers(monkeypatch, [])
    ctx = AnalysisContext(config=Config(), root=tmp_path)
    assert [f.code for f in check_source("x  # vetpy: ignore[HAL001]\n", ctx=ctx)] == ["HAL002"]
    assert [f.code for f in check_source("x  # noqa: HAL002\n", ctx=ctx)] == ["HAL001"]
    assert check_source("x  # vetpy: ignore\n", ctx=ctx) == []
    assert [f.code for f in check_source("x  # noqa: SEC001\n", ctx=ctx)] == ["HAL001", "HAL002"]


@pytest.mark.checker_fails
def test_without_an_error_callback_a_failing_checker_is_logged_with_its_name_path_and_error(monkeypatch, tmp_path, caplog):
    from vetpy.rules import REGISTRY
    from vetpy.rules.registry import CheckerEntry

    def broken(doc, ctx):
        raise KeyError("k")
        yield

    monkeypatch.setattr(REGISTRY, "checkers", [CheckerEntry(frozenset({"HAL001"}), broken)])
    with caplog.at_level("WARNING", logger="vetpy"):
        assert check_source("x = 1\n", path="m.py", ctx=AnalysisContext(config=Config(), root=tmp_path)) == []
    assert caplog.messages == [f"checker {broken.__qualname__} failed on m.py: KeyError: 'k'"]


def test_per_file_ignores_need_a_path(tmp_path):
    ctx = AnalysisContext(config=Config(per_file_ignores={"*": ["HAL001"]}), root=tmp_path)
    assert "HAL001" in enabled_codes(ctx)
    assert "HAL001" not in enabled_codes(ctx, str(tmp_path / "a.py"))


# -- document positions: syntax-error ranges, offsets, comments of unfinished code -----------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("def f(:\n", (1, 7, 1, 8)),  # the ':' itself
        ("x = (1,\n", (1, 5, 1, 6)),  # the bracket that was never closed
        ('x = "abc\n', (1, 5, 1, 6)),  # where the unterminated string starts
        ("x = 😀 😀\n", (1, 5, 1, 6)),  # code points, not UTF-8 bytes
        ('print "x"\n', (1, 1, 1, 10)),  # a multi-character range from the parser
        ("if x:\n", (1, 6, 1, 6)),  # at the end of the line: an empty range, still inside the line
    ],
)
def test_syntax_error_ranges(text, expected):
    from vetpy.document import Document

    problem = Document("a.py", text).syntax_error
    assert (problem.line, problem.column, problem.end_line, problem.end_column) == expected


def test_position_of_an_offset_is_clamped_and_counts_crlf_as_one_break():
    from vetpy.document import Document

    doc = Document("a.py", "ab\r\ncd\ne")
    assert [doc.position(o) for o in (-5, 0, 2, 4, 5, 7, 8, 100)] == [
        (1, 1), (1, 1), (1, 3), (2, 1), (2, 2), (3, 1), (3, 2), (3, 2)
    ]
    assert all(doc.offset(*doc.position(o)) == o for o in range(len(doc.text) + 1) if o != 3)


@pytest.mark.parametrize(
    "text, comments",
    [
        ('x = "a#b"  # real\n(', {1: "# real"}),  # '#' inside a string is not a comment
        ('x = "a\\"#"  # c\n(', {1: "# c"}),  # an escaped quote does not end the string
        ("y = 'q#'  #z\n(", {1: "#z"}),
        ("# only\n(", {1: "# only"}),
    ],
)
def test_comments_of_code_that_does_not_tokenize(text, comments):
    from vetpy.document import Document

    assert Document("a.py", text).comments == comments


def test_a_multi_line_finding_is_suppressed_from_its_first_or_its_last_line(monkeypatch, tmp_path):
    from vetpy.rules import REGISTRY
    from vetpy.rules.hal.imports import UNRESOLVED_IMPORT
    from vetpy.rules.registry import CheckerEntry

    def spanning(doc, ctx):
        yield UNRESOLVED_IMPORT.finding(doc, (1, 1, 3, 2), "spans three lines")

    monkeypatch.setattr(REGISTRY, "checkers", [CheckerEntry(frozenset({"HAL001"}), spanning)])
    ctx = AnalysisContext(config=Config(), root=tmp_path)
    assert check_source("f(  # noqa: HAL001\n1,\n)\n", ctx=ctx) == []
    assert check_source("f(\n1,\n)  # noqa: HAL001\n", ctx=ctx) == []
    assert len(check_source("f(\n1,  # noqa: HAL001\n)\n", ctx=ctx)) == 1  # a middle line does not count


@pytest.mark.parametrize("text", [
    'x = 1\nz = "\u00e9\u00e9\u00e9" $\n',
    'x = 1\ns = "\u00e9\u00e9\u00e9" + (\n',
    'x = (1,\n\u00e9\u00e9 = 1 2\n',
    "x = 1\n    y = 2\n",
])
def test_syntax_error_columns_come_from_the_buffer_not_the_file_on_disk(tmp_path, text):
    # the editor's unsaved buffer differs from the file on disk; the column must be the buffer's
    on_disk = tmp_path / "app.py"
    on_disk.write_text("a\nb\n")
    from vetpy.document import Document

    unsaved = Document(str(on_disk), text).syntax_error
    nowhere = Document(str(tmp_path / "not-on-disk.py"), text).syntax_error
    assert unsaved is not None and unsaved == nowhere
