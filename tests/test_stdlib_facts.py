"""What the introspection worker's instance model learns about the standard library is kept on
disk, once per interpreter (issue 17, principle 4): a class's source attributes, a package's
foreign names and the classes it fills with computed names.  The answers are the same with and
without the kept facts, a new interpreter (or a changed standard library) starts from nothing, a
damaged facts file is ignored and rewritten, and nothing outside the standard library is kept."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vetpy.resolve.members import _worker_launch, stdlib_facts_dir

# A real corpus: every public class of these standard-library modules (the instance model runs for
# each), the attributes the instance model reads from a class's assignments, and module attributes.
MODULES = ("argparse", "logging", "logging.handlers", "subprocess", "zipfile", "http.cookiejar", "http.client",
           "collections", "pathlib", "email.message", "csv", "threading", "socketserver", "urllib.request",
           "configparser", "enum", "typing", "ctypes", "tarfile", "smtplib", "decimal", "datetime", "json.decoder")
EXTRA = [
    {"op": "method", "path": "subprocess.Popen", "name": "returncode"},
    {"op": "method", "path": "logging.LogRecord", "name": "msg"},
    {"op": "method", "path": "http.client.HTTPResponse", "name": "headers"},
    {"op": "method", "path": "argparse.ArgumentParser", "name": "parse_args"},
    {"op": "attribute", "path": "curses", "name": "COLORS"},
    {"op": "attribute", "path": "os", "name": "no_such_name"},
]


def questions() -> list[dict]:
    code = ("import importlib, inspect, json, sys\n"
            "out = []\n"
            "for name in sys.argv[1:]:\n"
            "    mod = importlib.import_module(name)\n"
            "    out += [name + '.' + k for k, v in sorted(vars(mod).items())\n"
            "            if not k.startswith('_') and inspect.isclass(v) and v.__module__ == name]\n"
            "print(json.dumps(out))\n")
    paths = json.loads(subprocess.check_output([sys.executable, "-c", code, *MODULES], text=True))
    assert len(paths) > 150
    # the instance model answers the "instance" question, asked apart from "describe"
    return [{"op": op, "path": p} for p in paths for op in ("describe", "instance")] + EXTRA + [{"op": "ping"}]


def ask(python: str, requests: list[dict], cwd: Path, facts: Path | None) -> list[dict]:
    """The worker's answers to ``requests`` (in one run: a fresh worker, its input closed after)."""
    env = {k: v for k, v in os.environ.items() if k != "VETPY_WORKER_FACTS"}
    if facts is not None:
        env["VETPY_WORKER_FACTS"] = str(facts)
    lines = "".join(json.dumps({**r, "id": i}) + "\n" for i, r in enumerate(requests))
    loader, program = _worker_launch()
    out = subprocess.run([python, "-c", loader], input=program + lines.encode("utf-8"), capture_output=True, cwd=cwd,
                         env=env, timeout=300, check=True).stdout
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


def facts_files(facts: Path) -> list[str]:
    return sorted(glob.glob(str(facts / "*.json")))


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return questions()


def test_answers_are_the_same_with_and_without_the_kept_facts(corpus, tmp_path):
    facts = tmp_path / "facts"
    uncached = ask(sys.executable, corpus, tmp_path, None)
    assert not facts.exists()
    filling = ask(sys.executable, corpus, tmp_path, facts)  # the first run works them out and keeps them
    [kept] = facts_files(facts)
    data = json.loads(Path(kept).read_text(encoding="utf-8"))
    assert len(data["classes"]) > 100 and {"logging", "http", "subprocess"} <= set(data["packages"])
    assert "logging:LogRecord" in data["classes"] and "argparse:ArgumentParser" in data["classes"]
    reading = ask(sys.executable, corpus, tmp_path, facts)  # the second reads them
    assert filling[:-1] == uncached[:-1] and reading[:-1] == uncached[:-1]
    # the instance model parsed nothing the second time (only the method/attribute questions,
    # whose answers the member index keeps, still read a source file)
    describe_only = [r for r in corpus if r["op"] in ("describe", "instance")] + [{"op": "ping"}]
    assert ask(sys.executable, describe_only, tmp_path, None)[-1]["parsed"] > 20
    assert ask(sys.executable, describe_only, tmp_path, facts)[-1]["parsed"] == 0
    assert json.loads(Path(kept).read_text(encoding="utf-8")) == data  # nothing new to write


def test_a_kept_fact_is_what_the_worker_answers_from(tmp_path):
    # planted in the file of this interpreter: the worker reads it instead of parsing argparse.py
    facts = tmp_path / "facts"
    request = [{"op": "instance", "path": "argparse.ArgumentParser"}, {"op": "ping"}]
    first = ask(sys.executable, request, tmp_path, facts)
    assert "planted_name" not in first[0]["instance"]["members"] and first[1]["parsed"] >= 1
    [kept] = facts_files(facts)
    data = json.loads(Path(kept).read_text(encoding="utf-8"))
    data["classes"]["argparse:ArgumentParser"].append("planted_name")
    Path(kept).write_text(json.dumps(data), encoding="utf-8")
    again = ask(sys.executable, request, tmp_path, facts)
    assert "planted_name" in again[0]["instance"]["members"] and again[1]["parsed"] == 0


