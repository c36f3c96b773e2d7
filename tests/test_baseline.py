"""Baselines: `vetpy baseline create|update` and `vetpy check` against a baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_git_support import Repo, codes_at, vetpy
from vetpy.baseline import BASELINE_NAME, Baseline, fingerprints, snippet, with_snippets
from vetpy.findings import Finding, Severity

pytest_plugins = ["test_git_support"]  # the `repo` fixture

TWO_PROBLEMS = "import json\nimport fastjsonx\n\n\ndef f():\n    import yamlx\n"


@pytest.fixture
def project(repo: Repo) -> Repo:
    """The repository fixture is just a convenient temporary project (baselines need no git)."""
    repo.write("pyproject.toml", '[project]\nname = "demo"\nversion = "1"\n')
    repo.write("app.py", TWO_PROBLEMS)
    return repo


def _entries(path: Path) -> list[dict]:
    return json.loads(path.read_text())["findings"]


def test_create_then_check_reports_nothing_known(project: Repo) -> None:
    code, out, _ = vetpy("baseline", "create")
    assert code == 0
    assert f"wrote 2 findings to {project.path / BASELINE_NAME}" in out
    entries = _entries(project.path / BASELINE_NAME)
    assert [(e["code"], e["path"], e["line"]) for e in entries] == [("HAL001", "app.py", 2), ("HAL001", "app.py", 6)]

    code, out, err = vetpy("check")
    assert code == 0, out
    code, out, _ = vetpy("check", "-v")
    assert "2 known findings hidden by the baseline" in out


def test_baseline_survives_inserted_lines_and_reindentation(project: Repo) -> None:
    vetpy("baseline", "create")
    project.write("app.py", '"""Docs."""\n\nimport os\n' + TWO_PROBLEMS.replace("    import yamlx", "        import yamlx"))
    code, out, _ = vetpy("check")
    assert code == 0, out


def test_new_and_edited_findings_are_reported(project: Repo) -> None:
    vetpy("baseline", "create")
    project.write("app.py", TWO_PROBLEMS.replace("import fastjsonx", "import fastjsonx as fj") + "import tomlx\n")
    code, out, _ = vetpy("check")
    assert code == 1
    assert codes_at(out) == ["app.py:2:HAL001", "app.py:7:HAL001"]  # the edited line and the new one


def test_a_second_identical_finding_is_new(project: Repo) -> None:
    vetpy("baseline", "create")
    project.write("app.py", TWO_PROBLEMS + "import fastjsonx\n")
    code, out, _ = vetpy("check")
    assert codes_at(out) == ["app.py:7:HAL001"]


def test_moving_a_file_makes_its_findings_new(project: Repo) -> None:
    vetpy("baseline", "create")
    (project.path / "app.py").rename(project.path / "moved.py")
    _, out, _ = vetpy("check")
    assert len(codes_at(out)) == 2


def test_update_drops_fixed_entries_and_never_adds(project: Repo) -> None:
    vetpy("baseline", "create")
    project.write("app.py", "import json\n\n\ndef f():\n    import yamlx\nimport tomlx\n")  # one fixed, one new
    code, out, _ = vetpy("baseline", "update")
    assert code == 0
    assert "removed 1 fixed finding" in out and "1 remain" in out
    assert [e["line"] for e in _entries(project.path / BASELINE_NAME)] == [6]
    code, out, _ = vetpy("check")
    assert codes_at(out) == ["app.py:6:HAL001"]  # the new one is still reported


def test_update_of_a_subset_keeps_entries_of_files_not_checked(project: Repo) -> None:
    project.write("other.py", "import tomlx\n")
    vetpy("baseline", "create")
    project.write("app.py", "import json\n")
    vetpy("baseline", "update", "app.py")
    assert [e["path"] for e in _entries(project.path / BASELINE_NAME)] == ["other.py"]

    (project.path / "other.py").unlink()  # a deleted file's entries go too
    vetpy("baseline", "update", "app.py")
    assert _entries(project.path / BASELINE_NAME) == []


def test_baseline_option_and_paths_relative_to_the_baseline_file(project: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    target = project.path / "ci" / "known.json"
    target.parent.mkdir()
    assert vetpy("baseline", "create", "--baseline", str(target))[0] == 0
    assert _entries(target)[0]["path"] == "../app.py"
    assert not (project.path / BASELINE_NAME).exists()
    assert vetpy("check")[0] == 1  # no default baseline
    assert vetpy("check", "--baseline", str(target))[0] == 0
    monkeypatch.chdir(project.path / "ci")
    assert vetpy("check", "--baseline", "known.json", "..")[0] == 0


def test_no_baseline_reports_everything(project: Repo) -> None:
    vetpy("baseline", "create")
    code, out, _ = vetpy("check", "--no-baseline")
    assert len(codes_at(out)) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a vetpy baseline (invalid JSON at line 1"),
        (b"\xff\xfe\x00", "not a vetpy baseline (not UTF-8 text)"),
        ('{"version": "2.1.0", "runs": []}', "not a vetpy baseline (no 'vetpy_baseline' key)"),
        ("[1, 2]", "not a vetpy baseline (no 'vetpy_baseline' key)"),
        ('{"vetpy_baseline": 99, "findings": []}', "unsupported baseline format 99"),
        ('{"vetpy_baseline": 1, "findings": {}}', "corrupt baseline ('findings' is not a list)"),
        ('{"vetpy_baseline": 1, "findings": [{"code": "HAL001"}]}', "corrupt baseline (entry 1 lacks"),
    ],
)
def test_corrupt_or_foreign_baseline_is_a_one_line_error(project: Repo, content: str | bytes, message: str) -> None:
    project.write(BASELINE_NAME, content)
    for argv in (["check"], ["baseline", "update"]):
        code, out, err = vetpy(*argv)
        assert code == 2
        assert message in err
        assert len(err.strip().splitlines()) == 1 or "Traceback" not in err
    code, _, err = vetpy("baseline", "create")  # never overwrites what it cannot read
    assert code == 2
    assert "vetpy will not overwrite it" in err
    assert (project.path / BASELINE_NAME).read_bytes() == (content if isinstance(content, bytes) else content.encode())


def test_missing_baseline_given_explicitly(project: Repo) -> None:
    code, _, err = vetpy("check", "--baseline", "nope.json")
    assert code == 2
    assert "nope.json: no such baseline file" in err
    code, _, err = vetpy("baseline", "update")
    assert code == 2
    assert "no such baseline file" in err


def test_baseline_with_staged_mode(project: Repo) -> None:
    vetpy("baseline", "create")
    project.git("add", "-A")
    assert vetpy("check", "--staged")[0] == 0


# -- fingerprints -----------------------------------------------------------------------------------

def _finding(line: int, code: str = "HAL001", path: str = "a.py") -> Finding:
    return Finding(path, line, 1, line, 5, code, "unresolved-import", Severity.ERROR, "msg")


def test_snippet_normalises_whitespace_and_caps_length() -> None:
    text = "x  =   1\n\n    y = (\n  2,\n)\n"
    assert snippet(text, 1, 1) == "x = 1"
    assert snippet(text, 3, 5) == "y = (\n2,\n)"
    assert snippet(text, 9, 9) == ""  # out of range: empty, never an error
    long = "".join(f"v{n} = {n}\n" for n in range(50))
    assert snippet(long, 1, 50).count("\n") == 9


@settings(max_examples=60, deadline=None)
@given(prefix=st.lists(st.sampled_from(["", "x = 1", "# comment", "import os", "  pass"]), max_size=8))
def test_fingerprints_do_not_depend_on_line_numbers(prefix: list[str]) -> None:
    body = "import fastjsonx\nimport fastjsonx\n"
    base = [_finding(1), _finding(2)]
    shifted_text = "".join(p + "\n" for p in prefix) + body
    shift = len(prefix)
    moved = [_finding(1 + shift), _finding(2 + shift)]
    before = fingerprints(with_snippets(base, body), Path("/p"))
    after = fingerprints(with_snippets(moved, shifted_text), Path("/p"))
    assert before == after
    assert len(set(before)) == 2  # duplicates told apart by occurrence


def test_fingerprint_depends_on_code_path_and_snippet() -> None:
    text = "import fastjsonx\n"
    one = fingerprints(with_snippets([_finding(1)], text), Path("/p"))
    assert one != fingerprints(with_snippets([_finding(1, code="HAL002")], text), Path("/p"))
    assert one != fingerprints(with_snippets([_finding(1, path="b.py")], text), Path("/p"))
    assert one != fingerprints(with_snippets([_finding(1)], "import fastjsonx as f\n"), Path("/p"))


def test_baseline_round_trip_in_memory(tmp_path: Path) -> None:
    text = "import fastjsonx\n"
    findings = with_snippets([_finding(1, path=str(tmp_path / "a.py"))], text)
    b = Baseline.from_findings(tmp_path / BASELINE_NAME, findings)
    b.save()
    loaded = Baseline.load(tmp_path / BASELINE_NAME)
    assert [e.to_dict() for e in loaded.entries] == [e.to_dict() for e in b.entries]
    new, old = loaded.split(findings)
    assert (new, len(old)) == ([], 1)
