"""Calls checked against what the callee's own code binds (issue 15): a decorator's wrapper that
does not pass every call on unchanged still takes only the parameters its own ``def`` lists (a
signature-matching wrapper such as SQLAlchemy's generated ``create_engine(url, **kwargs)``), so a
call with one positional too many fails before the wrapper runs.  Beside the look-alikes that run:
keywords into the wrapper's open ``**kwargs`` and a ``(*args, **kwargs)`` wrapper.  A wrapper
that hands ``args``/``kwargs`` to a module function that only reads them (to warn about some
argument) before passing the call on unchanged keeps the wrapped signature; one whose helper pops
a keyword does not."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

WRAPPED = '''
import functools


def _note(name):
    return name


def renamed_params(fn):
    @functools.wraps(fn)
    def wrapper(url, **kwargs):
        _note(url)
        kwargs.pop("legacy", None)
        return fn(url, **kwargs)
    return wrapper


def anything(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _note("call")
        return fn(*args[:1], **kwargs)
    return wrapper


def method_params(fn):
    @functools.wraps(fn)
    def wrapper(self, key, **kwargs):
        _note(key)
        return fn(self, key, **kwargs)
    return wrapper


@renamed_params
def connect(url, *, echo=False):
    return url


@anything
def connect_any(url, *, echo=False):
    return url


def _flagged(func, args, kwargs):
    names = func.__code__.co_varnames[: func.__code__.co_argcount]
    found = dict(zip(names, args))
    found.update(kwargs)
    return [k for k in found if k.startswith("x")]


def _strip(func, args, kwargs):
    kwargs.pop("legacy", None)
    return args


def looked_at(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if len(_flagged(fn, args, kwargs)) > 0:
            _note("experimental")
        return fn(*args, **kwargs)
    return wrapper


def stripped(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _strip(fn, args, kwargs)
        return fn(*args, **kwargs)
    return wrapper


@looked_at
def fetch(url, *, retries=0):
    return url


@stripped
def fetch_stripped(url, *, retries=0):
    return url


class Store:
    @looked_at
    def put(self, key, value, ex=None):
        return key

    @method_params
    def get(self, key, *, default=None):
        return default
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"wrapped.py": WRAPPED}) as context:
        yield context


def test_a_wrapper_call_with_a_positional_its_own_def_does_not_take(ctx):
    assert hal_call_lines(ctx, """
        import wrapped
        wrapped.connect("db://", True)
        wrapped.Store().get("k", None)
    """) == ["3:HAL005", "4:HAL005"]


def test_a_wrapper_keeps_its_open_keywords_and_wider_wrappers_stay_unchecked(ctx):
    assert hal_call_lines(ctx, """
        import wrapped
        wrapped.connect("db://", echo=True)
        wrapped.connect("db://", legacy=1)
        wrapped.connect_any("db://", True)
        wrapped.Store().get("k", default=None)
    """) == []


def test_a_wrapper_that_only_looks_at_the_call_before_passing_it_on_keeps_the_signature(ctx):
    assert hal_call_lines(ctx, """
        import wrapped
        wrapped.fetch("u", timeout=3)
        wrapped.Store().put("k", "v", expire=60)
        wrapped.fetch("u", retries=3)
        wrapped.Store().put("k", "v", ex=60)
    """) == ["3:HAL004", "4:HAL004"]


def test_a_wrapper_whose_helper_changes_the_keywords_stays_unchecked(ctx):
    assert hal_call_lines(ctx, """
        import wrapped
        wrapped.fetch_stripped("u", legacy=1)
    """) == []
