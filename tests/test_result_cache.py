"""The per-file result cache of ``vetpy check`` (issue #17 point 2).

Specification: an unchanged file under an unchanged run key is answered from the cache, and the
answer is always the one an uncached check gives now.  Whatever changed outside the file (a
first-party module it imports, a conftest.py, a package marker, an installed distribution's
version, the configuration) must re-check exactly the files whose analysis read it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_venv
from vetpy import reads
from vetpy.cli.run import CheckOptions, run_check

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("VETPY_CACHE_DIR", str(path))
    return path


def check(root: Path, use_cache: bool = True, python: str | None = None):
    result = run_check([str(root)], CheckOptions(use_cache=use_cache, python=python), jobs=1)
    assert not result.errors, result.errors
    return result


def shown(result) -> list[tuple]:
    return [(Path(f.path).name, f.line, f.column, f.code, f.message) for f in result.findings]


def reused(result) -> int:
    for note in result.notes:
        if "results were reused" in note:
            return int(note.split(" of ")[0])
    return 0


def assert_cached_equals_uncached(root: Path, python: str | None = None):
    cached = check(root, python=python)
    assert shown(cached) == shown(check(root, use_cache=False, python=python))
    return cached


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_an_unchanged_tree_is_answered_from_the_cache_with_the_same_findings(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(REPO / "fixtures" / "demo", root)
    first = check(root)
    assert first.findings and reused(first) == 0
    second = check(root)
    assert shown(second) == shown(first)
    assert reused(second) == second.files_checked
    # the snippets (baselines, SARIF fingerprints) come from the text, also for reused results
    assert [f.extra for f in second.findings] == [f.extra for f in first.findings]


def test_an_edited_file_is_checked_again_and_only_it(tmp_path):
    write(tmp_path, {"a.py": "import json\njson.dumps(1)\n", "b.py": "import json\njson.loads('1')\n"})
    check(tmp_path)
    (tmp_path / "a.py").write_text("import json\njson.dumpz(1)\n")
    result = check(tmp_path)
    assert reused(result) == 1
    assert [f.path for f in result.findings if "dumpz" in f.message] == [str(tmp_path / "a.py")]


def test_a_first_party_module_that_gains_a_name_rechecks_its_importer(tmp_path):
    # two importers: the second reads the module's namespace from the in-process memo, and must
    # depend on the module all the same
    importer = "from pkg.mod import y\nprint(y)\n"
    write(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": "x = 1\n", "main.py": importer, "main2.py": importer,
                     "other.py": "import os\nos.getcwd()\n"})
    before = assert_cached_equals_uncached(tmp_path)
    assert sorted(Path(f.path).name for f in before.findings if "`y`" in f.message) == ["main.py", "main2.py"]
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\ny = 2\n")
    after = assert_cached_equals_uncached(tmp_path)
    assert reused(after) == 2  # other.py and pkg/__init__.py
    assert after.findings == []


def test_an_edit_that_leaves_a_modules_names_as_they_were_rechecks_no_importer(tmp_path):
    importer = "from pkg.mod import x\nprint(x)\n"
    write(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": "x = 1\n", "main.py": importer, "main2.py": importer})
    check(tmp_path)
    (tmp_path / "pkg" / "mod.py").write_text("x = 1  # the same names\n")
    result = assert_cached_equals_uncached(tmp_path)
    assert reused(result) == 3  # all but pkg/mod.py itself
    (tmp_path / "pkg" / "mod.py").write_text("y = 1\n")  # x is gone: both importers change
    result = assert_cached_equals_uncached(tmp_path)
    assert reused(result) == 1
    assert sorted(Path(f.path).name for f in result.findings if "`x`" in f.message) == ["main.py", "main2.py"]


def test_an_edit_of_a_function_body_or_signature_rechecks_no_importer_its_removal_does(tmp_path):
    # what an importer's analysis reads of a first-party module is the names it binds (vetpy
    # checks no call of a first-party function against its signature): a body, a docstring or a
    # signature edit leaves every importer's findings as they were, and its result is reused
    importer = "from pkg.mod import f\nprint(f(1))\n"
    write(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": "def f(a):\n    return a\n", "main.py": importer})
    check(tmp_path)
    for body in ('def f(a):\n    """Doubled."""\n    b = a * 2\n    return b\n', "def f(a, b=2, *, c=3):\n    return None\n"):
        (tmp_path / "pkg" / "mod.py").write_text(body)
        result = assert_cached_equals_uncached(tmp_path)
        assert reused(result) == 2  # pkg/__init__.py and main.py: only pkg/mod.py is checked again
    (tmp_path / "pkg" / "mod.py").write_text("def g(a):\n    return a\n")  # f is gone: main.py changes
    result = assert_cached_equals_uncached(tmp_path)
    assert reused(result) == 1
    assert [Path(f.path).name for f in result.findings if "`f`" in f.message] == ["main.py"]


def test_a_conftest_that_appears_rechecks_the_tests_it_serves(tmp_path):
    # a fixture that asserts: a test that uses it checks something through it (TEST001 must not fire)
    write(tmp_path, {"tests/test_a.py": "def test_a(checked):\n    r = sum([1])\n    print(r)\n"})
    before = assert_cached_equals_uncached(tmp_path)
    write(tmp_path, {"tests/conftest.py": CONFTEST})
    after = assert_cached_equals_uncached(tmp_path)
    assert [f.code for f in before.findings] == ["TEST001"]
    assert after.findings == []


def test_a_configuration_change_invalidates_every_result(tmp_path):
    write(tmp_path, {"a.py": "try:\n    pass\nexcept:\n    pass\n",
                     "pyproject.toml": "[tool.vetpy]\nselect = [\"EDGE001\"]\n"})
    assert [f.code for f in check(tmp_path).findings] == ["EDGE001"]
    write(tmp_path, {"pyproject.toml": "[tool.vetpy]\nselect = [\"EDGE001\"]\nignore = [\"EDGE\"]\n"})
    result = check(tmp_path)
    assert reused(result) == 0
    assert not [f for f in result.findings if f.code.startswith("EDGE")]


def _install(site: Path, version: str, body: str) -> None:
    """A distribution as an installer leaves it: the package and its .dist-info."""
    for old in site.glob("vtdemo*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    (site / "vtdemo").mkdir()
    (site / "vtdemo" / "__init__.py").write_text(body)
    info = site / f"vtdemo-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: vtdemo\nVersion: {version}\n")
    (info / "top_level.txt").write_text("vtdemo\n")
    (info / "RECORD").write_text("")


@pytest.mark.slow
def test_a_new_version_of_a_dependency_rechecks_exactly_the_files_that_use_it(tmp_path):
    python = make_venv(tmp_path / ".venv")
    site = next((tmp_path / ".venv" / "lib").glob("python*/site-packages"))
    _install(site, "1.0", "def old():\n    return 1\n\ndef new():\n    return 2\n")
    write(tmp_path, {"uses.py": "import vtdemo\nvtdemo.old()\n", "plain.py": "import json\njson.dumps(1)\n",
                     "nothing.py": "x = 1\n"})
    first = check(tmp_path, python=str(python))
    assert not [f for f in first.findings if f.code.startswith("HAL")]
    assert reused(check(tmp_path, python=str(python))) == 3
    _install(site, "2.0", "def new():\n    return 2\n")
    after = check(tmp_path, python=str(python))
    assert reused(after) == 2  # plain.py and nothing.py
    assert any(f.path.endswith("uses.py") and "old" in f.message for f in after.findings)
    assert shown(after) == shown(check(tmp_path, use_cache=False, python=str(python)))


@pytest.mark.slow
def test_a_module_no_distribution_owns_is_kept_by_its_file(tmp_path):
    """A single-file module in site-packages without .dist-info (as `_typeshed` is absent, or a
    copied-in module): its introspected members are kept by the file's stamp, so an unchanged tree
    is answered from the cache, and editing the module re-checks the file that uses it."""
    python = make_venv(tmp_path / ".venv")
    site = next((tmp_path / ".venv" / "lib").glob("python*/site-packages"))
    (site / "vtsolo.py").write_text("for _n in ('alpha', 'beta'):\n    globals()[_n] = len\n")
    write(tmp_path, {"uses.py": "import vtsolo\nvtsolo.alpha('x')\nvtsolo.gamma('x')\n", "plain.py": "x = 1\n"})
    first = check(tmp_path, python=str(python))
    assert [f.code for f in first.findings if "gamma" in f.message] == ["HAL003"]
    assert reused(check(tmp_path, python=str(python))) == 2
    (site / "vtsolo.py").write_text("for _n in ('alpha', 'beta', 'gamma'):\n    globals()[_n] = len\n")
    after = check(tmp_path, python=str(python))
    assert reused(after) == 1  # plain.py
    assert not [f for f in after.findings if "gamma" in f.message]
    assert shown(after) == shown(check(tmp_path, use_cache=False, python=str(python)))


def test_noting_an_answer_that_may_change_keeps_it_unstable():
    with reads.capture() as used:
        reads.note("engine", "failed", ("x",), reads.UNSTABLE)
        reads.note("env", "x", (), "unstable but a real answer")
    assert used.queries[("engine", "failed", ("x",), ())] == reads.UNSTABLE
    assert used.queries[("env", "x", (), ())] != reads.UNSTABLE


def test_an_answer_that_may_change_is_never_kept(tmp_path):
    from vetpy.resultcache import ResultCache, serialise

    used = reads.Reads()
    used.queries[("members", "transient", ("requests",), ())] = reads.UNSTABLE
    cache = ResultCache(None, "key", ctx=None)  # type: ignore[arg-type]
    cache.store("a.py", serialise("sha", [], used))
    assert cache.new == {}


def test_recording_notes_what_services_answer_and_nests():
    class Service:
        @reads.recorded("svc")
        def ask(self, name, flag=False):
            return {"name": name, "flag": flag}

    svc = Service()
    assert svc.ask("outside") == {"name": "outside", "flag": False}  # nothing records: no cost, no state
    with reads.recording() as outer:
        with reads.recording() as inner:
            svc.ask("x", flag=True)
            reads.note_file("/nowhere/conftest.py")
        assert ("svc", "ask", ("x",), (("flag", True),)) in inner.queries
    assert inner.queries.items() <= outer.queries.items()
    assert "/nowhere/conftest.py" in outer.files
    assert reads.file_stamp("/nowhere/conftest.py") is None


def test_digests_are_stable_and_tell_answers_apart():
    assert reads.digest({"b": {2, 1}, "a": [Path("/x")]}) == reads.digest({"a": [Path("/x")], "b": {1, 2}})
    assert reads.digest([1]) != reads.digest(["1"])
    assert reads.safe_digest(object()) == reads.UNSTABLE


CONFTEST = "import pytest\n\n@pytest.fixture\ndef checked():\n    assert 1 + 1 == 2\n    return 1\n"


# -- the invariant: cached equals uncached, whatever changes between runs ----------------------

EDITS = st.sampled_from([
    ("pkg/mod.py", "x = 1\n"),
    ("pkg/mod.py", "x = 1\ny = 2\n"),
    ("pkg/mod.py", "from .other import *\n"),
    ("pkg/other.py", "y = 3\n__all__ = ['y']\n"),
    ("pkg/other.py", "z = 3\n"),
    ("pkg/__init__.py", ""),
    ("pkg/__init__.py", None),
    ("tests/conftest.py", CONFTEST),
    ("tests/conftest.py", None),
    ("main.py", "from pkg.mod import y\nimport json\nprint(y, json.dumpz)\n"),
    ("main.py", "from pkg import mod\nprint(mod.x)\n"),
    ("pyproject.toml", "[tool.vetpy]\nignore = [\"EDGE\"]\n"),
    ("pyproject.toml", None),
])


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, min_size=1, max_size=5))
def test_cached_equals_uncached_after_any_sequence_of_changes(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("proj")
    write(root, {"main.py": "from pkg.mod import y\nprint(y)\n", "pkg/__init__.py": "", "pkg/mod.py": "x = 1\n",
                 "tests/test_a.py": "def test_a(checked):\n    r = sum([1])\n    print(r)\n\ndef test_b():\n    try:\n        f()\n    except:\n        pass\n"})
    check(root)
    for name, text in edits:
        path = root / name
        if text is None:
            if path.exists():
                path.unlink()
        else:
            write(root, {name: text})
        assert_cached_equals_uncached(root)


def test_the_cache_file_holds_data_only(tmp_path, cache_dir):
    write(tmp_path, {"a.py": "import json\njson.dumps(1)\n"})
    check(tmp_path)
    files = list((cache_dir / "results").glob("*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text())
    assert set(data) <= {"format", "key", "entries", "project"} and {"format", "key", "entries"} <= set(data)
    project = data.get("project", {"state": "", "answers": {}})  # the project-wide answers, as digests
    assert isinstance(project["state"], str) and all(isinstance(k, str) and isinstance(v, str) for k, v in project["answers"].items())


@pytest.mark.slow
def test_real_code_gives_the_same_findings_cold_warm_and_uncached(tmp_path):
    """Installed packages' source (pygls, lsprotocol, packaging: ~30k lines of real code)
    checked as a project: the warm run answers every file from the cache with the findings of
    the cold run, and both equal a run without any cache."""
    import lsprotocol
    import packaging
    import pygls

    for module in (pygls, lsprotocol, packaging):
        source = Path(module.__file__).parent
        shutil.copytree(source, tmp_path / source.name, ignore=shutil.ignore_patterns("__pycache__"))
    # the three packages now give no finding (their one, packaging's `sys._version_info` in a
    # postponed annotation, is a name only type checkers read): a file of the project that has
    # findings keeps the comparison from being one of empty lists
    (tmp_path / "uses_them.py").write_text(
        "import json\nfrom packaging.version import Version\n\n"
        "def newer(a: str, b: str) -> bool:\n    return Version(a).is_newer_than(b) or json.dumpz(a)\n"
    )
    cold = check(tmp_path)
    warm = check(tmp_path)
    assert reused(warm) == warm.files_checked > 20
    assert shown(warm) == shown(cold) == shown(check(tmp_path, use_cache=False))
    assert {f.code for f in cold.findings} >= {"HAL003"}


def test_every_project_wide_fact_a_rule_asks_is_recorded(tmp_path):
    """The first-party facts are read by rules one name at a time, and each question is noted:
    a project-wide set read whole (a property) would change findings behind the cache's back."""
    from vetpy.first_party import FirstPartyFacts

    (tmp_path / "m.py").write_text("class A:\n    def own(self):\n        self.x = 1\n\nreq.event = 1\n")
    facts = FirstPartyFacts(tmp_path)
    with reads.recording() as used:
        assert facts.gives_instances("own") and facts.gives_instances("x")
        assert facts.assigns("event") and not facts.sets_logger_class()
    asked = {(s, m, a) for s, m, a, _ in used.queries}
    assert asked == {("first_party", "gives_instances", ("own",)), ("first_party", "gives_instances", ("x",)),
                     ("first_party", "assigns", ("event",)), ("first_party", "sets_logger_class", ())}


