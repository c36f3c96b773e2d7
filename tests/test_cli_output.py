"""Output formats, colour and ``--quiet`` (issue 18 item 6).

Specification: ``--output-format`` (``--format`` is an alias) offers concise (``text``), full
(code frames and the fixes on offer), json and json-lines (each finding with its rule's
documentation ``url``), sarif, github (workflow commands), gitlab (Code Quality), junit and pylint.
Colour only for the human formats on a terminal, never with ``NO_COLOR``, always with
``FORCE_COLOR`` or ``--color always``, never with ``--color never``.  ``--quiet`` prints the
findings only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from cli_support import python_args, vetpy
from conftest import REPO, write
from vetpy.cli.check import use_color
from vetpy.findings import Finding, Severity
from vetpy.report import FORMATS, ReportContext, render
from vetpy.report.github import render_github

BAD = "import json\n\nx = json.loads_fast('1')\n"


@pytest.fixture
def proj(tmp_path):
    return write(tmp_path, {"app.py": BAD})


def out(fmt: str, proj: Path, *extra: str):
    return vetpy("check", "app.py", "--output-format", fmt, *extra, *python_args(), cwd=proj)


def test_every_documented_format_is_offered():
    assert set(FORMATS) == {"text", "concise", "full", "json", "json-lines", "sarif", "github", "gitlab", "junit", "pylint"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for fmt in FORMATS:
        assert f"**{fmt}**" in readme, fmt


def test_format_is_an_alias_of_output_format(proj):
    assert out("json", proj).out == vetpy("check", "app.py", "--format", "json", *python_args(), cwd=proj).out


def test_concise_and_text_are_one_line_per_finding(proj):
    run = out("concise", proj)
    assert run.code == 1 and "app.py:3:10: HAL003 " in run.out and " |" not in run.out
    assert out("text", proj).out == run.out


def test_full_shows_the_source_underlined_and_the_fixes(proj):
    run = out("full", proj)
    assert "app.py:3:10: HAL003 " in run.out
    assert "3 | x = json.loads_fast('1')\n  |          ^^^^^^^^^^\n" in run.out
    assert "= help: Replace with `loads` (unsafe fix)" in run.out


def test_json_and_json_lines_carry_a_documentation_url(proj):
    [item] = json.loads(out("json", proj).out)
    assert item["url"] == "https://github.com/vetpy/vetpy/blob/main/docs/rules.md#hal003-unknown-attribute"
    lines = out("json-lines", proj).out.splitlines()
    assert [json.loads(line) for line in lines] == [item]


def test_the_url_names_a_heading_of_the_rule_reference():
    rules = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "## HAL003 unknown-attribute" in rules or "### HAL003 unknown-attribute" in rules


def test_github_workflow_commands(proj):
    run = out("github", proj)
    assert run.out == (
        "::error file=app.py,line=3,col=10,endLine=3,endColumn=20,title=vetpy (HAL003)::"
        + "app.py:3:10: HAL003 " + json.loads(out("json", proj).out)[0]["message"] + "\n"
    )


def test_github_escapes_what_would_end_a_command():
    f = Finding("a,b:c.py", 1, 1, 1, 2, "HAL003", "unknown-attribute", Severity.WARNING, "50% done\nnext")
    text = render_github([f], Path.cwd())
    assert text.startswith("::warning file=a%2Cb%3Ac.py,") and text.endswith("50%25 done%0Anext\n") and text.count("\n") == 1


def test_gitlab_code_quality(proj):
    [item] = json.loads(out("gitlab", proj).out)
    assert item["severity"] == "major" and item["check_name"] == "HAL003 unknown-attribute"
    assert item["location"] == {"path": "app.py", "positions": {"begin": {"line": 3, "column": 10}, "end": {"line": 3, "column": 20}}}
    assert len(item["fingerprint"]) == 32


def test_junit_has_one_failing_case_per_finding(proj):
    root = ET.fromstring(out("junit", proj).out)
    assert root.tag == "testsuites" and root.get("failures") == "1"
    [suite] = root
    [case] = suite
    assert suite.get("name") == "app.py" and case.get("name") == "vetpy.HAL003.unknown-attribute"
    assert case.find("failure").get("type") == "HAL003"


def test_junit_without_findings_is_one_passing_case(tmp_path):
    write(tmp_path, {"app.py": "x = 1\n"})
    root = ET.fromstring(out("junit", tmp_path).out)
    assert root.get("failures") == "0" and root.find("testsuite/testcase").get("name").startswith("No findings")


def test_pylint_format(proj):
    assert out("pylint", proj).out.startswith("app.py:3: [HAL003(unknown-attribute)] ")


@pytest.mark.parametrize(("choice", "env", "tty", "expected"), [
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"TERM": "dumb"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False),
])
def test_when_to_colour(choice, env, tty, expected):
    stream = io.StringIO()
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    assert use_color(choice, stream, env) is expected


def test_colour_on_request_and_never_in_machine_formats(proj):
    assert "\x1b[" in out("concise", proj, "--color", "always").out
    assert "\x1b[" not in out("concise", proj).out  # not a terminal
    assert "\x1b[" in vetpy("check", "app.py", *python_args(), cwd=proj, env={"FORCE_COLOR": "1"}).out
    assert "\x1b[" not in out("json", proj, "--color", "always").out


def test_quiet_prints_the_findings_only(proj):
    run = out("concise", proj, "--quiet")
    assert run.code == 1 and run.out.splitlines() == [line for line in run.out.splitlines() if line.startswith("app.py:")]
    assert len(run.out.splitlines()) == 1
    write(proj, {"ok.py": "x = 1\n"})
    run = vetpy("check", "ok.py", "-q", *python_args(), cwd=proj)
    assert run.code == 0 and run.out == ""


def test_the_report_renders_without_findings_in_every_format():
    for fmt in FORMATS:
        text = render(fmt, [], ReportContext(files_checked=1))
        assert "Traceback" not in text
        if fmt in ("json", "gitlab"):
            assert json.loads(text) == []


def test_statistics_refuses_formats_it_cannot_print(proj):
    run = out("junit", proj, "--statistics")
    assert run.code == 2 and "--statistics" in run.err


def test_the_readme_documents_color_and_quiet():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for claim in ("--color", "NO_COLOR", "FORCE_COLOR", "--quiet", "--output-format"):
        assert claim in readme, claim


def test_the_ci_examples_install_vetpy_from_its_repository_never_by_a_bare_registry_name():
    import re

    for name in ("README.md", "docs/precommit.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        bare = [line for line in text.splitlines()
                if re.search(r"pip install\b.*(?<![\w/-])vetpy(?![\w-]| @)", line)]
        assert bare == [], (name, bare)
