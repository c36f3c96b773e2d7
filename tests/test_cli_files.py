"""Which files ``vetpy check`` reads (issue 18 item 4).

Specification: inside a git work tree ``.gitignore`` files (at any level, and
``.git/info/exclude``) are respected as git reads them; ``.ignore`` files everywhere;
``--no-respect-gitignore`` (or ``respect-gitignore = false``) checks those files too.  A file named
on the command line is checked whatever ignores it.  ``exclude`` and ``per-file-ignores`` have
gitignore semantics (pathspec): a name without a slash matches at any depth, a pattern with one is
anchored at the project root, ``**`` spans directories.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from cli_support import python_args, vetpy
from conftest import write
from vetpy.files import is_excluded, matches_pattern

BAD = "import json\njson.loads_fast('1')\n"


def paths(run) -> list[str]:
    assert run.code in (0, 1), run.err
    return sorted({f["path"] for f in json.loads(run.out)})


def check(*args, cwd):
    return vetpy("check", *args, "--output-format", "json", "--select", "HAL", *python_args(), cwd=cwd)


@pytest.fixture
def repo(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return write(tmp_path, {
        ".gitignore": "generated/\n*_pb2.py\n/top_only.py\n",
        "app.py": BAD,
        "generated/g.py": BAD,
        "pkg/api_pb2.py": BAD,
        "top_only.py": BAD,
        "pkg/top_only.py": BAD,
        "pkg/.gitignore": "local.py\n!keep_pb2.py\n",
        "pkg/local.py": BAD,
        "pkg/keep_pb2.py": BAD,
        "pkg/sub/local.py": BAD,
    })


def test_gitignore_files_are_respected_at_every_level(repo):
    assert paths(check(".", cwd=repo)) == ["app.py", "pkg/keep_pb2.py", "pkg/top_only.py"]


def test_a_subdirectory_walk_reads_the_gitignore_files_above_it(repo):
    assert paths(check("pkg", cwd=repo)) == ["pkg/keep_pb2.py", "pkg/top_only.py"]


def test_git_info_exclude_is_respected(repo):
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("app.py\n")
    assert "app.py" not in paths(check(".", cwd=repo))


def test_no_respect_gitignore_checks_everything(repo):
    assert len(paths(check(".", "--no-respect-gitignore", cwd=repo))) == 8


def test_respect_gitignore_false_in_the_configuration(repo):
    (repo / "pyproject.toml").write_text("[tool.vetpy]\nrespect-gitignore = false\n")
    assert len(paths(check(".", cwd=repo))) == 8


def test_a_file_named_explicitly_is_checked_even_when_ignored(repo):
    assert paths(check("generated/g.py", cwd=repo)) == ["generated/g.py"]


def test_gitignore_outside_a_git_work_tree_is_not_read_but_dot_ignore_is(tmp_path):
    write(tmp_path, {".gitignore": "a.py\n", ".ignore": "b.py\n", "a.py": BAD, "b.py": BAD, "pyproject.toml": ""})
    assert paths(check(".", cwd=tmp_path)) == ["a.py"]


def test_dot_ignore_wins_over_gitignore_in_the_same_directory(repo):
    (repo / ".ignore").write_text("!generated/\n")
    assert "generated/g.py" in paths(check(".", cwd=repo))


@pytest.mark.parametrize(("path", "pattern", "expected"), [
    ("build/x.py", "build", True),
    ("src/build/x.py", "build", True),  # no slash: any depth
    ("src/a_pb2.py", "*_pb2.py", True),
    ("docs/legacy/a.py", "docs/legacy", True),  # a slash: anchored; a directory covers what it holds
    ("src/docs/legacy/a.py", "docs/legacy", False),
    ("tests/x.py", "tests/*", True),
    ("tests/sub/x.py", "tests/*", True),
    ("a/tests/x.py", "tests/*", False),
    ("a/b/c/gen.py", "a/**/gen.py", True),
    ("x.py", "./x.py", True),
    ("build.py", "build/", False),  # a trailing slash: directories only
    ("build/x.py", "build/", True),
])
def test_exclude_patterns_have_gitignore_semantics(path, pattern, expected):
    assert matches_pattern(path, pattern) is expected


def test_a_negated_exclude_pattern_brings_a_path_back():
    assert is_excluded("gen/a.py", ["gen/*.py"]) and not is_excluded("gen/keep.py", ["gen/*.py", "!gen/keep.py"])


def test_exclude_and_per_file_ignores_in_a_project(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.vetpy]\nexclude = ['**/migrations/']\nper-file-ignores = { 'tests/**/test_*.py' = ['HAL'] }\n",
        "app/migrations/0001.py": BAD,
        "tests/unit/test_a.py": BAD,
        "tests/unit/helper.py": BAD,
        "app/main.py": BAD,
    })
    assert paths(check(".", cwd=tmp_path)) == ["app/main.py", "tests/unit/helper.py"]


def test_show_files_lists_what_would_be_checked_and_checks_nothing(repo):
    run = vetpy("check", "--show-files", cwd=repo)
    assert run.code == 0 and run.out.splitlines() == ["app.py", "pkg/keep_pb2.py", "pkg/top_only.py"]
    run = vetpy("check", "--show-files", "--no-respect-gitignore", cwd=repo)
    assert len(run.out.splitlines()) == 8 and "HAL" not in run.out
    run = vetpy("check", "--show-files", "nope.py", cwd=repo)
    assert run.code == 2 and "nope.py: no such file" in run.err