def test_introspection_answers_are_written_once_a_check_ends_not_per_file(tmp_path, cache_dir, monkeypatch):
    """The member index writes its table at most every FLUSH_EVERY seconds while files are
    analysed (it was rewritten after every file), and in full when the check's files are done.
    (The files are analysed in a process forked from this one: the writes are logged to a file.)"""
    from vetpy.resolve.members import MemberIndex

    log = tmp_path / "flushes.log"
    real = MemberIndex.flush

    def counting(self, at_most_every=0.0):
        with log.open("a") as f:
            f.write(f"{at_most_every}\n")
        return real(self, at_most_every)

    monkeypatch.setattr(MemberIndex, "flush", counting)
    project = tmp_path / "p"
    project.mkdir()
    write(project, {f"m{i}.py": f"import math\nmath.floor(1.5)\nmath.no_such_{i}\n" for i in range(4)})
    result = check(project)
    writes = [float(line) for line in log.read_text().split()]
    assert sorted(f.code for f in result.findings if f.code == "HAL003") == ["HAL003"] * 4
    assert writes.count(0.0) == 1 and len(writes) == 5  # four throttled, one in full at the end
    tables = list((cache_dir / "members").glob("*.json"))
    assert any("math" in t.read_text() for t in tables), [t.read_text()[:300] for t in tables]
