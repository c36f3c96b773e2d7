"""``vetpy check --fix``, ``--unsafe-fixes``, ``--diff``, ``--show-fixes``, ``--exit-non-zero-on-fix``
(issue 18 item 1).

Specification: ``--fix`` writes the safe fixes into the files (in their own encoding and line
endings) and reports what remains; ``--unsafe-fixes`` adds the unsafe ones; ``--diff`` prints the
same changes as a unified diff and writes nothing.  Fixes are applied until the text is stable,
and each step is parsed and checked again: a fix that does not parse, leaves its finding or brings
a new one is never applied.  A finding offering several guesses and no preferred one is left alone.
"""

from __future__ import annotations

import collections
import dataclasses
import subprocess
from pathlib import Path

import pytest

from cli_support import python_args, tree, vetpy
from conftest import REPO, write
from test_golden import context_for as golden_context_for
from vetpy.cli import fix as fixmod
from vetpy.cli.fix import fix_text
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.findings import Finding, Fix, Severity, TextEdit

SAFE = 'import requests\n\nr = requests.get("https://example.com")\n'  # EDGE003, safe fix: timeout=10
SAFE_FIXED = 'import requests\n\nr = requests.get("https://example.com", timeout=10)\n'
UNSAFE = "import json\n\nx = json.loads_fast('1')\n"  # HAL003, unsafe fix: loads
UNSAFE_FIXED = "import json\n\nx = json.loads('1')\n"


@pytest.fixture
def proj(tmp_path):
    return write(tmp_path, {"safe.py": SAFE, "unsafe.py": UNSAFE})


def check(*args, cwd, **kw):
    return vetpy("check", *args, "--select", "EDGE003,HAL003", *python_args(), cwd=cwd, **kw)


def test_fix_applies_safe_fixes_in_place_and_reports_what_remains(proj):
    run = check("--fix", ".", cwd=proj)
    assert (proj / "safe.py").read_text() == SAFE_FIXED
    assert (proj / "unsafe.py").read_text() == UNSAFE  # unsafe: not without --unsafe-fixes
    assert run.code == 1 and "unsafe.py:3:10: HAL003" in run.out and "EDGE003" not in run.out
    assert "Found 2 findings (1 fixed, 1 remaining) in 2 files checked." in run.out


def test_fix_exits_0_when_everything_was_fixed_unless_exit_non_zero_on_fix(proj):
    run = check("--fix", "safe.py", cwd=proj)
    assert run.code == 0 and "(1 fixed, 0 remaining)" in run.out
    (proj / "safe.py").write_text(SAFE)
    assert check("--fix", "--exit-non-zero-on-fix", "safe.py", cwd=proj).code == 1
    assert check("--fix", "--exit-non-zero-on-fix", "safe.py", cwd=proj).code == 0  # nothing left to fix


def test_unsafe_fixes_applies_the_unsafe_ones_too(proj):
    run = check("--fix", "--unsafe-fixes", ".", cwd=proj)
    assert run.code == 0, run.out + run.err
    assert (proj / "unsafe.py").read_text() == UNSAFE_FIXED and (proj / "safe.py").read_text() == SAFE_FIXED


def test_diff_prints_a_unified_diff_and_writes_nothing(proj):
    before = tree(proj)
    run = check("--diff", ".", cwd=proj)
    assert tree(proj) == before
    assert run.code == 1 and "Would fix 1 finding in 1 file." in run.err
    assert run.out.startswith("--- a/safe.py\n+++ b/safe.py\n@@ ")
    assert '-r = requests.get("https://example.com")\n+r = requests.get("https://example.com", timeout=10)\n' in run.out
    assert "unsafe.py" not in run.out


def test_the_diff_applies_with_git_apply(proj):
    run = check("--diff", "--unsafe-fixes", ".", cwd=proj)
    (proj / "fix.patch").write_text(run.out)
    subprocess.run(["git", "apply", "fix.patch"], cwd=proj, check=True, capture_output=True)
    assert (proj / "safe.py").read_text() == SAFE_FIXED and (proj / "unsafe.py").read_text() == UNSAFE_FIXED


