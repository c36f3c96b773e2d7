"""A compiled descriptor of an installed class (numpy's ``ndarray.dtype``, a getset descriptor:
neither a function nor a property at run time) reads as what the package's stub declares it to
be, as a lower bound: a stub property ``-> _DTypeT_co`` with ``_DTypeT_co = TypeVar(...,
bound=dtype)`` gives a ``dtype`` or a subclass of it (issue 15: ``arr.dtype.is_integer()``).  A
name a loaded subclass has, a name read without a call on a class whose set is open to data, and
a type variable without a bound give no finding."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, pinned_context, site_context

pytestmark = pytest.mark.slow

# A descriptor class of its own stands in for a compiled getset descriptor: the worker sees it as
# neither a function nor a property ("other"); the stub beside the module declares what it gives.
ARRAYS = '''
class _Reader:
    def __init__(self, make):
        self.make = make

    def __get__(self, obj, cls=None):
        return self if obj is None else self.make()

    def __set__(self, obj, value):
        raise AttributeError("read-only")


class Kind:
    def describe(self):
        return "kind"


class IntKind(Kind):
    def bits(self):
        return 64


class Array:
    kind = _Reader(IntKind)
    loose = _Reader(IntKind)
'''

ARRAYS_STUB = '''
from typing import TypeVar

class Kind:
    def describe(self) -> str: ...

class IntKind(Kind):
    def bits(self) -> int: ...

_K = TypeVar("_K", bound=Kind)
_T = TypeVar("_T")

class Array:
    @property
    def kind(self) -> _K: ...
    @property
    def loose(self) -> _T: ...
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"arrays.py": ARRAYS, "arrays.pyi": ARRAYS_STUB}) as context:
        yield context


def test_a_descriptor_reads_as_the_bound_its_stub_declares(ctx):
    assert hal_call_lines(ctx, """
        import arrays
        arr = arrays.Array()
        arr.kind.describe()
        arr.kind.is_integer()
        arr.kind.bits()
        arr.loose.is_integer()
    """) == ["5:HAL003"]


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


def test_numpy_dtype_of_an_array(pinned):
    assert hal_call_lines(pinned, """
        import numpy as np
        arr = np.arange(3, dtype=np.int32)
        arr.dtype.is_integer()
        arr.dtype.kind
        arr.dtype.anything
        arr.dtype.newbyteorder()
    """) == ["4:HAL003"]
