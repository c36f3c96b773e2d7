"""``**kwargs`` copied before it is passed on (``kwargs = kwds.copy()``, ``dict(kwds)``) keeps the
keywords of the callees the copy reaches (issue 15, recall30).

scipy's ``_workers_wrapper`` (around ``least_squares``, which ``curve_fit`` calls with its own
``**kwargs``) runs ``kwargs = kwds.copy()``, sets ``kwargs["workers"]`` and calls the wrapped
function with ``**kwargs``: the copy holds the caller's keys, so a keyword that the wrapped function
does not take raises TypeError (``curve_fit(f, x, y, max_iter=200)``): reported (HAL004).

Look-alikes stay silent (each runs): the callee's keywords; a copy that is also handed on some
other way (to a function taking the dict positionally, which may take keys out), or bound again; a
dict read apart from the copy as well."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, run_with_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
import functools


def _workers_wrapper(func):
    @functools.wraps(func)
    def inner(*args, **kwds):
        kwargs = kwds.copy()
        if "workers" not in kwargs:
            kwargs["workers"] = None
        return func(*args, **kwargs)

    return inner


@_workers_wrapper
def solve(fun, x0, tol=1e-8, workers=None):
    return x0


def fit(f, x, **kwds):
    options = dict(kwds)
    return solve(f, x, **options)


def _record(options):
    options.pop("verbose", None)


def handed(x, **kwds):
    options = kwds.copy()
    _record(options)
    return solve(None, x, **options)


def rebound(x, **kwds):
    options = kwds.copy()
    options = {"tol": 1.0}
    return solve(None, x, **options)


def twice(x, **kwds):
    options = kwds.copy()
    if "verbose" in kwds:
        del options["verbose"]
    return solve(None, x, **options)
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("copying", SOURCE)) as context:
        yield context


def test_a_keyword_the_callee_of_the_copy_does_not_take_is_reported(site):
    assert hal_call_lines(site, """
        from copying import fit, solve


        def use():
            print(solve(None, 1, max_iter=200))
            return fit(None, 1, max_iter=200)
    """) == ["6:HAL004", "7:HAL004"]


def test_the_callees_keywords_and_copies_used_otherwise_stay_silent(site):
    assert hal_call_lines(site, """
        from copying import fit, handed, rebound, solve, twice


        def use():
            print(solve(None, 1, tol=1.0, workers=map), fit(None, 1, tol=2.0))
            print(handed(1, verbose=True), rebound(1, anything=1), twice(1, verbose=True))
    """) == []


def test_the_reported_call_raises_and_the_look_alikes_run(tmp_path):
    out = run_with_package(tmp_path, "copying", SOURCE, """
        from copying import fit, handed, rebound, solve, twice

        def use():
            print(solve(None, 1, tol=1.0, workers=map), fit(None, 1, tol=2.0))
            print(handed(1, verbose=True), rebound(1, anything=1), twice(1, verbose=True))
            try:
                fit(None, 1, max_iter=200)
            except TypeError as exc:
                print("TypeError", exc)
    """)
    assert out.splitlines()[-1] == "TypeError solve() got an unexpected keyword argument 'max_iter'"