def test_parallel_diff_lists_the_files_in_the_order_one_process_does(tmp_path):
    """The pool starts the largest chunks first; the diff still follows the files' order."""
    from vetpy.cli import PARALLEL_THRESHOLD

    count = PARALLEL_THRESHOLD + 6
    # sizes that do not grow with the name: the largest chunk is not the first
    write(tmp_path, {f"m{n:02}.py": "# pad\n" * ((n * 37) % 23 * 40) + UNSAFE for n in range(count)})
    one = check("--diff", "--unsafe-fixes", ".", "--jobs", "1", cwd=tmp_path)
    many = check("--diff", "--unsafe-fixes", ".", "--jobs", "2", cwd=tmp_path)
    assert one.code == many.code == 1 and one.out == many.out
    assert [line[6:] for line in many.out.splitlines() if line.startswith("--- a/")] == [
        f"m{n:02}.py" for n in range(count)]


def test_pool_tasks_keep_neighbours_together_and_cover_every_file_once(tmp_path):
    from vetpy.cli.run import _tasks

    sizes = [10, 10, 10, 500, 10, 10, 10, 10, 10, 10, 10, 10]
    names = []
    for n, size in enumerate(sizes):
        path = tmp_path / f"f{n:02}.py"
        path.write_text("#" * (size - 1) + "\n")
        names.append(str(path))
    tasks = _tasks(tmp_path, names, workers=2)
    assert [name for _, chunk, _ in tasks for name in chunk] == names  # in order, each once
    assert all(root == tmp_path for root, _, _ in tasks)
    assert [weight for _, _, weight in tasks] == [sum(sizes[names.index(f)] for f in chunk) for _, chunk, _ in tasks]
    assert ([names[3]], 500) in [(chunk, weight) for _, chunk, weight in tasks]  # larger than a chunk: alone
    assert len(tasks) >= 3
    assert _tasks(tmp_path, [str(tmp_path / "gone.py")], workers=2) == [(tmp_path, [str(tmp_path / "gone.py")], 0)]


def test_diff_without_fixes_exits_0(proj):
    (proj / "safe.py").write_text(SAFE_FIXED)
    run = check("--diff", "safe.py", cwd=proj)
    assert run.code == 0 and run.out == "" and "No fixes available." in run.err


def test_show_fixes_lists_what_was_fixed_per_file_and_rule(proj):
    run = check("--fix", "--unsafe-fixes", "--show-fixes", ".", cwd=proj)
    assert "Fixed 2 findings:\n- safe.py:\n    1 × EDGE003 (network-call-without-timeout)\n- unsafe.py:\n" in run.out


def test_fix_keeps_the_files_encoding_and_line_endings(tmp_path):
    text = "# -*- coding: latin-1 -*-\r\nimport requests\r\n\r\nname = 'caf\xe9'\r\nr = requests.get(name)\r\n"
    (tmp_path / "legacy.py").write_bytes(text.encode("latin-1"))
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + SAFE.encode())
    check("--fix", ".", cwd=tmp_path)
    assert (tmp_path / "legacy.py").read_bytes() == text.replace("get(name)", "get(name, timeout=10)").encode("latin-1")
    assert (tmp_path / "bom.py").read_bytes() == b"\xef\xbb\xbf" + SAFE_FIXED.encode()


def test_fix_on_standard_input_prints_the_fixed_text_and_reports_on_stderr(proj):
    run = check("--fix", "-", cwd=proj, stdin=SAFE.encode())
    assert run.out == SAFE_FIXED and "1 fixed, 0 remaining" in run.err and run.code == 0
    run = check("--fix", "-", cwd=proj, stdin=UNSAFE.encode())
    assert run.out == UNSAFE and "HAL003" in run.err and run.code == 1


def test_fix_options_that_make_no_sense_are_errors(proj):
    for args, needle in (
        (["--unsafe-fixes", "."], "--unsafe-fixes needs --fix"),
        (["--show-fixes", "."], "--show-fixes needs --fix"),
        (["--fix", "--staged"], "cannot be combined with --staged"),
        (["--diff", "--changed-since", "HEAD", "."], "cannot be combined with --changed-since"),
    ):
        run = check(*args, cwd=proj)
        assert run.code == 2 and needle in run.err, (args, run.err)


