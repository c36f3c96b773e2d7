"""A decorator's wrapper that passes every call either to the wrapped function or, unchanged, to a
second wrapper of the same function that only keeps the arguments for later (issue 15: Django's
``keep_lazy`` behind ``slugify`` and ``escape``: ``lazy_func(*args, **kwargs)`` when an argument is
lazy, ``func(*args, **kwargs)`` otherwise).  Either way the wrapped signature judges the call: a
keyword it rejects raises TypeError now, or when the lazy value is used.  The second wrapper must be
``functools.wraps``' copy of the same function, take only ``*args, **kwargs`` and hand both on
whole (never read a keyword out of them).  Every "must flag" line raises TypeError when run
(``test_the_specification_runs``); every look-alike runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

LAZYLIB = '''
import functools
import itertools


class Promise:
    pass


def lazy(func):
    class Proxy(Promise):
        def __init__(self, args, kw):
            self._args, self._kw = args, kw

        def __str__(self):
            return str(func(*self._args, **self._kw))

    @functools.wraps(func)
    def deferred(*args, **kw):
        return Proxy(args, kw)

    return deferred


def lazy_eating(func):  # consumes a keyword of its own: a lazy call may take `timeout`
    @functools.wraps(func)
    def deferred(*args, **kw):
        kw.pop("timeout", None)
        return func(*args, **kw)

    return deferred


def lazy_other(func):  # not a wrapper of the same function
    def deferred(*args, **kw):
        return (args, kw)

    return deferred


def keep_lazy(func):
    lazy_func = lazy(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if any(isinstance(arg, Promise) for arg in itertools.chain(args, kwargs.values())):
            return lazy_func(*args, **kwargs)
        return func(*args, **kwargs)

    return wrapper


def keep_eating(func):
    lazy_func = lazy_eating(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if any(isinstance(arg, Promise) for arg in itertools.chain(args, kwargs.values())):
            return lazy_func(*args, **kwargs)
        return func(*args, **kwargs)

    return wrapper


def keep_other(func):
    lazy_func = lazy_other(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if any(isinstance(arg, Promise) for arg in itertools.chain(args, kwargs.values())):
            return lazy_func(*args, **kwargs)
        return func(*args, **kwargs)

    return wrapper


@keep_lazy
def slug(value, allow_unicode=False):
    return value


@keep_eating
def eaten(value, allow_unicode=False):
    return value


@keep_other
def other(value, allow_unicode=False):
    return value
'''

FLAGGED = """
from lazylib import slug

slug("Hello World", separator="_")  # 4:HAL004
slug("a", False, 3)  # 5:HAL005
"""

VALID = """
from lazylib import Promise, eaten, other, slug

slug("Hello World", allow_unicode=True)
slug(value="x")
eaten(Promise(), timeout=3)  # the lazy path takes what the wrapped function rejects
other(Promise(), separator="_")  # the lazy path is no wrapper of the same function
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("lazylib", LAZYLIB)) as context:
        yield context


def test_a_call_kept_for_later_by_a_wrapper_of_the_same_function_is_checked(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["4:HAL004", "5:HAL005"]


def test_a_second_wrapper_that_reads_keywords_or_wraps_another_leaves_the_call_unchecked(ctx):
    assert hal_call_lines(ctx, VALID) == []


DEFERRED = """
from lazylib import Promise, slug

str(slug(Promise(), separator="_"))  # 4:HAL004
"""


def test_a_call_kept_for_later_fails_when_used_and_is_flagged_too(ctx):
    assert hal_call_lines(ctx, DEFERRED) == ["4:HAL004"]


def test_the_specification_runs(tmp_path):
    (tmp_path / "lazylib").mkdir()
    (tmp_path / "lazylib" / "__init__.py").write_text(textwrap.dedent(LAZYLIB))
    for line in textwrap.dedent(FLAGGED).splitlines()[3:]:
        program = "from lazylib import slug\ntry:\n    " + line.split("#")[0] + \
                  "\nexcept TypeError:\n    pass\nelse:\n    raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
    subprocess.run([sys.executable, "-c", textwrap.dedent(VALID)], cwd=tmp_path, check=True)
    program = textwrap.dedent(DEFERRED).replace('str(', 'try:\n    str(').split("#")[0] + "\nexcept TypeError:\n    pass\nelse:\n    raise SystemExit('ran')\n"
    subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
