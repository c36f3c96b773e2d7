"""Calls of compiled standard-library classes whose runtime signature ``inspect`` cannot give
(``datetime.datetime``, ``datetime.timedelta``): the stub's one unconditional ``__new__`` /
``__init__`` of the class itself says what the call binds (issue 15: a missing required argument,
a keyword it does not take, too many positional arguments).  Beside the look-alikes that run:
valid calls, a class whose stub constructor is overloaded (``int``, ``dict``), and a subclass of
the project with its own ``__new__``."""

from __future__ import annotations

import datetime

import pytest

from test_hal_cascade import ctx, lines  # noqa: F401  (the fixture and the helper)

pytestmark = pytest.mark.slow

POSITIVE = """
import datetime


def build():
    start = datetime.date(2024, 1)
    step = datetime.timedelta(day=1)
    stamp = datetime.datetime(2024, 1, 2, 3, 4, 5, 6, None, 7)
    return start, step, stamp
"""

NEGATIVE = """
import datetime


class Day(datetime.date):
    def __new__(cls, ordinal):
        return super().__new__(cls, 2024, 1, ordinal)


def build():
    start = datetime.date(2024, 1, 2)
    step = datetime.timedelta(days=1, hours=2)
    stamp = datetime.datetime(2024, 1, 2, fold=1, tzinfo=None)
    number = int("ff", 16)
    table = dict(a=1)
    zone = datetime.timezone(datetime.timedelta(0), "UTC")
    return start, step, stamp, number, table, zone, Day(3)
"""


def test_a_compiled_class_is_called_with_its_stub_constructor(ctx):  # noqa: F811
    assert lines(ctx, POSITIVE) == ["6:HAL005", "7:HAL004", "8:HAL005"]


def test_valid_calls_overloaded_constructors_and_local_subclasses_are_left_alone(ctx):  # noqa: F811
    assert lines(ctx, NEGATIVE) == []
    # the look-alikes run; the mistakes do not
    datetime.date(2024, 1, 2), datetime.timedelta(days=1, hours=2), int("ff", 16), dict(a=1)
    datetime.datetime(2024, 1, 2, fold=1, tzinfo=None), datetime.timezone(datetime.timedelta(0), "UTC")
    with pytest.raises(TypeError):
        datetime.date(2024, 1)  # type: ignore[call-arg]
