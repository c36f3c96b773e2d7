"""What the installed code proves, not what its declarations say (issue #16, dask 2026.8 on
pandas 3 and numpy 2.4): a class whose ``__new__`` is Python code may make an instance of a
subclass (``pd.Index(periods)`` is a ``PeriodIndex``, ``pd.Grouper(freq=...)`` a ``TimeGrouper``);
an ``except TypeError:``/``except ValueError:`` after a call that the target accepts is the
fallback for other releases; a compiled function outside the standard library requires what its C
parser requires, not what its hand-written text signature says (``np.arange(stop=10)``), nor
takes only what its ``*`` and ``/`` say (``np.arange(0, 8, 1, np.float64)``, ``np.arange(start=1)``); an
``__array_function__`` dispatcher given arrays of another library returns theirs
(``np.tensordot(COO, COO)`` is a COO).  Each with the look-alike that is still reported."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, pinned_context, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pinned(tmp_path_factory):
    with pinned_context(tmp_path_factory) as context:
        yield context


SHAPES = {"shapes/__init__.py": """
    class Shape:
        def __new__(cls, *args, **kwargs):
            if kwargs.get("sides") == 4:
                cls = Square
            return super().__new__(cls)

        def __init__(self, sides=3):
            self.sides = sides

        def area(self):
            return 0


    class Square(Shape):
        def diagonal(self):
            return 1.4


    class Plain:
        def area(self):
            return 0


    class Fancy(Plain):
        def diagonal(self):
            return 1.4
"""}


def test_a_class_whose_new_is_python_code_is_a_lower_bound(tmp_path_factory):
    with site_context(tmp_path_factory, SHAPES) as ctx:
        assert hal_call_lines(ctx, """
            import shapes


            def square():
                return shapes.Shape(sides=4).diagonal()


            def held():
                s = shapes.Shape(sides=4)
                return s.diagonal()


            def nowhere():
                return shapes.Shape(sides=3).perimeter()


            def exact():
                return shapes.Plain().diagonal()
        """) == ["15:HAL003", "19:HAL003"]  # no subclass has `perimeter`; Plain() is a Plain


def test_pandas_index_and_grouper_are_lower_bounds(pinned):
    assert hal_call_lines(pinned, """
        import pandas as pd


        def periods(divisions, freq):
            return pd.Index(divisions).to_timestamp(freq=freq)


        def grouper(rule):
            g = pd.Grouper(freq=rule, closed="left")
            return g.closed, g.label


        def invented(divisions):
            return pd.Index(divisions).to_timestampz()
    """) == ["15:HAL003"]


def test_the_fallback_of_a_call_the_target_accepts_is_not_checked(pinned):
    assert hal_call_lines(pinned, """
        import pandas as pd


        def multi(levels, codes):
            try:
                return pd.MultiIndex(levels=levels, codes=codes)
            except TypeError:  # older pandas
                return pd.MultiIndex(levels=levels, labels=codes)


        def dates(start, freq):
            try:
                return pd.date_range(start=start, periods=2, freq=freq)
            except ValueError:
                return pd.DatetimeIndex([start], start=start, periods=2)
    """) == []


def test_a_handler_whose_try_may_fail_here_is_checked(pinned):
    assert hal_call_lines(pinned, """
        import pandas as pd


        def parsed(text, levels, codes):
            try:
                return int(text)
            except ValueError:
                return pd.MultiIndex(levels=levels, labels=codes)


        def rejected(levels, codes):
            try:
                return pd.MultiIndex(levels=levels, codez=codes)
            except TypeError:
                return pd.MultiIndex(levels=levels, labels=codes)


        def broad(levels, codes):
            try:
                return pd.MultiIndex(levels=levels, codes=codes)
            except Exception:
                return pd.MultiIndex(levels=levels, labels=codes)
    """) == ["9:HAL004", "16:HAL004", "23:HAL004"]


def test_a_compiled_third_party_function_requires_what_its_parser_requires(pinned):
    assert hal_call_lines(pinned, """
        import math

        import numpy as np


        def stops():
            return np.arange(stop=10), np.arange(stop=10, step=2)


        def invented():
            return np.arange(10, stopp=3)


        def standard_library(x, text):
            return math.copysign(x), "a-b".replace("-")
    """) == ["12:HAL004", "16:HAL005", "16:HAL005"]


def test_a_hand_written_star_and_slash_are_not_the_parsers(pinned):
    """matplotlib's quiver (numpy 2.4): ``np.arange(0, 8, 1, np.float64)`` runs although the text
    signature says ``*, dtype=None``, and ``np.arange(start=1, stop=5)`` runs although it says
    ``start_or_stop, /``: the C parser takes ``dtype`` by position and names its first parameter
    ``start``.  More arguments than the text names at all, or a keyword while every parameter
    before ``/`` is filled by position, still fail."""
    assert hal_call_lines(pinned, """
        import numpy as np


        def heptagon():
            return np.arange(0, 8, 1, np.float64), np.arange(start=1, stop=5)


        def too_many():
            return np.arange(0, 8, 1, np.float64, "cpu", None, 7)


        def invented(n):
            return np.arange(1, n, bogus=3), np.zeros(3, bogus=1)
    """) == ["10:HAL005", "14:HAL004", "14:HAL004"]


def test_an_array_function_dispatcher_returns_what_the_arguments_array_gives(pinned):
    assert hal_call_lines(pinned, """
        import numpy as np


        def sparse_product(x, y):
            return np.tensordot(x, y, axes=(2, 0)).todense()


        def dense_product():
            return np.tensordot([[1.0, 2.0]], [[3.0], [4.0]], axes=1).todense()
    """) == ["10:HAL003"]
