"""HAL003 on the result of a call whose stub overloads are chosen by the arguments' types (issue
15, blind5's ``with gzip.open(path, "wb") as fh``): the first overload that certainly takes the
call, when every one before it certainly does not, gives the result; and a stub class declared
in ``sys.version_info`` branches is the target Python's (``_io._IOBase.__enter__ -> Self`` gives
the ``with`` target of a ``GzipFile``).  Each beside the look-alike that runs or is not proven: an
argument of unknown type, a mode not known, a protocol parameter (an instance may satisfy it
without inheriting), an argument no overload takes, the real members of the result."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context, stubbed_package

pytestmark = pytest.mark.slow

RUNTIME = '''
class Left:
    def ping(self):
        return 1


class Right:
    def pong(self):
        return 1


def pick(x):
    return Left() if isinstance(x, int) else Right()


def wrap(target):
    return Left() if hasattr(target, "write") else Right()


def scale(x):
    return Left() if isinstance(x, (int, float)) else Right()
'''

STUB = '''
from typing import Protocol, overload


class Left:
    def ping(self) -> int: ...


class Right:
    def pong(self) -> int: ...


class _Sink(Protocol):
    def write(self, b: bytes, /) -> object: ...


@overload
def pick(x: int) -> Left: ...
@overload
def pick(x: str | bytes) -> Right: ...


@overload
def wrap(target: _Sink) -> Left: ...
@overload
def wrap(target: str) -> Right: ...


@overload
def scale(x: float) -> Left: ...
@overload
def scale(x: int | str) -> Right: ...
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    with site_context(tmp_path_factory, stubbed_package("pickers", RUNTIME, STUB)) as context:
        yield context


def test_the_overload_the_arguments_select_gives_the_result(ctx):
    assert hal_call_lines(ctx, """
        import gzip
        import os

        from pickers import pick


        def f():
            with gzip.open(os.path.join("d", "a.gz"), "wb") as fh:
                fh.nope()
            gzip.open("a.gz", "ab").nope()
            with gzip.GzipFile("a.gz", "wb") as raw:
                raw.nope()
            pick("s").ping()
            pick(7).pong()
    """) == ["10:HAL003", "11:HAL003", "13:HAL003", "14:HAL003", "15:HAL003"]


def test_overloads_not_certainly_chosen_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import gzip

        from pickers import pick, scale, wrap


        def f(path, mode, anything):
            with gzip.open(path, "wb") as fh:  # a path of unknown type: the first overload may not take it
                fh.nope()
            with gzip.open("a.gz", mode) as fh:
                fh.nope()
            with gzip.open("a.gz", "wb") as fh:
                fh.write(b"x")
                fh.flush()
            pick(anything).pong()
            pick(1.5).pong()  # no overload takes a float
            wrap("x").nope()  # a protocol first: a str is not certainly outside it
            pick("s").pong()
            pick(2).ping()
            scale(3).ping()  # an int stands for a float: the first overload takes it
    """) == []
