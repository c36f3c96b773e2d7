"""The project's import statements are read once, before ``vetpy check`` forks its pool (issue #17:
each pool process read and parsed every file of the project for them, about 2.8 s of CPU per
process at 350k lines).

Specification: the parent reads each file's import statements and indexes them before the fork
(``FirstPartyFacts.read_imports``); the pool processes answer ``imported_only_behind_guards``,
``import_conditions`` and ``loaded_by_name`` from that table without reading a file again, and
their answers are those of a process that reads the project itself; the table kept on disk is
read again for a file that changed, so a run after an edit answers for the edited file; the
statements are found by a walk of the statements alone, which yields exactly the import
statements ``ast.walk`` yields, in its order.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetpy import first_party_imports
from vetpy.astutil import walk_statements
from vetpy.cli.alongside import alongside
from vetpy.cli.run import PARALLEL_THRESHOLD, CheckOptions, run_check
from vetpy.first_party import FirstPartyFacts

from test_first_party_imports import MODULES, PROJECT, write


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


EDITS = st.sampled_from([
    ("app/connector.py", "from app.stubs_grpc import Stub\n"),
    ("app/stubs_grpc.py", "try:\n    from .stubs_pb2 import x\nexcept ModuleNotFoundError:\n    pass\n"),
    ("app/platform.py", "import sys\nif sys.version_info >= (3, 12):\n    from app import fast, slow\n"),
    ("app/loader.py", "def load(name):\n    return __import__(name)\n"),
    ("app/loader.py", "import importlib\n"),
    ("app/new.py", "class C:\n    def m(self):\n        match self:\n            case 1:\n"
                   "                import app.exports.csv\n        try:\n            pass\n"
                   "        except ValueError:\n            from app.exports import xml\n"),
    ("app/__init__.py", None),
])


def answers(facts: FirstPartyFacts, root: Path) -> list:
    out: list = [(m, facts.import_conditions(m), facts.imported_only_behind_guards(m)) for m in MODULES]
    out += [(n, facts.loaded_by_name(f"app.exports.{n}", str(root / "app" / "exports" / f"{n}.py"))) for n in ("csv", "json")]
    return out


def _in_forked_process(facts: FirstPartyFacts, root: Path, conn) -> None:  # noqa: ANN001 - a Connection
    def no_read(path):
        raise AssertionError(f"{path} read again in the pool process")

    first_party_imports.file_facts = no_read  # this process only (forked)
    try:
        conn.send(answers(facts, root))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        conn.send(repr(exc))


def forked_answers(facts: FirstPartyFacts, root: Path) -> list | str:
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=_in_forked_process, args=(facts, root, theirs))
    process.start()
    got = ours.recv()
    process.join()
    return got


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool forks")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, max_size=4))
def test_answers_read_before_the_fork_equal_those_of_a_process_reading_the_project(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("proj")
    write(root, PROJECT)
    for name, text in edits:
        write(root, {name: text})
    fresh = answers(FirstPartyFacts(root, use_disk=False), root)
    prepared = FirstPartyFacts(root, use_disk=False)
    prepared.imports_table().prepare()
    assert forked_answers(prepared, root) == fresh
    # prepared in a process of its own while this one reads the rest, as the check does it
    beside = FirstPartyFacts(root, use_disk=False)
    table = beside.imports_table()
    done, state = alongside(table.prepared, lambda: beside.assigned_attributes)
    assert done
    table.adopt(state)
    assert forked_answers(beside, root) == fresh


def pool_project(root: Path) -> Path:
    """A project big enough for the pool: ``app/opt.py`` imports a missing module and is itself
    imported only in a ``try`` that expects ImportError (an optional feature: not flagged)."""
    for i in range(PARALLEL_THRESHOLD + 6):
        write(root, {f"app/m{i}.py": f"import json\n\ndef f{i}(p):\n    return json.loads(p)\n"})
    write(root, {"app/__init__.py": "", "app/opt.py": "import missing_mod_xyz\n\ndef g():\n    return missing_mod_xyz.run()\n",
                 "app/main.py": "try:\n    from app import opt\nexcept ImportError:\n    opt = None\n"})
    return root


def flagged(root: Path) -> list[tuple[str, int, str]]:
    result = run_check([str(root)], CheckOptions(python=sys.executable), jobs=2)
    assert not result.errors, result.errors
    return [(Path(f.path).name, f.line, f.code) for f in result.findings]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool forks")
def test_the_pool_processes_read_no_file_for_the_import_questions(tmp_path, monkeypatch):
    root = pool_project(tmp_path / "p")
    log = tmp_path / "reads.jsonl"
    read = first_party_imports.file_facts

    def logged(path):
        with log.open("a") as f:
            f.write(json.dumps({"pid": os.getpid(), "path": str(path)}) + "\n")
        return read(path)

    monkeypatch.setattr(first_party_imports, "file_facts", logged)
    assert flagged(root) == []  # the question was asked: the optional module's import is not flagged
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert len({r["pid"] for r in records}) == 1  # by one process (beside this one, before the pool forks)
    assert sorted(r["path"] for r in records) == sorted({r["path"] for r in records})  # each file once
    assert len(records) == len(list(root.rglob("*.py")))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool forks")
def test_a_run_after_an_edit_answers_for_the_edited_file_not_the_table_read_before(tmp_path):
    root = pool_project(tmp_path / "p")
    assert flagged(root) == []
    write(root, {"app/main.py": "from app import opt\n"})  # the guard is gone: the import now runs
    assert flagged(root) == [("opt.py", 1, "HAL001")]
    write(root, {"app/main.py": "try:\n    from app import opt\nexcept ImportError:\n    opt = None\n"})
    assert flagged(root) == []


TRICKY = """
import a
class C:
    import b
    def m(self):
        try:
            import c
        except ImportError as e:
            from . import d
        else:
            import e
        finally:
            from .f import g
        match x:
            case [1, *_] if y:
                import h
            case _:
                from i import j
        with k() as l, m():
            async def n():
                async with o:
                    import p
                async for q in r:
                    import s
        while t:
            import u
        else:
            import v
    x = lambda: [w for w in z]
