"""A ``def`` function Cython compiles (``cython_function_or_method``) carries its Python signature:
Cython fills its ``__code__`` and defaults from the declaration it parses the arguments with, so
its arity and keywords are checked like a Python function's (issue 15, blind corpus
``np.random.seed(0, 1)``: ``seed(seed=None)`` takes one argument).  Beside the look-alikes that
run: the calls the signature accepts, methods of a compiled class bound to an instance, ``*args``."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, pinned_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


names = hal_call_lines


def test_a_cython_function_called_with_too_many_arguments_or_an_unknown_keyword(ctx):
    assert names(ctx, """
        import numpy as np
        from numpy.random import seed
        np.random.seed(0, 1)
        seed(0, 1)
        np.random.seed(sed=1)
    """) == ["4:HAL005", "5:HAL005", "6:HAL004"]


def test_calls_a_cython_signature_accepts_are_silent(ctx):
    assert names(ctx, """
        import numpy as np
        np.random.seed(0)
        np.random.seed(seed=0)
        np.random.seed()
        rng = np.random.default_rng(0)
        rng.integers(0, 10, size=3)
        rng.integers(0, 10, 3, np.int64, True)
        rng.normal(0.0, 1.0, size=(2, 2))
        np.random.RandomState(0).rand(2, 3, 4)
        np.random.rand(2, 3, 4)
        np.random.randint(0, 10, 5)
    """) == []
