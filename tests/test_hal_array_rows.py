"""Loop elements, unpacking and ``with`` targets whose type the installed package's own facts
prove (issue 15, branch recall20).

1. Iterating an array the package's stub declares of two dimensions or more gives arrays
(numpy's stub: ``eye -> ndarray[tuple[int, int], dtype[float64]]`` and the ``>= 2-d`` overload
of ``ndarray.__iter__ -> Iterator[ndarray[_AnyShape, DTypeT]]``), so ``row.norm()`` and
``row.tolist(1)`` are reported as on any array (proven in numpy 2.4 and 2.5: AttributeError /
TypeError).  Silent: real members of a row; a 1-d array (its elements are scalars of its dtype);
an array whose shape the stub leaves open (``zeros(shape)``, ``array(...)``, an annotated
``NDArray``); an array of objects; the elements of a row.

2. Look-alikes a reviewer accepts, whose element or target type is not certain, stay silent: the
``with`` target of a manager whose ``__enter__`` gives another object (annotated: that object is
checked instead) or, unannotated, what it was given; an untyped ``__iter__``; ``Iterator[Any]``; iterating a
tuple of mixed types (unpacking it gives each item its own type)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, pinned_context, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pinned(tmp_path_factory):
    with pinned_context(tmp_path_factory) as context:
        yield context


def test_a_missing_member_of_a_row_of_a_two_dimensional_array_is_reported(pinned):
    assert hal_call_lines(pinned, """
        import numpy as np


        def rows():
            out = []
            for row in np.eye(3):
                out.append(row.norm())
            for row2 in np.eye(2):
                out.append(row2.tolist(1))
            return out
    """) == ["8:HAL003", "10:HAL005"]


def test_rows_members_one_dimensional_open_shapes_and_objects_stay_silent(pinned):
    assert hal_call_lines(pinned, """
        import numpy as np
        from numpy.typing import NDArray


        def rows(shape, given: NDArray[np.float64], a, b):
            out = []
            for row in np.eye(3):
                out.append(row.sum() + row.tolist()[0])
                for value in row:
                    out.append(value.norm())
            for value in np.arange(3):
                out.append(value.norm())
            for part in np.zeros(shape):
                out.append(part.norm())
            for part in np.array([[1.0, 2.0]]):
                out.append(part.norm())
            for part in given:
                out.append(part.norm())
            for item in np.array([a, b], dtype=object):
                out.append(item.norm())
            return out
    """) == []


MANAGERS = one_package("managers", """
    import typing


    class Other:
        def other_only(self):
            return 1


    class Gives:
        def __enter__(self) -> Other:
            return Other()

        def __exit__(self, *exc):
            return False

        def own_only(self):
            return 2


    class Untyped:
        def __init__(self, value):
            self.value = value

        def __enter__(self):
            return self.value

        def __exit__(self, *exc):
            return False


    class Bag:
        def __iter__(self):
            return iter([Other()])


    class AnyBag:
        def __iter__(self) -> typing.Iterator[typing.Any]:
            return iter([Other()])


    def pair() -> typing.Tuple[int, str]:
        return 1, "a"
""")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with site_context(tmp_path_factory, MANAGERS) as context:
        yield context


def test_a_with_target_is_what_enter_gives_and_untyped_ones_stay_silent(site):
    assert hal_call_lines(site, """
        from managers import Bag, AnyBag, Gives, Untyped, pair


        def use():
            with Gives() as got:
                got.other_only()
                got.own_only()
            with Untyped(Other()) as loose:
                loose.missing()
            for item in Bag():
                item.missing()
            for item2 in AnyBag():
                item2.missing()
            for mixed in pair():
                mixed.upper()
            number, text = pair()
            return number.upper(), text.upper()
    """) == ["8:HAL003", "18:HAL003"]
