"""Keywords through a decorator's wrapper that handles some keywords by name before passing the call
on (issue 15, blind5: pandas' ``deprecate_kwarg`` on ``pandas.testing.assert_frame_equal``, so
``assert_frame_equal(a, b, check_less_precise=True)`` raises TypeError; branch recall31).

The wrapper's signature is the wrapped function's when its code (read from source by the worker,
``_worker_keyed.py``) reads, pops, sets or deletes only keys the wrapped function takes (or None),
spreads ``*args`` only into the pass, and every return is the pass.  Look-alikes stay silent: a
wrapper that maps an old keyword to a new one accepts the old one, a wrapper that consumes a keyword
of its own, a pass inside ``try/except TypeError``, a wrapper that may return something else, and
valid keywords."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

PACKAGE = {
    "deco/__init__.py": """
        import warnings
        from functools import wraps


        def deprecate_kwarg(old_arg_name, new_arg_name):
            def decorate(func):
                @wraps(func)
                def wrapper(*args, **kwargs):
                    old = kwargs.pop(old_arg_name, None)
                    if old is not None:
                        warnings.warn("deprecated", FutureWarning)
                        if new_arg_name is None:
                            kwargs[old_arg_name] = old
                            return func(*args, **kwargs)
                        if kwargs.get(new_arg_name) is not None:
                            raise TypeError("both")
                        kwargs[new_arg_name] = old
                    return func(*args, **kwargs)
                return wrapper
            return decorate


        def consuming(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                if kwargs.pop("verbose", False):
                    print("calling")
                return func(*args, **kwargs)
            return wrapper


        def tolerant(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                try:
                    return func(*args, **kwargs)
                except TypeError:
                    return None
            return wrapper


        def maybe(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                if "dry" in kwargs:
                    return None
                return func(*args, **kwargs)
            return wrapper


        @deprecate_kwarg("by_blocks", None)
        @deprecate_kwarg("check_less_precise", "rtol")
        def compare(left, right, by_blocks=False, rtol=1e-5):
            return left == right


        @deprecate_kwarg("by_blocks", None)
        @deprecate_kwarg("exact", None)
        def frames(left, right, by_blocks=False, exact=False):
            return left == right


        @deprecate_kwarg("size", None)
        def sized(value, size=0):
            return value


        @consuming
        def quiet(value, scale=1):
            return value


        @tolerant
        def lenient(value, scale=1):
            return value


        @maybe
        def dry_run(value, scale=1):
            return value
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, PACKAGE) as context:
        yield context


def test_a_keyword_neither_the_wrapper_nor_the_function_takes_is_reported(site):
    assert hal_call_lines(site, """
        from deco import sized, frames


        def use(a, b):
            sized(a, width=3)
            frames(a, b, check_less_precise=True)
    """) == ["6:HAL004", "7:HAL004"]


def test_the_functions_own_keywords_and_the_wrappers_mapped_ones_stay_silent(site):
    assert hal_call_lines(site, """
        from deco import sized, compare, frames


        def use(a, b):
            sized(a, size=3)
            compare(a, b, by_blocks=True, rtol=0.1)
            compare(a, b, check_less_precise=True)  # the wrapper maps it to rtol: it runs
            compare(a, b, atol=0.1)  # raises, but the wrapper takes a name the function does not: unknown
            frames(a, b, by_blocks=True, exact=False)
            sized(a, 3)
    """) == []


def test_wrappers_that_consume_catch_or_may_skip_the_call_stay_silent(site):
    # (`quiet(a, colour=1)` and `dry_run(a, colour=1)` are reported by the forwarded-keywords
    # analysis of the wrapper's **kwargs, _forwarded in _worker_returns.py, before and after this)
    assert hal_call_lines(site, """
        from deco import quiet, lenient, dry_run


        def use(a):
            quiet(a, verbose=True)
            lenient(a, colour=1)
            dry_run(a, scale=2)
    """) == []


def test_a_keyword_that_only_a_membership_test_reads_before_an_early_return_stays_silent(site):
    assert hal_call_lines(site, """
        from deco import dry_run


        def use(a):
            dry_run(a, dry=True)
    """) == []


def test_a_keyword_the_membership_test_does_not_name_is_still_reported(site):
    # `if "dry" in kwargs: return None` handles `dry` only: `colour` reaches the function and raises
    assert hal_call_lines(site, """
        from deco import dry_run


        def use(a):
            dry_run(a, colour=1)
    """) == ["6:HAL004"]
