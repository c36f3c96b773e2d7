"""The language server does not keep installed modules' source trees between analyses.

``vetpy.environment.modules`` keeps the trees of the last few module files it parsed (an
analysis reads some modules several times in a row).  In the server, once an analysis is over,
what the trees were read for is kept in derived form (member and stub facts), and an edit
reads none of them again: on the editor benchmark's app the eight trees held ~7 MB of the
server's resident memory for nothing.  They are let go after each delivered result, in the
worker thread that collects the young generations (and when memory is given back)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetpy import trees
from vetpy.environment import modules
from vetpy.lsp.scheduler import collect_young, release_memory


@pytest.fixture(autouse=True)
def _as_in_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server keeps no tree in :mod:`vetpy.trees` (``create_server`` turns sharing off): the
    trees below are the module-source cache's only."""
    monkeypatch.setattr(trees, "SHARING", False)


def _kept(tmp_path: Path) -> Path:
    source = tmp_path / "installed_module.py"
    source.write_text("def f(x):\n    return x\n", encoding="utf-8")
    tree = modules.parse_module_file(source)
    assert tree is not None
    assert modules.parse_module_file(source) is tree  # kept: the same tree read twice
    return source


def test_forget_parsed_sources_drops_the_kept_trees(tmp_path: Path) -> None:
    source = _kept(tmp_path)
    kept = modules.parse_module_file(source)
    modules.forget_parsed_sources()
    again = modules.parse_module_file(source)
    assert again is not None and again is not kept  # parsed anew: nothing was kept


def test_collect_young_lets_the_kept_source_trees_go(tmp_path: Path) -> None:
    source = _kept(tmp_path)
    kept = modules.parse_module_file(source)
    collect_young()
    assert modules.parse_module_file(source) is not kept


def test_release_memory_lets_the_kept_source_trees_go(tmp_path: Path) -> None:
    source = _kept(tmp_path)
    kept = modules.parse_module_file(source)
    release_memory()
    assert modules.parse_module_file(source) is not kept


def test_the_server_limits_glibcs_heaps_unless_the_user_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    """``vetpy serve`` asks glibc for at most two heaps (arenas) for its threads; a
    ``MALLOC_ARENA_MAX`` in the environment is the user's choice and left alone."""
    import ctypes
    import platform
    import sys

    from vetpy.lsp import scheduler

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    assert scheduler.limit_malloc_arenas({}) is True
    assert calls == [(-8, scheduler.ARENAS)]  # M_ARENA_MAX
    assert scheduler.limit_malloc_arenas({"MALLOC_ARENA_MAX": "4"}) is False
    assert calls == [(-8, scheduler.ARENAS)]
    monkeypatch.undo()
    if sys.platform == "linux" and platform.libc_ver()[0] == "glibc":
        assert scheduler.limit_malloc_arenas({}) is True  # the real glibc accepts it


def test_forget_parsed_sources_says_whether_it_let_something_go(tmp_path: Path) -> None:
    _kept(tmp_path)
    assert modules.forget_parsed_sources() is True
    assert modules.forget_parsed_sources() is False  # nothing kept since: no heap trim after an edit
