"""Calls of compiled classes of installed packages whose runtime signature is unknown, checked
against the ``.pyi`` the package ships beside its compiled module (issue 15, blind3 corpus:
kiwisolver's ``Solver.addConstraint(c, "strong")``, ``FrozenList(1, 2, 3)``).  Like the standard
library's compiled classes (test_hal_compiled_stubs.py) but more cautiously: only more positional
arguments than the stub's method or constructor declares are reported (keywords stay open, every
parameter optional), and only a package's own stub counts, never typeshed's copy or a separate
stubs distribution.  Every flagged line raises TypeError at run time (proven below in the target
environment); the look-alikes run."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from test_hal_support import hal_call_lines, pinned_context, target_python

pytestmark = pytest.mark.slow

PINS = ("kiwisolver==1.5.1", "frozenlist==1.8.0", "pandas==2.3.3", "numpy==2.4.6")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory, PINS) as context:
        yield context


def _raises_type_error(line: str, prelude: str) -> bool:
    """Does ``line`` raise TypeError in the target environment (after ``prelude``)?"""
    code = textwrap.dedent(prelude) + f"\ntry:\n    {line}\nexcept TypeError:\n    print('TypeError')\n"
    out = subprocess.run([str(target_python(PINS)), "-c", code], capture_output=True, text=True, check=True).stdout
    return out.strip() == "TypeError"


PRELUDE = """
import kiwisolver
import pandas as pd
from frozenlist import FrozenList
x = kiwisolver.Variable("x")
solver = kiwisolver.Solver()
"""

FLAGGED = (
    'solver.addConstraint(x >= 1, "strong")',
    "FrozenList(1, 2, 3)",
    "pd.offsets.Week(1, False, 0, 5)",
    "pd.Interval(0, 1, 'left', 5)",
)

SILENT = (
    'solver.addConstraint((x >= 1) | "strong")',
    "solver.updateVariables()",
    "FrozenList([1, 2])",
    "FrozenList()",
    "pd.offsets.Week(1, False, 0)",
    "pd.offsets.Week(n=2, weekday=1)",
    "pd.Interval(0, 1, 'left')",
)


def test_the_flagged_calls_raise_and_the_look_alikes_run():
    for line in FLAGGED:
        assert _raises_type_error(line, PRELUDE), line
    for line in SILENT:
        assert not _raises_type_error(line, PRELUDE), line


def test_more_positional_arguments_than_the_package_stub_declares_are_reported(ctx):
    body = "\n".join(f"    {line}" for line in FLAGGED)
    assert hal_call_lines(ctx, PRELUDE + "\n\ndef use():\n" + body + "\n") == [
        "10:HAL005", "11:HAL005", "12:HAL005", "13:HAL005"]


def test_calls_the_stub_accepts_and_keywords_stay_silent(ctx):
    body = "\n".join(f"    {line}" for line in SILENT)
    assert hal_call_lines(ctx, PRELUDE + "\n\ndef use():\n" + body + "\n") == []


def test_an_annotated_receiver_and_an_inherited_constructor_stay_silent(ctx):
    # a subclass may take more (an annotated receiver may be of one); Day's constructor is
    # Tick's, which the stub declares on Tick: the class itself declares none
    assert hal_call_lines(ctx, """
        import kiwisolver
        import pandas as pd


        def use(solver: kiwisolver.Solver, x: kiwisolver.Variable):
            solver.addConstraint(x >= 1, "strong")
            return pd.offsets.Day(1, False)
    """) == []


def test_only_the_package_own_stub_declares_a_compiled_class(tmp_path):
    """A separate ``<pkg>-stubs`` distribution may describe another version than the one installed:
    its constructor and methods are never used for a compiled class; the package's own ``.pyi`` is."""
    import sys

    from vetpy.resolve.stubs import StubIndex

    stub = "class Solver:\n    def __init__(self, size: int = 0) -> None: ...\n    def add(self, item: int, /) -> None: ...\n"
    (tmp_path / "separate-stubs").mkdir()
    (tmp_path / "separate-stubs" / "__init__.pyi").write_text(stub)
    (tmp_path / "separate").mkdir()
    (tmp_path / "separate" / "__init__.py").write_text("")
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "__init__.pyi").write_text(stub)
    index = StubIndex([str(tmp_path)], frozenset(sys.stdlib_module_names), (3, 12))
    assert index.constructor("separate.Solver") is None
    assert index.compiled_method("separate.Solver", "add") is None
    assert index.constructor("own.Solver") is not None
    assert index.compiled_method("own.Solver", "add") is not None
