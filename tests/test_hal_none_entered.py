"""HAL003 on an attribute read of a ``with`` target whose context manager's ``__enter__``
certainly returns None (issue 15): ``with np.errstate(divide="ignore") as state: state.divide``.
``__enter__`` is a plain method of an installed class, read from the package's own source: no
``return`` with a value, no ``yield``, no decorator, one definition; the manager is a call of that
class itself (not an annotated value or a factory's result: a subclass may return ``self``).
``None`` has no such attribute, so the read raises AttributeError every time it runs.

The look-alikes that run stay silent: an ``__enter__`` that returns ``self`` or may return a value
on some path, a subclass (in the package) that overrides it, a manager given by a factory or an
annotated parameter, the target rebound or tested before the read, a read under ``try/except
AttributeError``, a read in a nested function, dunders that ``None`` has."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

PACKAGE = '''
class Quiet:
    def __init__(self, level=0):
        self.level = level

    def __enter__(self):
        if self.level < 0:
            raise ValueError("negative")
        self.saved = self.level

    def __exit__(self, *exc):
        return None


class Loud(Quiet):
    def __enter__(self):
        return self


class Sometimes:
    def __init__(self, give=False):
        self.give = give

    def __enter__(self):
        if self.give:
            return self
        self.entered = True

    def __exit__(self, *exc):
        return None


class Gives:
    anything = 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class Inherits(Quiet):
    pass


def make(level=0) -> Quiet:
    return Loud(level)
'''

# re-exported through a star import (numpy._core's `from ._ufunc_config import *`); a class whose
# `__enter__` is replaced after the class statement is left alone
STAR_INIT = """
from ._impl import *
"""

STAR_IMPL = """
class Entered:
    __module__ = "starcm"  # (numpy's @set_module("numpy"))

    def __enter__(self):
        return

    def __exit__(self, *exc):
        return None


class Patched:
    level = 1

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        return None


def _enter(self):
    return self


Patched.__enter__ = _enter
"""

FLAGGED = '''
from cm import Inherits, Quiet
from starcm import Entered


def reads():
    with Quiet(1) as state:
        return state.level  # 8


def reads_later():
    with Quiet() as state:
        count = 1
        value = state.saved  # 14
    return value, count


def inherited():
    with Inherits() as state:
        return state.level  # 20


def star_exported():
    with Entered() as state:
        return state.level  # 25
'''

SILENT = '''
from cm import Gives, Quiet, Sometimes, Loud, make
from starcm import Patched


def patched_later():
    with Patched() as g:
        return g.level


def returns_self():
    with Gives() as g:
        return g.anything


def subclass_overrides():
    with Loud() as g:
        return g.level


def may_return():
    with Sometimes(True) as g:
        return g.give


def factory():
    with make() as g:
        return g.level


def annotated(q: Quiet):
    with q as g:
        return g.level


def rebound():
    with Quiet() as g:
        g = Gives()
        return g.anything


def tested():
    with Quiet() as g:
        if g is None:
            return 0
        return g.level


def caught():
    with Quiet() as g:
        try:
            return g.level
        except AttributeError:
            return None


def nested():
    with Quiet() as g:
        def later():
            return g.level
    return later


def dunder():
    with Quiet() as g:
        return g.__class__


def no_target():
    with Quiet():
        return 1
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"cm.py": PACKAGE, "starcm/__init__.py": STAR_INIT,
                                         "starcm/_impl.py": STAR_IMPL}) as context:
        yield context


def test_reads_of_a_target_entered_as_none_are_flagged(ctx) -> None:
    assert hal_call_lines(ctx, FLAGGED) == ["8:HAL003", "14:HAL003", "20:HAL003", "25:HAL003"]


def test_look_alikes_stay_silent(ctx) -> None:
    assert hal_call_lines(ctx, SILENT) == []


def _run(tmp_path, code: str, names: list[str]) -> dict[str, str]:
    (tmp_path / "cm.py").write_text(PACKAGE)
    (tmp_path / "starcm").mkdir(exist_ok=True)
    (tmp_path / "starcm" / "__init__.py").write_text(STAR_INIT)
    (tmp_path / "starcm" / "_impl.py").write_text(STAR_IMPL)
    script = textwrap.dedent(code) + textwrap.dedent(f'''
        import sys
        for name in {names!r}:
            try:
                globals()[name]()
                print(name, "ok")
            except AttributeError:
                print(name, "AttributeError")
    ''')
    out = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + script],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return dict(line.split() for line in out.splitlines())


def test_the_flagged_reads_raise_and_the_look_alikes_run(tmp_path) -> None:
    flagged = _run(tmp_path, FLAGGED, ["reads", "reads_later", "inherited", "star_exported"])
    assert set(flagged.values()) == {"AttributeError"}
    silent = _run(tmp_path, SILENT, ["patched_later", "returns_self", "subclass_overrides", "may_return", "factory", "rebound",
                                     "tested", "caught", "nested", "dunder", "no_target"])
    assert set(silent.values()) == {"ok"}