def test_diff_given_a_revision_points_to_changed_since(proj):
    subprocess.run(["git", "init", "-q"], cwd=proj, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x"], cwd=proj, check=True)
    run = check("--diff", "HEAD", cwd=proj)
    assert run.code == 2 and "use --changed-since HEAD" in run.err


# -- the fix loop, with a stand-in for the rules ------------------------------------------------------

def _findings(text: str, word: str, replacement: str, code: str = "EDGE001") -> list[Finding]:
    """A finding at every ``word``; its fix rewrites the rest of the line (so two fixes on one line
    overlap and only one can be applied per step)."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        col = line.find(word)
        while col >= 0:
            edit = TextEdit(number, col + 1, number, len(line) + 1, replacement + line[col + len(word):])
            out.append(Finding("m.py", number, col + 1, number, col + 1 + len(word), code, "r", Severity.WARNING,
                               f"{word} here", (Fix(f"use {replacement}", (edit,), safe=True, preferred=True),)))
            col = line.find(word, col + 1)
    return out


def _fake_rules(rules):
    def analyze_(doc, ctx):  # noqa: ANN001, ARG001
        return [f for word, repl, code in rules for f in _findings(doc.text, word, repl, code)]
    return analyze_


def test_fixes_are_applied_until_stable(monkeypatch):
    # each `aa` is one finding; the fix of one leaves the next for the next step
    monkeypatch.setattr(fixmod, "analyze", _fake_rules([("aa", "b", "EDGE001")]))
    outcome, remaining = fix_text("m.py", "x = 'aa aa aa'\n", ctx=None)
    assert outcome.after == "x = 'b b b'\n" and len(outcome.fixed) == 3 and remaining == []


def test_a_fix_that_introduces_a_finding_is_not_applied(monkeypatch):
    monkeypatch.setattr(fixmod, "analyze", _fake_rules([("old", "new", "EDGE001"), ("new", "newer", "EDGE002")]))
    outcome, remaining = fix_text("m.py", "x = 'old'\n", ctx=None)
    assert outcome.after == "x = 'old'\n" and outcome.fixed == [] and [f.code for f in remaining] == ["EDGE001"]


def test_a_fix_that_does_not_parse_is_not_applied(monkeypatch):
    monkeypatch.setattr(fixmod, "analyze", _fake_rules([("good", "(", "EDGE001")]))
    outcome, _ = fix_text("m.py", "good = 1\n", ctx=None)
    assert not outcome.changed


def test_a_finding_with_several_guesses_and_no_preferred_one_is_left_alone():
    edit = TextEdit(1, 1, 1, 2, "y")
    fixes = (Fix("a", (edit,), safe=True), Fix("b", (edit,), safe=True))
    finding = Finding("m.py", 1, 1, 1, 2, "HAL003", "r", Severity.ERROR, "m", fixes)
    assert fixmod.chosen_fix(finding, unsafe=True) is None
    assert fixmod.chosen_fix(dataclasses.replace(finding, fixes=fixes[:1]), unsafe=False) == fixes[0]


@pytest.mark.slow
def test_fixing_every_rule_fixture_parses_and_introduces_nothing():
    """Every fixture of fixtures/rules, fixed with --unsafe-fixes until stable: the text parses, each
    fixed finding is gone and no finding is new."""
    problems = []
    for path in sorted((REPO / "fixtures" / "rules").rglob("*.py")):
        ctx = golden_context_for(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        before = collections.Counter((f.code, f.message) for f in analyze(Document(path=str(path), text=text), ctx))
        outcome, remaining = fix_text(str(path), text, ctx, unsafe=True)
        if outcome.changed:
            compile(outcome.after, str(path), "exec")
        after = collections.Counter((f.code, f.message) for f in remaining)
        if after - before:
            problems.append(f"{path.name}: introduces {after - before}")
        if sum(after.values()) > sum(before.values()) - len(outcome.fixed):  # a fix may remove others too
            problems.append(f"{path.name}: {len(outcome.fixed)} fixed but only {sum(before.values()) - sum(after.values())} gone")
    assert problems == []


def test_the_readme_documents_the_fix_options():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for flag in ("--fix", "--unsafe-fixes", "--diff", "--show-fixes", "--exit-non-zero-on-fix", "--changed-since"):
        assert f"`{flag}" in readme, flag
    assert Path(REPO / "docs" / "precommit.md").read_text(encoding="utf-8").count("--changed-since") >= 3
