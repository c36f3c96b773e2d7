"""Calls checked against what the callee's own code binds (issue 15): a decorator's wrapper that
does not pass every call on unchanged still takes only the parameters its own ``def`` lists (a
signature-matching wrapper such as SQLAlchemy's generated ``create_engine(url, **kwargs)``), so a
call with one positional too many fails before the wrapper runs.  Beside the look-alikes that run:
keywords into the wrapper's open ``**kwargs``, a ``(*args, **kwargs)`` wrapper, and a wrapper
whose ``__signature__`` says something else."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

WRAPPED = '''
import functools
import inspect


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


def declared(fn):
    @functools.wraps(fn)
    def wrapper(url, **kwargs):
        return fn(url, **kwargs)
    wrapper.__signature__ = inspect.Signature([
        inspect.Parameter("url", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("extra", inspect.Parameter.VAR_POSITIONAL)])
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


@declared
def connect_declared(url, *, echo=False):
    return url


class Store:
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
        wrapped.connect_declared("db://", True)
        wrapped.Store().get("k", default=None)
    """) == []