def other_interpreter() -> str | None:
    """An interpreter of another Python version on this machine, if any (one that runs)."""
    for minor in (12, 10, 13, 11, 9):
        if minor == sys.version_info[1]:
            continue
        found = [*glob.glob(os.path.expanduser(f"~/.pyenv/versions/3.{minor}*/bin/python3.{minor}")),
                 shutil.which(f"python3.{minor}")]
        for candidate in filter(None, found):
            if subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
                return candidate
    return None


def test_another_interpreter_does_not_read_this_ones_facts(tmp_path):
    other = other_interpreter()
    if other is None:
        pytest.skip("no interpreter of another Python version here")
    facts = tmp_path / "facts"
    request = [{"op": "instance", "path": "argparse.ArgumentParser"}, {"op": "ping"}]
    ask(sys.executable, request, tmp_path, facts)
    [mine] = facts_files(facts)
    data = json.loads(Path(mine).read_text(encoding="utf-8"))
    data["classes"]["argparse:ArgumentParser"].append("planted_name")
    Path(mine).write_text(json.dumps(data), encoding="utf-8")
    theirs = ask(other, request, tmp_path, facts)
    assert "planted_name" not in theirs[0]["instance"]["members"] and theirs[1]["parsed"] >= 1
    assert len(facts_files(facts)) == 2  # one file per interpreter


def test_the_fingerprint_changes_with_the_interpreter_and_its_standard_library(tmp_path, monkeypatch):
    from test_fast_walks import worker_namespace

    monkeypatch.setenv("VETPY_WORKER_FACTS", str(tmp_path / "facts"))

    def path_now() -> str:
        namespace, _ = worker_namespace(tmp_path)
        sys.modules.pop("worker_subject", None)
        return namespace["_store_path"]()

    here = path_now()
    assert here == path_now() and Path(here).parent == tmp_path / "facts"
    monkeypatch.setattr(sys, "version", sys.version + " (rebuilt)")
    rebuilt = path_now()
    assert rebuilt != here
    monkeypatch.undo()
    monkeypatch.setenv("VETPY_WORKER_FACTS", str(tmp_path / "facts"))
    stand_in = tmp_path / "os.py"  # the standard library's os.py changed (an upgrade in place)
    stand_in.write_bytes(Path(os.__file__).read_bytes() + b"\n")
    monkeypatch.setattr(os, "__file__", str(stand_in))
    changed = path_now()
    assert changed not in (here, rebuilt)
    monkeypatch.delenv("VETPY_WORKER_FACTS")
    assert path_now() is None  # no directory given: nothing is kept


@pytest.mark.parametrize("damage", [
    b"{not json", b"", b"[1, 2]", b'{"format": 1, "classes": [], "packages": {}}',
    b'{"format": 999, "classes": {}, "packages": {}}',
    b'{"format": 1, "classes": {"argparse:ArgumentParser": 7, "logging:Logger": ["a", 3]},'
    b' "packages": {"logging": {"names": "x"}, "argparse": {"names": [], "filling": 5, "files": {}}}}',
    b'{"format": 1, "classes": {}, "packages": {"logging": {"names": "abc", "filling": [], "files": {}},'
    b' "argparse": {"names": [], "filling": [["x.py", "12"]], "files": {}}}}',
    b"\xff\xfe\x00garbage",
])
def test_a_damaged_facts_file_is_ignored_and_rewritten(tmp_path, damage):
    facts = tmp_path / "facts"
    request = [{"op": "instance", "path": p} for p in ("argparse.ArgumentParser", "logging.Logger", "logging.LogRecord")]
    uncached = ask(sys.executable, request, tmp_path, None)
    ask(sys.executable, request, tmp_path, facts)
    [kept] = facts_files(facts)
    Path(kept).write_bytes(damage)
    assert ask(sys.executable, request, tmp_path, facts) == uncached
    data = json.loads(Path(kept).read_text(encoding="utf-8"))  # rewritten whole
    assert data["format"] == 1 and isinstance(data["classes"]["argparse:ArgumentParser"], list)
    assert ask(sys.executable, request, tmp_path, facts) == uncached


