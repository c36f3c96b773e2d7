"""Keywords of a compiled callable whose runtime signature ends in ``**kwargs`` (numpy's
``ndarray.mean(axis, dtype, out, **kwargs)``): its stub says which keywords it takes, when no
def of it in the stub takes ``**kwargs`` (issue 15).  A Python function's ``**kwargs`` stay
the runtime's business (its source is read, never its stub), and an annotated receiver may be of
a subclass that overrides the method."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_call_lines, pinned_context, site_context
from vetpy.resolve.stubs import StubIndex

STUB = '''
import sys
from typing import overload

class Array:
    @overload
    def mean(self, axis: int | None = None, *, keepdims: bool = ...) -> float: ...
    @overload
    def mean(self, axis: int | None, dtype: type, *, where: bool = ...) -> float: ...
    if sys.version_info >= (3, 12):
        def total(self, __axis: int, *, initial: int = ...) -> int: ...
    def loose(self, **kwargs: object) -> None: ...

def zeros(shape: int, *, like: object = ...) -> Array: ...
'''


def test_the_keywords_of_every_def_of_a_stub(tmp_path):
    (tmp_path / "arraylib").mkdir()
    (tmp_path / "arraylib" / "__init__.pyi").write_text(textwrap.dedent(STUB))
    stubs = StubIndex([str(tmp_path)], frozenset())
    assert stubs.keywords("arraylib.Array.mean") == {"self", "axis", "dtype", "keepdims", "where"}
    assert stubs.keywords("arraylib.Array.total") == {"self", "initial"}  # `__axis`: by position only
    assert stubs.keywords("arraylib.zeros") == {"shape", "like"}
    assert stubs.keywords("arraylib.Array.loose") is None  # the stub takes any keyword too
    assert stubs.keywords("arraylib.Array.missing") is None
    assert stubs.keywords("otherlib.f") is None


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


@pytest.mark.slow  # a pinned virtual environment with the real package
def test_a_compiled_method_behind_kwargs_is_checked_by_its_stub(ctx):
    assert hal_call_lines(ctx, """
        import numpy as np
        x = np.array([[1.0, 2.0], [3.0, 4.0]])
        x.mean(axis=0, keepdim=True)
        x.mean(axis=0, keepdims=True, where=x > 0)
        x.sum(axis=0, initial=1, keepdims=True)
        x.max(axis=0, keepdims=True, initial=0)
        x.sum(axs=0)
    """) == ["4:HAL004", "8:HAL004"]


@pytest.mark.slow  # a pinned virtual environment with the real package
def test_an_annotated_receiver_may_be_a_subclass_with_other_keywords(ctx):
    assert hal_call_lines(ctx, """
        import numpy as np

        def f(x: np.ndarray):
            return x.mean(axis=0, keepdim=True)
    """) == []


PYLIB = '''
_seen = []


def opts(**kwargs):
    _seen.append(kwargs)
'''

PYLIB_STUB = '''
def opts(*, a: int = ...) -> None: ...
'''


@pytest.mark.slow
def test_a_python_function_behind_kwargs_is_not_judged_by_its_stub(tmp_path_factory):
    with site_context(tmp_path_factory, {"kwlib.py": PYLIB, "kwlib.pyi": PYLIB_STUB}) as context:
        assert hal_call_lines(context, """
            import kwlib
            kwlib.opts(b=1)
        """) == []
