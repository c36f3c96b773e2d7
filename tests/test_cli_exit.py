"""Honest exit codes and messages (issue 18 item 3).

Specification: a run that checked nothing, or checked against something other than what was
asked, never looks green.  A missing path, an empty standard input, an interpreter that was
named and does not work, an unknown rule code (command line or configuration) are errors: exit 2,
a ``vetpy: error:`` line that says what is wrong (then ``vetpy: error: nothing was checked``),
nothing checked, and never "passed".
``--exit-zero`` turns findings into exit 0 but never hides an error.
"""

from __future__ import annotations

import sys

import pytest

from cli_support import python_args, vetpy
from conftest import write

BAD = "import json\njson.loads_fast('1')\n"  # HAL003
GOOD = "import json\njson.loads('1')\n"


@pytest.fixture
def proj(tmp_path):
    return write(tmp_path, {"bad.py": BAD, "good.py": GOOD})


def assert_error(run, *needles: str) -> None:
    assert run.code == 2, (run.out, run.err)
    assert "passed" not in run.out + run.err
    for needle in needles:
        assert needle in run.err, run.err
    assert "Traceback" not in run.err


def test_a_missing_path_is_an_error_even_beside_a_good_one(proj):
    run = vetpy("check", "good.py", "nope.py", *python_args(), cwd=proj)
    assert_error(run, "vetpy: error: nope.py: no such file or directory", "nothing was checked")
    assert run.out == ""


def test_a_missing_path_with_exit_zero_is_still_an_error(proj):
    assert_error(vetpy("check", "nope.py", "--exit-zero", cwd=proj), "no such file")


def test_an_empty_standard_input_is_an_error(proj):
    assert_error(vetpy("check", "-", cwd=proj, stdin=b""), "standard input is empty")
    assert_error(vetpy("check", "-", cwd=proj, stdin=b"\n  \n"), "standard input is empty")


def test_standard_input_is_checked(proj):
    run = vetpy("check", "-", *python_args(), cwd=proj, stdin=BAD.encode())
    assert run.code == 1 and "-:2:6: HAL003" in run.out and "1 file checked" in run.out
    run = vetpy("check", "-", *python_args(), cwd=proj, stdin=GOOD.encode())
    assert run.code == 0 and "All checks passed (1 file checked)." in run.out


def test_stdin_filename_names_the_file_and_needs_the_dash(proj):
    run = vetpy("check", "-", "--stdin-filename", "pkg/mod.py", *python_args(), cwd=proj, stdin=BAD.encode())
    assert run.code == 1 and "pkg/mod.py:2:6: HAL003" in run.out
    assert_error(vetpy("check", "bad.py", "--stdin-filename", "x.py", cwd=proj), "--stdin-filename needs -")
    assert_error(vetpy("check", "-", "bad.py", cwd=proj, stdin=BAD.encode()), "cannot be combined")


def test_stdin_filename_takes_the_per_file_ignores_of_its_project(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.vetpy]\nper-file-ignores = { 'tests/*' = ['HAL'] }\n", "tests/.keep": ""})
    run = vetpy("check", "-", "--stdin-filename", "tests/t.py", *python_args(), cwd=tmp_path, stdin=BAD.encode())
    assert run.code == 0, run.out + run.err
    run = vetpy("check", "-", "--stdin-filename", "src/t.py", *python_args(), cwd=tmp_path, stdin=BAD.encode())
    assert run.code == 1 and "src/t.py:2:6: HAL003" in run.out


def test_a_bad_python_is_an_error_and_nothing_is_checked(proj):
    run = vetpy("check", ".", "--python", str(proj / "no" / "python"), cwd=proj)
    assert_error(run, "interpreter", "not found", "nothing was checked")
    assert "checking without" not in run.err and run.out == ""


def test_an_unknown_select_code_is_an_error_with_a_hint(proj):
    assert_error(vetpy("check", ".", "--select", "HAL0002", cwd=proj), "unknown rule code or prefix 'HAL0002'")
    for option in ("--ignore", "--extend-select", "--extend-ignore"):
        assert_error(vetpy("check", ".", option, "NOPE1", cwd=proj), "unknown rule code or prefix 'NOPE1'")
    assert_error(vetpy("check", ".", "--select", "SECC", cwd=proj), "did you mean 'SEC'")


def test_an_unknown_code_in_the_configuration_is_an_error(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.vetpy]\nselect = ['HAL', 'XYZ9']\n", "bad.py": BAD})
    run = vetpy("check", ".", *python_args(), cwd=tmp_path)
    assert_error(run, "pyproject.toml: select: unknown rule code or prefix 'XYZ9'", "nothing was checked")
    assert run.out == ""


def test_exit_zero_turns_findings_into_success(proj):
    run = vetpy("check", "bad.py", "--exit-zero", *python_args(), cwd=proj)
    assert run.code == 0 and "HAL003" in run.out


def test_a_directory_without_python_files_says_so_and_not_passed(tmp_path):
    (tmp_path / "docs").mkdir()
    run = vetpy("check", "docs", *python_args(), cwd=tmp_path)
    assert run.code == 0 and "no Python files found" in run.err
    assert "passed" not in run.out and "No Python files checked." in run.out


def test_findings_exit_1_and_a_clean_file_exits_0(proj):
    assert vetpy("check", "bad.py", *python_args(), cwd=proj).code == 1
    run = vetpy("check", "good.py", *python_args(), cwd=proj)
    assert run.code == 0 and "All checks passed (1 file checked)." in run.out


def test_the_baseline_command_refuses_the_same_errors(proj):
    assert_error(vetpy("baseline", "create", "nope.py", cwd=proj), "no such file")
    assert not (proj / ".vetpy-baseline.json").exists()
    assert_error(vetpy("baseline", "create", "--select", "NOPE1", cwd=proj), "unknown rule code")


def test_the_interpreter_running_the_tests_is_accepted(proj):
    run = vetpy("check", "good.py", "--python", sys.executable, cwd=proj)
    assert run.code == 0, run.err


def test_fail_on_sets_the_severity_that_fails(tmp_path):
    write(tmp_path, {"w.py": "import requests\nrequests.get('https://example.com')\n"})  # EDGE003: a warning
    args = ("check", "w.py", "--select", "EDGE003", *python_args())
    assert vetpy(*args, cwd=tmp_path).code == 1
    assert vetpy(*args, "--fail-on", "warning", cwd=tmp_path).code == 1
    run = vetpy(*args, "--fail-on", "error", cwd=tmp_path)
    assert run.code == 0 and "EDGE003" in run.out  # still reported
    assert vetpy(*args, "--fail-on", "fatal", cwd=tmp_path).code == 2


def test_another_tools_code_is_named_as_such_not_mistaken_for_ours(proj):
    run = vetpy("check", ".", "--select", "S608", cwd=proj)
    assert_error(run, "'S608': not a vetpy code", "SYN, HAL, DEP, SEC, EDGE")
    assert "did you mean" not in run.err
