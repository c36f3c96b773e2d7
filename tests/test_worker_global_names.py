"""The introspection worker's one lookup of the object a name in a function's code calls
(``_global_named``, _worker_passes.py): the callee a ``*args`` spread reaches
(_worker_spreads.py) and the ``with`` manager a wrapper passes its call through (_worker_passes.py).

Specification. A name (or dotted chain) is looked up the way Python does when the function runs:
- a local, parameter, cell or closure variable of the function: unknown (None);
- a name the function declares ``global`` and rebinds: unknown (its value when it runs);
- a name bound only in a nested function: not the function's; the global below;
- else the module's global of that name, else the builtin of that name (globals then builtins: the
  builtins fallback is right for both callers: a spread into ``dict(*args)`` takes at most one
  argument; a builtin is never a transparent ``with`` manager, as its ``__exit__`` is no Python code).
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import sys
import textwrap

import pytest

from vetpy.resolve.members import _worker_source

MODULE = '''
import contextlib

class Quiet:
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return None

def dict_spread(*args):
    return dict(*args)

def nested_binds(*args):
    def helper():
        dict = list
        return dict
    return dict(*args)

def declares_global(*args):
    global dict
    dict = list
    return dict(*args)

def local_shadow(*args):
    dict = make()
    return dict(*args)

def closure(make):
    def inner(*args):
        return make(*args)
    return inner

def shadows_builtin(*args):
    return set(*args)

def set(a, b, c):  # a module global named like a builtin wins over it
    return a

def with_quiet(path):
    with Quiet():
        return path

def with_open(path):
    with open(path):
        return path
'''


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("globals")
    (folder / "globalsmod.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        namespace = {"__name__": "vetpy_worker_under_test"}
        # the introspection program of vetpy itself, run here to test its functions: our own code
        exec(compile(_worker_source(), "worker", "exec"), namespace)  # vetpy: ignore[SEC003]
        yield namespace, importlib.import_module("globalsmod")
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("globalsmod", None)


def _named(worker, func_name, expr):
    namespace, mod = worker
    return namespace["_global_named"](getattr(mod, func_name), ast.parse(expr, mode="eval").body)


def test_builtin_after_globals(worker) -> None:
    assert _named(worker, "dict_spread", "dict") is builtins.dict
    assert _named(worker, "dict_spread", "Quiet") is worker[1].Quiet
    assert _named(worker, "shadows_builtin", "set") is worker[1].set
    assert _named(worker, "with_quiet", "contextlib.contextmanager") is __import__("contextlib").contextmanager


def test_locals_closures_and_rebound_globals_are_unknown(worker) -> None:
    assert _named(worker, "local_shadow", "dict") is None
    assert _named(worker, "declares_global", "dict") is None
    assert _named(worker, "closure", "make") is None  # a cell variable of `closure`
    assert _named(worker, "dict_spread", "no_such_name") is None
    namespace, mod = worker
    assert namespace["_global_named"](mod.closure(len), ast.parse("make", mode="eval").body) is None


def test_a_name_bound_only_in_a_nested_function_is_the_global(worker) -> None:
    assert _named(worker, "nested_binds", "dict") is builtins.dict


def _spreads(worker, func_name):
    namespace, mod = worker
    func = getattr(mod, func_name)
    return namespace["_spreads_of"](func, list(inspect.signature(func).parameters.values()), None)


def test_spreads_through_the_one_lookup(worker) -> None:
    assert _spreads(worker, "dict_spread") == {"spreads": 1}
    assert _spreads(worker, "nested_binds") == {"spreads": 1}
    assert _spreads(worker, "shadows_builtin") == {"spreads": 3}
    assert _spreads(worker, "declares_global") == {}
    assert _spreads(worker, "local_shadow") == {}


def test_with_managers_through_the_one_lookup(worker) -> None:
    namespace, mod = worker
    quiet = ast.parse(inspect.getsource(mod.with_quiet)).body[0].body[0].items[0].context_expr
    opened = ast.parse(inspect.getsource(mod.with_open)).body[0].body[0].items[0].context_expr
    assert namespace["_exit_lets_out"](mod.with_quiet, quiet, False) is True
    assert namespace["_exit_lets_out"](mod.with_open, opened, False) is False  # a builtin: no Python __exit__
