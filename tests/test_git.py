"""`vetpy check --staged` and `--changed-since` against real git repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_git_support import Repo, codes_at, vetpy
from vetpy import gitutil

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

pytest_plugins = ["test_git_support"]  # the `repo` fixture

BAD = "import fastjsonx\n"  # HAL001: not installed anywhere
GOOD = "import json\n"


# -- --staged ---------------------------------------------------------------------------------------

def test_staged_content_is_checked_not_the_work_tree(repo: Repo) -> None:
    repo.write("app.py", GOOD)
    repo.commit("init")
    repo.write("app.py", "import json\n" + BAD)
    repo.git("add", "app.py")
    repo.write("app.py", GOOD)  # the fix is not staged: the commit would still add the bad import

    code, out, _ = vetpy("check", "--staged")
    assert code == 1
    assert codes_at(out) == ["app.py:2:HAL001"]

    code, out, _ = vetpy("check")  # the work tree is clean
    assert code == 0, out


def test_unstaged_problem_does_not_block_a_clean_staged_version(repo: Repo) -> None:
    repo.write("app.py", GOOD)
    repo.git("add", "app.py")
    repo.write("app.py", BAD)  # not staged

    code, out, _ = vetpy("check", "--staged")
    assert code == 0, out
    assert "1 file checked" in out
    code, out, _ = vetpy("check")
    assert codes_at(out) == ["app.py:1:HAL001"]


def test_staged_before_the_first_commit_and_paths_relative_to_cwd(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("pkg/mod.py", GOOD + BAD)
    repo.write("other.py", BAD)
    repo.git("add", "-A")
    monkeypatch.chdir(repo.path / "pkg")

    code, out, _ = vetpy("check", "--staged")
    assert code == 1
    assert codes_at(out) == ["../other.py:1:HAL001", "mod.py:2:HAL001"]

    code, out, _ = vetpy("check", "--staged", ".")  # a directory narrows the staged set
    assert codes_at(out) == ["mod.py:2:HAL001"]


def test_only_staged_python_files_are_checked(repo: Repo) -> None:
    repo.write("committed.py", BAD)
    repo.commit("old problem")
    repo.write("notes.txt", BAD)
    repo.write("new.py", GOOD)
    repo.git("add", "notes.txt", "new.py")

    code, out, _ = vetpy("check", "--staged")
    assert code == 0, out
    assert "1 file checked" in out


def test_renamed_file_is_reported_at_its_new_path(repo: Repo) -> None:
    repo.write("old_name.py", GOOD + "x = 1\ny = 2\nz = 3\n")
    repo.commit("init")
    repo.git("mv", "old_name.py", "new_name.py")
    repo.write("new_name.py", GOOD + "x = 1\ny = 2\nz = 3\n" + BAD)
    repo.git("add", "new_name.py")
    assert "R" in repo.git("diff", "--cached", "--name-status", "-M")

    code, out, _ = vetpy("check", "--staged")
    assert code == 1
    assert codes_at(out) == ["new_name.py:5:HAL001"]
    assert "old_name" not in out


def test_deleted_file_has_nothing_to_check(repo: Repo) -> None:
    repo.write("gone.py", BAD)
    repo.write("kept.py", GOOD)
    repo.commit("init")
    repo.git("rm", "-q", "gone.py")

    code, out, err = vetpy("check", "--staged", "-v")
    assert code == 0, out
    assert "No Python files checked." in out and "passed" not in out
    assert "gone.py: deleted in the index; nothing to check" in err

    code, out, err = vetpy("check", "--staged", "gone.py")  # named explicitly (never by pre-commit)
    assert code == 0
    assert "gone.py: deleted in the index; nothing to check" in err
    assert "Traceback" not in err


def test_named_files_use_their_index_version_even_when_unchanged(repo: Repo) -> None:
    """`pre-commit run --all-files` names every file, staged change or not."""
    repo.write("a.py", BAD)
    repo.write("b.py", GOOD)
    repo.commit("init")

    code, out, _ = vetpy("check", "--staged", "a.py", "b.py")
    assert code == 1
    assert codes_at(out) == ["a.py:1:HAL001"]


def test_untracked_named_file_is_skipped_with_a_note(repo: Repo) -> None:
    repo.write("scratch.py", BAD)
    code, out, err = vetpy("check", "--staged", "scratch.py")
    assert code == 0
    assert "scratch.py: not in the git index (untracked?); skipped" in err


def test_binary_staged_python_file_is_a_one_line_finding(repo: Repo) -> None:
    repo.write("blob.py", b"\x00\x01\x02binary\xff")
    repo.write("image.png", b"\x89PNG\x00\x00")
    repo.git("add", "-A")

    code, out, err = vetpy("check", "--staged")
    assert code == 1
    assert codes_at(out) == ["blob.py:1:SYN002"]
    assert "binary file" in out
    assert "Traceback" not in err


def test_symlink_in_the_index_is_skipped_with_a_note(repo: Repo) -> None:
    repo.write("real.py", GOOD)
    os.symlink("real.py", repo.path / "link.py")
    repo.git("add", "-A")
    code, out, err = vetpy("check", "--staged")
    assert code == 0
    assert "link.py: a symbolic link in the index; skipped" in err


def test_exclude_setting_applies_to_staged_files(repo: Repo) -> None:
    repo.write("pyproject.toml", '[tool.vetpy]\nexclude = ["fixtures"]\n')
    repo.write("fixtures/sample.py", BAD)
    repo.write("src.py", GOOD)
    repo.git("add", "-A")
    code, out, _ = vetpy("check", "--staged", "fixtures/sample.py", "src.py")
    assert code == 0, out


def _conflict(repo: Repo) -> None:
    repo.write("both.py", "value = 0\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("both.py", "value = 1\n")
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write("both.py", "value = 2\n")
    repo.commit("main")
    proc = repo.run_git("merge", "feature")
    assert proc.returncode != 0  # a conflict


def test_unresolved_conflict_is_skipped_with_a_note_then_checked_when_resolved(repo: Repo) -> None:
    _conflict(repo)
    code, out, err = vetpy("check", "--staged")
    assert code == 0
    assert "both.py: unresolved merge conflict in the index; skipped" in err

    repo.write("both.py", "import fastjsonx\nvalue = 3\n")
    repo.git("add", "both.py")
    code, out, _ = vetpy("check", "--staged")
    assert code == 1
    assert codes_at(out) == ["both.py:1:HAL001"]


def test_staged_on_a_detached_head(repo: Repo) -> None:
    repo.write("a.py", GOOD)
    repo.commit("one")
    repo.git("checkout", "-q", "--detach")
    repo.write("a.py", BAD)
    repo.git("add", "a.py")
    code, out, _ = vetpy("check", "--staged")
    assert codes_at(out) == ["a.py:1:HAL001"]


def test_not_a_git_repository_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text(GOOD)
    monkeypatch.chdir(plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for option in (["--staged"], ["--changed-since"], ["--changed-since", "HEAD"]):
        code, out, err = vetpy("check", *option)
        assert code == 2
        assert err.strip().splitlines()[-1] == f"vetpy: error: not a git repository: {plain.resolve()}"
        assert "Traceback" not in err


# -- index reader (declared dependencies) -----------------------------------------------------------

def test_index_reader_returns_staged_versions(repo: Repo, tmp_path: Path) -> None:
    repo.write("requirements.txt", "requests==2.0\n")
    repo.git("add", "requirements.txt")
    repo.write("requirements.txt", "requests==9.9\n")
    repo.write("untracked.txt", "x\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("from disk\n")

    read = gitutil.index_reader(repo.path)
    assert read(repo.path / "requirements.txt") == "requests==2.0\n"
    assert read(repo.path / "untracked.txt") is None  # not part of the commit
    assert read(repo.path / "missing.txt") is None
    assert read(outside) == "from disk\n"


def test_staged_pyproject_feeds_the_dependency_rules(repo: Repo) -> None:
    pytest.importorskip("vetpy.environment.declared")
    repo.write("pyproject.toml", '[project]\nname = "p"\nversion = "1"\ndependencies = ["packaging"]\n')
    repo.write("app.py", "import packaging\n")
    repo.git("add", "-A")
    repo.write("pyproject.toml", '[project]\nname = "p"\nversion = "1"\ndependencies = ["pytest"]\n')

    _, out, _ = vetpy("check", "--staged", "--select", "DEP001")
    assert codes_at(out) == []  # declared in the staged pyproject.toml
    _, out, _ = vetpy("check", "--select", "DEP001")
    assert codes_at(out) == ["app.py:1:DEP001"]  # not declared in the work tree's


# -- --changed-since ------------------------------------------------------------------------------

def test_diff_reports_only_new_lines_and_ignores_moved_ones(repo: Repo) -> None:
    repo.write("a.py", "import fastjsonx\nimport json\nimport os\n")
    base = repo.commit("old problem")
    # the old import moves (and is re-indented inside a block); one new problem appears
    repo.write("a.py", "import json\nimport os\n\nif True:\n    import fastjsonx\nimport yamlx\n")

    code, out, _ = vetpy("check", "--changed-since", base)
    assert code == 1
    assert codes_at(out) == ["a.py:6:HAL001"]

    code, out, _ = vetpy("check")
    assert len(codes_at(out)) == 2  # without --changed-since both are reported


def test_diff_counts_a_changed_line_as_new(repo: Repo) -> None:
    repo.write("a.py", "import fastjsonx\n")
    base = repo.commit("old")
    repo.write("a.py", "import fastjsonx as fj\n")
    _, out, _ = vetpy("check", "--changed-since", base)
    assert codes_at(out) == ["a.py:1:HAL001"]


def test_diff_treats_untracked_files_as_new_and_skips_unchanged_files(repo: Repo) -> None:
    repo.write("old.py", BAD)
    repo.commit("old")
    repo.write("fresh.py", BAD)
    code, out, _ = vetpy("check", "--changed-since=HEAD")
    assert codes_at(out) == ["fresh.py:1:HAL001"]
    assert "1 file checked" in out


def test_diff_with_a_path_right_after_the_option(repo: Repo) -> None:
    repo.write("src/a.py", GOOD)
    repo.commit("init")
    repo.write("src/a.py", BAD)
    code, out, _ = vetpy("check", "--changed-since", "src")  # `src` is a directory, not a revision
    assert codes_at(out) == ["src/a.py:1:HAL001"]


def test_staged_and_diff_together_compare_the_index(repo: Repo) -> None:
    repo.write("a.py", BAD)
    base = repo.commit("old")
    repo.write("a.py", BAD + "import yamlx\n")
    repo.git("add", "a.py")
    repo.write("a.py", BAD + "import yamlx\nimport tomlx\n")  # unstaged
    _, out, _ = vetpy("check", "--staged", "--changed-since", base)
    assert codes_at(out) == ["a.py:2:HAL001"]


def test_bare_diff_uses_the_merge_base_with_the_default_branch_after_a_merge_commit(repo: Repo) -> None:
    repo.write("a.py", GOOD)
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("feature.py", BAD)
    repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    repo.write("mainline.py", "import yamlx\n")
    repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-edit", "main")  # a merge commit on the feature branch
    assert len(repo.git("log", "-1", "--format=%P").split()) == 2

    code, out, _ = vetpy("check", "--changed-since")
    assert code == 1
    assert codes_at(out) == ["feature.py:1:HAL001"]  # mainline.py came from main: not new here

    repo.git("checkout", "-q", "--detach")  # works on a detached HEAD too
    _, out, _ = vetpy("check", "--changed-since")
    assert codes_at(out) == ["feature.py:1:HAL001"]

    merge = repo.git("rev-parse", "HEAD").strip()  # against the merge commit itself: nothing new
    code, out, _ = vetpy("check", "--changed-since", merge)
    assert code == 0, out


def test_bare_diff_prefers_origin_head(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.py", GOOD)
    repo.commit("init")
    repo.git("branch", "-q", "-m", "main", "trunk")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.path), str(clone)], env=repo.env, check=True)
    cloned = Repo(clone, repo.env)
    cloned.git("checkout", "-q", "-b", "topic")
    cloned.write("t.py", BAD)
    cloned.commit("topic")
    os.chdir(clone)
    assert gitutil.default_branch(clone) == "origin/trunk"
    _, out, _ = vetpy("check", "--changed-since")
    assert codes_at(out) == ["t.py:1:HAL001"]


def test_diff_errors_are_one_line(repo: Repo) -> None:
    code, out, err = vetpy("check", "--changed-since")
    assert code == 2
    assert err.strip().splitlines()[-1] == "vetpy: error: HEAD has no commits yet; there is nothing to compare with"

    repo.write("a.py", GOOD)
    repo.commit("init")
    code, out, err = vetpy("check", "--changed-since", "no-such-rev")
    assert code == 2
    assert "vetpy: error: unknown revision 'no-such-rev'" in err

    code, out, err = vetpy("check", "--changed-since=--upload-pack=evil")  # never passed to git as an option
    assert code == 2

    repo.git("branch", "-q", "-m", "main", "trunk")
    code, out, err = vetpy("check", "--changed-since")
    assert code == 2
    assert "cannot find the default branch" in err
    assert "Traceback" not in err


# -- changed-line parsing ---------------------------------------------------------------------------

def test_changed_lines_handles_odd_names_and_plus_plus_content(repo: Repo) -> None:
    repo.write("with space.py", "a = 1\n")
    repo.write('quote"d.py', "b = 1\n")
    base = repo.commit("init")
    repo.write("with space.py", "a = 1\n++ x\n")
    repo.write('quote"d.py', "b = 2\n")
    changed = gitutil.changed_lines(repo.path, base)
    assert changed == {"with space.py": {2}, 'quote"d.py': {1}}


def test_changed_lines_ignores_pure_moves_across_files(repo: Repo) -> None:
    repo.write("a.py", "import fastjsonx\nkeep = 1\n")
    repo.write("b.py", "other = 1\n")
    base = repo.commit("init")
    repo.write("a.py", "keep = 1\n")
    repo.write("b.py", "other = 1\nimport fastjsonx\nnew = 2\n")
    assert gitutil.changed_lines(repo.path, base) == {"b.py": {3}}


# -- install-hook -----------------------------------------------------------------------------------

def test_install_hook_blocks_a_bad_commit_and_allows_the_fix(repo: Repo) -> None:
    code, out, _ = vetpy("install-hook")
    assert code == 0
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)
    assert gitutil.HOOK_MARKER in hook.read_text()

    repo.write("app.py", BAD)
    repo.git("add", "app.py")
    proc = repo.run_git("commit", "-m", "bad")
    assert proc.returncode != 0
    assert "HAL001" in proc.stdout + proc.stderr

    repo.write("app.py", GOOD)
    repo.git("add", "app.py")
    proc = repo.run_git("commit", "-m", "good")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_install_hook_with_commit_dash_a_checks_the_temporary_index(repo: Repo) -> None:
    repo.write("app.py", GOOD)
    repo.commit("init")
    assert vetpy("install-hook")[0] == 0
    repo.write("app.py", BAD)  # not added: `git commit -a` stages it into a temporary index
    proc = repo.run_git("commit", "-a", "-m", "bad")
    assert proc.returncode != 0
    assert "HAL001" in proc.stdout + proc.stderr


def test_install_hook_refuses_a_foreign_hook_without_force(repo: Repo) -> None:
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho someone else's hook\n")
    code, _, err = vetpy("install-hook")
    assert code == 2
    assert "was not written by vetpy; use --force" in err
    assert "someone else" in hook.read_text()

    assert vetpy("install-hook", "--force")[0] == 0
    assert gitutil.HOOK_MARKER in hook.read_text()
    code, out, _ = vetpy("install-hook")  # our own hook: updated in place
    assert code == 0
    assert "updated" in out


def test_install_hook_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = vetpy("install-hook")
    assert code == 2
    assert err.startswith("vetpy: error: not a git repository")


def test_hook_script_is_valid_shell(tmp_path: Path) -> None:
    script = tmp_path / "hook"
    script.write_text(gitutil.hook_script("/path with space/python"))
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    assert sys.executable  # the default interpreter written into the hook


def test_git_not_installed_is_a_one_line_error(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, _, err = vetpy("check", "--staged")
    assert code == 2
    assert err.strip().splitlines()[-1] == "vetpy: error: git is not installed (or not on PATH)"


def test_staged_blob_ids_are_full_length(repo: Repo) -> None:
    repo.write("a.py", GOOD)
    repo.git("add", "a.py")
    (entry,) = gitutil.staged_changes(repo.path).entries
    assert entry.sha == repo.git("rev-parse", ":a.py").strip()
    assert len(entry.sha) >= 40


_LINES = st.sampled_from(["import os", "import fastjsonx", "x = 1", "    x = 1", "", "def f():", "    return x", "y = 2"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.lists(_LINES, max_size=12), new=st.lists(_LINES, max_size=12))
def test_changed_lines_invariants(repo: Repo, old: list[str], new: list[str]) -> None:
    """Reported lines exist and are not blank; a line whose content the old file lacks is reported."""
    repo.write("f.py", "".join(line + "\n" for line in old))
    repo.git("add", "f.py")
    repo.git("commit", "-q", "--allow-empty", "-m", "old")
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write("f.py", "".join(line + "\n" for line in new))
    changed = gitutil.changed_lines(repo.path, base).get("f.py") or set()
    assert all(1 <= n <= len(new) and new[n - 1].strip() for n in changed)
    old_contents = {" ".join(line.split()) for line in old}
    for n, line in enumerate(new, start=1):
        if line.strip() and " ".join(line.split()) not in old_contents:
            assert n in changed


def test_staged_check_in_parallel_workers_reads_the_index(repo: Repo) -> None:
    from vetpy.cli import PARALLEL_THRESHOLD

    count = PARALLEL_THRESHOLD + 2
    for n in range(count):
        repo.write(f"pkg/m{n:02}.py", BAD)
    repo.git("add", "-A")
    for n in range(count):
        repo.write(f"pkg/m{n:02}.py", GOOD)  # unstaged fixes
    code, out, _ = vetpy("check", "--staged", "--jobs", "2")
    assert code == 1
    assert codes_at(out) == [f"pkg/m{n:02}.py:1:HAL001" for n in range(count)]
