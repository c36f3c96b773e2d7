"""Callables checked through what their installed code does (issue 15, scikit-learn's idioms):
a decorator's wrapper that binds the call to the wrapped function's signature before passing it
on (``validate_params``: ``signature(func).bind(*args, **kwargs)``), also after an
``if skip: return func(*args, **kwargs)``; a wrapper ``(self, *args, **kwargs)`` that passes ``self`` on first and may raise before;
the class an accessor descriptor makes per instance (pandas' ``Series.str``); a method whose every own ``return`` gives ``self``
while functions nested in it return other things (``fit``).  Each beside the look-alike that
runs: a wrapper binding another signature, or returning something else early; a method that
returns another object on some path."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

ESTIMATORS = '''
import functools
from inspect import signature


def _config():
    return {"skip": False}


def validate(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        skip = _config()["skip"]
        if skip:
            return func(*args, **kwargs)
        sig = signature(func)
        params = sig.bind(*args, **kwargs)
        params.apply_defaults()
        try:
            return func(*args, **kwargs)
        except ValueError:
            raise
    return wrapper


def other(*args, **kwargs):
    return args


def lenient(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        sig = signature(other)
        sig.bind(*args, **kwargs)
        return func(*args, **kwargs)
    return wrapper


def maybe(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _config()["skip"]:
            return None
        sig = signature(func)
        sig.bind(*args, **kwargs)
        return func(*args, **kwargs)
    return wrapper


@validate
def split(*arrays, test_size=None, shuffle=True):
    return list(arrays)


@lenient
def split_lenient(*arrays, test_size=None):
    return list(arrays)


@maybe
def split_maybe(*arrays, test_size=None):
    return list(arrays)


def forbid_bytes(func):
    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        if self._kind == "bytes":
            raise TypeError("not for bytes")
        return func(self, *args, **kwargs)
    return wrapper


def swap_first(func):
    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        self = self._other
        return func(self, *args, **kwargs)
    return wrapper


class StringMethods:
    def __init__(self, data):
        self._data = data
        self._kind = "str"
        self._other = self

    @forbid_bytes
    def contains(self, pat, case=True):
        return [pat in x for x in self._data]

    @swap_first
    def find(self, sub):
        return 0


class Made:
    def __new__(cls, data):
        return StringMethods(data)


class Accessor:
    def __init__(self, name, accessor):
        self._name = name
        self._accessor = accessor

    def __get__(self, obj, cls):
        if obj is None:
            return self._accessor
        return self._accessor(obj)


class Series:
    str = Accessor("str", StringMethods)
    made = Accessor("made", Made)

    def __init__(self, data):
        self.data = data


class Model:
    def fit(self, X):
        def scale(b):
            return b * 2
        self.coef_ = scale(X)
        return self

    def score(self, X, y, sample_weight=None):
        return 1.0


class Odd:
    def fit(self, X):
        if X:
            return Model()
        return self
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"estimators.py": ESTIMATORS}) as context:
        yield context


def keyword_lines(ctx, code: str) -> list[str]:
    return hal_call_lines(ctx, code)


def test_a_wrapper_that_binds_the_wrapped_signature_is_checked_by_it(ctx):
    assert keyword_lines(ctx, """
        import estimators
        estimators.split([1], [2], test_ratio=0.5)
        estimators.split([1], [2], test_size=0.5, shuffle=False)
    """) == ["3:HAL004"]


def test_a_wrapper_binding_another_signature_or_returning_early_is_not(ctx):
    assert keyword_lines(ctx, """
        import estimators
        estimators.split_lenient([1], test_ratio=0.5)
        estimators.split_maybe([1], test_ratio=0.5)
    """) == []


def test_a_method_returning_self_while_its_nested_functions_return_other_things(ctx):
    assert keyword_lines(ctx, """
        import estimators
        model = estimators.Model().fit(1)
        model.score(1, 2, average="macro")
        model.score(1, 2, sample_weight=None)
        model.predict_proba(1)
        estimators.Odd().fit(1).anything()
    """) == ["4:HAL004", "6:HAL003"]


def test_an_accessor_gives_what_it_makes_and_a_raising_wrapper_keeps_the_signature(ctx):
    assert keyword_lines(ctx, """
        import estimators
        s = estimators.Series(["a"])
        s.str.contains("a", ignorecase=True)
        s.str.contains("a", case=False)
        s.str.lowercase()
        s.made.anything()
        s.str.find("a", start=1)
    """) == ["4:HAL004", "6:HAL003", "7:HAL003", "8:HAL004"]
    # `Made.__new__` returns a StringMethods (recall28: the class a `__new__` picks is followed,
    # test_hal_dispatched_accessors.py): StringMethods has no `anything`, so line 7 raises
    # `swap_first` rebinds `self` but passes `*args, **kwargs` on unchanged to the one function it
    # wraps (its closure variable), so `start=` reaches `find(self, sub)` and raises TypeError: the
    # wrapper's own source settles it (recall6; it was left open before)
