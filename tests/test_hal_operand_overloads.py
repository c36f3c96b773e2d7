"""HAL003 on the result of a binary operator whose method the stub declares as overloads (issue
15, blind5's ``datetime - datetime``): the overload that the right operand's class certainly
selects gives the result (``datetime.__sub__(value: Self) -> timedelta``), when exactly one
overload's operand annotation names that class, ``Self`` or a base of it and every other one
names only classes outside its ancestry that no instance can satisfy without inheriting them.
Each beside the look-alike that runs or is not proven: a real member of the result, a right
operand of another class (``datetime - timedelta``), a protocol annotation (an instance may
satisfy it structurally), two overloads that both take the operand, ``Self`` against a scalar,
and ``Timestamp - Timestamp`` (``pd.Timestamp("NaT")`` is ``NaT``: the operand is no certain
Timestamp, so nothing is chosen)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context, stubbed_package

pytestmark = pytest.mark.slow

RUNTIME = '''
class Span:
    def seconds(self):
        return 0.0


class Stamp:
    def __sub__(self, other):
        return Span() if isinstance(other, Stamp) else self


def _either(a, b):
    return a if isinstance(b, Span) else Span()


class Duck:
    def __sub__(self, other):
        return _either(self, other)


class Twice:
    def __sub__(self, other):
        return _either(self, other)
'''

STUB = '''
from typing import Protocol, overload

from typing_extensions import Self


class Span:
    def seconds(self) -> float: ...


class _HasSeconds(Protocol):
    def seconds(self) -> float: ...


class Stamp:
    @overload
    def __sub__(self, other: Self) -> Span: ...
    @overload
    def __sub__(self, other: Span | int) -> Self: ...


class Duck:
    @overload
    def __sub__(self, other: _HasSeconds) -> Self: ...
    @overload
    def __sub__(self, other: Duck) -> Span: ...


class Twice:
    @overload
    def __sub__(self, other: object) -> Span: ...
    @overload
    def __sub__(self, other: Twice) -> Self: ...
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    with site_context(tmp_path_factory, stubbed_package("ovlib", RUNTIME, STUB)) as context:
        yield context


def test_the_overload_the_right_operand_selects_gives_the_result(ctx):
    assert hal_call_lines(ctx, """
        import datetime

        from ovlib import Stamp


        def f():
            (Stamp() - Stamp()).nope()
            delta = datetime.datetime.now() - datetime.datetime(2020, 1, 1)
            delta.hours
            (datetime.date.today() - datetime.date(2020, 1, 1)).hours
    """) == ["8:HAL003", "10:HAL003", "11:HAL003"]


def test_results_that_are_not_certain_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import datetime

        from ovlib import Duck, Span, Stamp, Twice


        def f(stamp: Stamp):
            (Stamp() - Stamp()).seconds()
            (datetime.datetime.now() - datetime.datetime(2020, 1, 1)).total_seconds()
            (datetime.datetime.now() - datetime.timedelta(1)).nope()  # another class on the right
            (Stamp() - Span()).nope()
            (Stamp() - 1).nope()  # `Self` does not tell of an int
            (Duck() - Duck()).nope()  # a protocol may take it too
            (Twice() - Twice()).nope()  # two overloads take it
            (Stamp() - stamp).nope()  # annotated: a subclass may be given
    """) == []