def test_only_standard_library_sources_are_kept(tmp_path, monkeypatch):
    from test_fast_walks import worker_namespace

    monkeypatch.setenv("VETPY_WORKER_FACTS", str(tmp_path / "facts"))
    namespace, module = worker_namespace(tmp_path)
    try:
        stdlib = namespace["_STDLIB"]
        assert namespace["_in_stdlib"](os.path.join(stdlib, "logging", "__init__.py"))
        assert not namespace["_in_stdlib"](os.path.join(stdlib, "site-packages", "requests", "models.py"))
        assert not namespace["_in_stdlib"](os.path.join(stdlib, "lib-dynload", "_json.so"))
        assert not namespace["_in_stdlib"](str(tmp_path / "worker_subject.py"))
        assert namespace["_class_key"](module.Base) is None  # a module outside the standard library
        assert namespace["_source_attrs"](module.Base)  # worked out, in memory only
        import argparse

        assert namespace["_class_key"](argparse.ArgumentParser) == "argparse:ArgumentParser"
        namespace["_source_attrs"](argparse.ArgumentParser)
        namespace["_foreign_names"]("worker_subject")
        namespace["_foreign_names"]("argparse")
        assert set(namespace["_STORE"]["classes"]) == {"argparse:ArgumentParser"}
        assert set(namespace["_STORE"]["packages"]) == {"argparse"}
        namespace["_save_facts"]()
        [kept] = facts_files(tmp_path / "facts")
        assert set(json.loads(Path(kept).read_text(encoding="utf-8"))["packages"]) == {"argparse"}
    finally:
        sys.modules.pop("worker_subject", None)


def test_the_member_index_keeps_them_in_the_index_unless_caching_is_off(tmp_path, monkeypatch):
    from vetpy.environment.discovery import load_environment
    from vetpy.environment.model import InterpreterChoice
    from vetpy.resolve.members import MemberIndex

    env = load_environment(InterpreterChoice(sys.executable, "test"), use_cache=False)
    for use_disk in (False, True):
        cache = tmp_path / f"cache-{use_disk}"
        monkeypatch.setenv("VETPY_CACHE_DIR", str(cache))
        index = MemberIndex(env, [str(tmp_path)], use_disk=use_disk)
        try:
            assert index.describe("logging.Logger") is not None and index.instance("logging.Logger") is not None
        finally:
            index.close()
        assert bool(facts_files(stdlib_facts_dir(cache))) is use_disk
        assert stdlib_facts_dir(cache).parent.parent == cache / "index"


LOOK_ALIKES = '''
import functools


class Plain(object):
    """A docstring that says: class Plain is here."""

    def __init__(self):
        self.a = 1
# a comment at column 0 inside the class


    def more(self):
        self.b = 2


class Quoted:
    """A docstring whose second line
starts at column 0."""

    def __init__(self):
        self.j = 10


class Header(
    object,
):
    def __init__(self):
        self.c = 3


class Twice:
    def __init__(self):
        self.d = 4


if True:
    class Twice:  # a second definition: the name is ambiguous
        def __init__(self):
            self.e = 5


class Outer:
    def __init__(self):
        self.f = 6

    class Inner:
        def __init__(self):
            self.g = 7


class Method:
    def __init__(self):
        self.h = 8


class Other:
    def Method(self):  # a method of the same name elsewhere
        pass


text = """
class Ghost:
    def __init__(self):
        self.ghost = 1
"""


class Last:
    def __init__(self):
        self.i = 9
'''


def test_a_class_is_parsed_alone_only_when_that_is_the_node_the_whole_module_gives(tmp_path):
    import ast
    import importlib.util

    from test_fast_walks import worker_namespace

    namespace, _ = worker_namespace(tmp_path)
    path = tmp_path / "look_alikes.py"
    path.write_text(LOOK_ALIKES, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("look_alikes", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["look_alikes"] = module
    try:
        spec.loader.exec_module(module)
        alone, whole = namespace["_class_alone"], namespace["_class_in"]

        def lines(klass):
            return [v.__code__.co_firstlineno for v in vars(klass).values() if hasattr(v, "__code__")]

        for klass in (module.Plain, module.Last):  # parsed alone: the same node as from the whole module
            node = alone(str(path), klass.__qualname__, lines(klass))
            assert node is not None and ast.dump(node) == ast.dump(whole(str(path), klass.__qualname__))
        assert alone(str(path), "Plain", []) is None  # no method lines to check it against
        # the whole module decides: a header closed at column 0, an ambiguous name, a method of
        # the same name, a nested class (not asked alone), a class only in a string
        assert alone(str(path), "Header", lines(module.Header)) is None
        assert alone(str(path), "Quoted", lines(module.Quoted)) is None
        assert alone(str(path), "Twice", lines(module.Twice)) is None and whole(str(path), "Twice") is None
        assert alone(str(path), "Method", lines(module.Method)) is None
        assert alone(str(path), "Ghost", [3]) is None and whole(str(path), "Ghost") is None
        assert alone(str(path), "Last", [1]) is None  # the methods are not where the text says
        attrs = namespace["_source_attrs"]
        assert attrs(module.Plain) == {"a", "b"} and attrs(module.Header) == {"c"} and attrs(module.Last) == {"i"}
        assert attrs(module.Quoted) == {"j"}
        assert attrs(module.Outer.Inner) == {"g"} and attrs(module.Method) == {"h"}
        assert namespace["_source_attrs"](module.Twice) is None
    finally:
        sys.modules.pop("look_alikes", None)
        sys.modules.pop("worker_subject", None)
