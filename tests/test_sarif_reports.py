"""`--statistics` and `--output-file` with every report format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_git_support import Repo, vetpy
from vetpy.findings import Finding, Fix, Severity, TextEdit
from vetpy.report.statistics import render_statistics, statistics

pytest_plugins = ["test_git_support"]  # the `repo` fixture


def _f(code: str, rule: str, safe: bool = False) -> Finding:
    fixes = (Fix("fix", (TextEdit(1, 1, 1, 2, "x"),), safe=safe),) if safe else ()
    return Finding("a.py", 1, 1, 1, 2, code, rule, Severity.ERROR, "m", fixes=fixes)


def test_statistics_count_per_rule_and_family() -> None:
    findings = [_f("HAL001", "unresolved-import"), _f("HAL001", "unresolved-import"), _f("HAL002", "unknown-import-name", safe=True), _f("DEP001", "undeclared-dependency")]
    stats = statistics(findings)
    assert stats["total"] == 4
    assert [(r["code"], r["count"], r["family"], r["fixable"]) for r in stats["rules"]] == [
        ("HAL001", 2, "HAL", 0),
        ("DEP001", 1, "DEP", 0),
        ("HAL002", 1, "HAL", 1),
    ]
    assert [(f["family"], f["count"]) for f in stats["families"]] == [("HAL", 3), ("DEP", 1)]
    text = render_statistics(findings)
    assert text.splitlines()[1].split() == ["2", "HAL001", "unresolved-import"]
    assert "    3  HAL (Hallucinated API)" in text
    assert text.rstrip().endswith("4  total")
    assert json.loads(render_statistics(findings, "json")) == stats


def test_statistics_of_nothing_and_of_unknown_codes() -> None:
    assert render_statistics([]) == "No findings.\n"
    assert statistics([_f("SEC123", "something")])["rules"][0]["family"] == "SEC"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_output_file_works_with_every_format(repo: Repo, fmt: str) -> None:
    repo.write("app.py", "import fastjsonx\n")
    code, out, _ = vetpy("check", "--format", fmt, "-o", "out/report")
    assert code == 2  # the directory does not exist: a one-line error
    (repo.path / "out").mkdir()
    code, out, _ = vetpy("check", "--format", fmt, "-o", "out/report")
    assert code == 1
    assert out == ""
    written = (repo.path / "out" / "report").read_text(encoding="utf-8")
    if fmt == "text":
        assert "app.py:1:8: HAL001" in written
    elif fmt == "json":
        assert json.loads(written)[0]["code"] == "HAL001"
    else:
        assert json.loads(written)["runs"][0]["results"][0]["ruleId"] == "HAL001"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_statistics_option_with_output_file(repo: Repo, fmt: str) -> None:
    repo.write("app.py", "import fastjsonx\nimport yamlx\n")
    code, out, _ = vetpy("check", "--statistics", "--format", fmt, "--output-file", "stats.out")
    assert code == 1 and out == ""
    written = (repo.path / "stats.out").read_text()
    if fmt == "json":
        assert json.loads(written)["rules"][0] == {"code": "HAL001", "rule": "unresolved-import", "family": "HAL", "count": 2, "fixable": 0}
    else:
        assert written.splitlines()[1].split() == ["2", "HAL001", "unresolved-import"]


def test_statistics_with_sarif_is_a_usage_error(repo: Repo) -> None:
    code, _, err = vetpy("check", "--statistics", "--format", "sarif")
    assert code == 2
    assert "cannot be combined with --output-format sarif" in err


def test_statistics_respect_exit_zero_and_the_baseline(repo: Repo, tmp_path: Path) -> None:
    repo.write("app.py", "import fastjsonx\n")
    assert vetpy("check", "--statistics", "--exit-zero")[0] == 0
    vetpy("baseline", "create")
    repo.write("app.py", "import fastjsonx\nimport yamlx\n")
    code, out, _ = vetpy("check", "--statistics")
    assert code == 1
    assert out.splitlines()[1].split() == ["1", "HAL001", "unresolved-import"]