if y:
    import aa
elif z:
    import bb
else:
    try:
        import cc
    except* ValueError:
        import dd
"""


def stdlib_sample() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return sorted(stdlib.glob("*.py"))[::7] + sorted((stdlib / "asyncio").glob("*.py"))


@pytest.mark.parametrize("source", [TRICKY, *(p.read_text(encoding="utf-8", errors="replace") for p in stdlib_sample())])
def test_the_statement_walk_finds_the_import_statements_of_ast_walk_in_its_order(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        pytest.skip("not this Python's syntax")
    imports = (ast.Import, ast.ImportFrom)
    assert [n for n in walk_statements(tree) if isinstance(n, imports)] == [n for n in ast.walk(tree) if isinstance(n, imports)]
    assert [n for n in walk_statements(tree) if isinstance(n, ast.stmt)] == [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_alongside_gives_the_answer_of_its_process_and_runs_the_other_work_here():
    here: list[int] = []
    done, answer = alongside(lambda: (os.getpid(), {"a": [1, (2, "x")]}), lambda: here.append(os.getpid()))
    assert done and answer[1] == {"a": [1, (2, "x")]} and answer[0] != os.getpid() and here == [os.getpid()]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_alongside_says_so_when_its_process_fails_and_the_caller_computes_it():
    def fails():
        raise OSError("no such file")

    here: list[int] = []
    assert alongside(fails, lambda: here.append(1)) == (False, None) and here == [1]
    assert alongside(lambda: os._exit(3), lambda: here.append(2)) == (False, None) and here == [1, 2]


def test_alongside_ends_a_process_that_never_answers(monkeypatch):
    """A forked process stuck on a lock that some thread held at the fork: ended after the
    patience, and the caller computes the answer itself (never a hang)."""
    import time as time_module

    from vetpy.cli import alongside as alongside_module

    monkeypatch.setattr(alongside_module, "MIN_PATIENCE", 0.5)
    here: list[int] = []
    started = time_module.monotonic()
    assert alongside(lambda: time_module.sleep(600), lambda: here.append(1)) == (False, None)
    assert here == [1] and time_module.monotonic() - started < 60
