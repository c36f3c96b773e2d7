"""Parsing in several threads at once must not fail.

CPython 3.11.0-3.11.7 and 3.12.0-3.12.1 count the depth of the syntax tree under construction in
one counter shared by all threads (gh-106905): when a garbage collection inside ``ast.parse`` runs
Python code (a finalizer) and another thread parses meanwhile, one of them fails with
``SystemError: AST constructor recursion depth mismatch``.  The language server parses in two
analysis threads and its environment threads; ``vetpy.astutil.parse`` serialises parses there.

The stress test is probabilistic: with ``ast.parse`` in place of ``vetpy.astutil.parse`` it fails
on an affected Python in most runs (see the commit that added it), never on the others.
"""

from __future__ import annotations

import ast
import gc
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

from vetpy import astutil
from vetpy.resolve.members import _WORKER_SOURCES

import pytest

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

SERVER = Path(__file__).resolve().parent.parent / "server" / "vetpy"
# Deep-ish nesting: the tree construction recurses (and allocates, so collections run) a lot.
SOURCE = "\n".join(
    f"def f{i}(x):\n    return " + "(" * 30 + "[x, {'a': lambda y: y + 1}]" + ")" * 30 + f" if x else [i for i in range({i})]"
    for i in range(40)
)


class _Finalized:
    """Cyclic garbage whose finalizer runs Python code: the collector runs it inside whatever
    allocation triggered the collection (an ``ast.parse`` of another thread, say)."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        sum(range(50))


def stress(parse: Callable[[str], Any], threads: int = 3, parses: int = 100, seconds: float = 30.0) -> list[BaseException]:
    """Errors raised by ``parse`` in ``threads`` threads beside a garbage-making thread: each
    thread parses ``parses`` times or for ``seconds``, whichever ends first (a loaded machine does
    fewer parses; it never makes the test fail or run for ever)."""
    errors: list[BaseException] = []
    stop = threading.Event()
    deadline = time.monotonic() + seconds

    def churn() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in range(200):
                _Finalized()
            gc.collect(0)  # the garbage goes as fast as it comes (no growth on a slow machine)
            time.sleep(0)  # let the parsing threads run

    def parse_many() -> None:
        try:
            for _ in range(parses):
                parse(SOURCE)
                if time.monotonic() > deadline:
                    break
        except BaseException as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)

    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    gc.set_threshold(100, 10, 1000)  # collect the young objects often, the old ones hardly ever
    gc.freeze()  # and never the test process's (a full collection of pytest's objects takes long)
    churner = threading.Thread(target=churn)
    workers = [threading.Thread(target=parse_many) for _ in range(threads)]
    try:
        churner.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
    finally:
        stop.set()
        churner.join(timeout=300)
        sys.setswitchinterval(interval)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    assert not any(w.is_alive() for w in workers + [churner]), "a thread hung"
    return errors


def test_parses_in_threads_beside_garbage_collection() -> None:
    """Run in a process of its own: in the test run's process (gigabytes of objects by then) each
    collection is slow, and on a loaded machine the stress took longer than any limit (it stalled
    a CI run for 10 minutes).  The time limit only stops a hang."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_parse_threads as t; from vetpy import astutil\n"
        "errors = t.stress(astutil.parse)\n"
        "print('errors:', [repr(e) for e in errors])\n"
        "sys.exit(1 if errors else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent)], capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    assert "errors: []" in proc.stdout


def test_the_lock_is_taken_on_the_affected_versions() -> None:
    version = sys.version_info[:3]
    affected = (3, 11) <= version < (3, 11, 8) or (3, 12) <= version < (3, 12, 2)
    assert astutil._SHARED_AST_DEPTH == affected
    assert hasattr(astutil._PARSE_LOCK, "acquire") == affected


WORKER_PROGRAM = {Path(p).resolve() for p in _WORKER_SOURCES}


def test_every_parse_in_the_server_goes_through_astutil() -> None:
    """``ast.parse``, ``compile`` and ``PyCF_ONLY_AST`` only in ``vetpy.astutil.parse``; the
    introspection worker and the environment probe run alone in processes of their own (and in
    the target interpreter, without vetpy)."""
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        if path.name == "_probe.py" or path in WORKER_PROGRAM:  # the worker's sources: one program of its own
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            of_ast = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ast"
            direct = (
                (of_ast and node.attr in ("parse", "PyCF_ONLY_AST"))  # type: ignore[attr-defined]
                or (isinstance(node, ast.Name) and node.id == "compile")
                or (isinstance(node, ast.ImportFrom) and node.module == "ast")
            )
            if direct:
                found.append(f"{path.relative_to(SERVER)}:{node.lineno}")
    assert len(found) == 1 and found[0].startswith("astutil.py:"), found  # the one in parse()
