"""A decorator's wrapper that passes every call on inside a ``with`` block (issue 15: boto3's
``s3.upload_file`` behind botocore's ``with_current_context``): the wrapped signature is the
call's when the context manager cannot swallow what the wrapped function raises.  Keywords
forwarded through ``**kwargs`` are checked only where the callee's TypeError leaves the function
(no ``except`` that may catch it, no ``with`` whose ``__exit__`` may swallow it).  Every "must
flag" line raises TypeError when run (``test_the_specification_runs``); every look-alike runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

CTXLIB = '''
import contextlib
import functools

_depth = []
ENABLED = False


@contextlib.contextmanager
def scoped():
    _depth.append(1)
    try:
        yield
    finally:
        _depth.pop()


@contextlib.contextmanager
def forgiving():  # swallows what the body raises
    try:
        yield
    except Exception:
        pass


@contextlib.contextmanager
def returning():  # `finally: return` swallows it too
    try:
        yield
    finally:
        return


def in_scope(hook=None):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with scoped():
                if hook:
                    hook()
                return func(*args, **kwargs)
        return wrapper
    return decorator


def in_forgiving(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with forgiving():
            return func(*args, **kwargs)
    return wrapper


def in_returning(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with returning():
            return func(*args, **kwargs)
    return wrapper


def in_suppress(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with contextlib.suppress(TypeError):
            return func(*args, **kwargs)
    return wrapper


def in_closing(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with Closing():
            return func(*args, **kwargs)
    return wrapper


def in_scope_maybe(func):  # may end inside the block before passing the call on
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with scoped():
            if not ENABLED:
                return None
            return func(*args, **kwargs)
    return wrapper


@in_scope()
def upload(filename, bucket, key, extra=None):
    return key


@in_closing
def closed(filename, extra=None):
    return filename


@in_forgiving
def forgiven(filename, extra=None):
    return filename


@in_returning
def returned(filename, extra=None):
    return filename


@in_suppress
def suppressed(filename, extra=None):
    return filename


@in_scope_maybe
def maybe(filename, extra=None):
    return filename


def _post(url, timeout=None):
    return url


def send_guarded(url, **kw):  # a rejected keyword's TypeError is caught
    try:
        return _post(url, **kw)
    except TypeError:
        return None


def send_checked(url, **kw):  # catches what a TypeError is not
    try:
        return _post(url, **kw)
    except (KeyError, ValueError):
        return None


class Closing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed = True


class Muting:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def _forgive(method):
    @functools.wraps(method)
    def wrapper(*args):
        method(*args)
        return True
    return wrapper


class Decorated:  # its __exit__'s own source returns nothing; the wrapper returns True
    def __enter__(self):
        return self

    @_forgive
    def __exit__(self, *exc):
        self.closed = True


def send_decorated(url, **kw):
    with Decorated():
        return _post(url, **kw)


def send_closing(url, **kw):
    with Closing():
        return _post(url, **kw)


def send_muted(url, **kw):
    with Muting():
        return _post(url, **kw)


class Store:
    @in_scope()
    def put(self, filename, key, extra=None):
        return key
'''

FLAGGED = """
from ctxlib import Store, closed, send_checked, send_closing, upload

upload("f", "b", "k", content_type="text/plain")  # 4:HAL004
upload("f", "b", "k", None, 5)  # 5:HAL005
Store().put("f", "k", ContentType="text/plain")  # 6:HAL004
send_checked("u", retries=3)  # 7:HAL004
send_closing("u", retries=3)  # 8:HAL004
closed("f", None, 3)  # 9:HAL005
"""

VALID = """
from ctxlib import Store, forgiven, maybe, returned, send_decorated, send_guarded, send_muted, suppressed, upload

upload("f", "b", "k", extra={"a": 1})
Store().put("f", "k", extra=None)
forgiven("f", content_type="text/plain")
returned("f", content_type="text/plain")
suppressed("f", content_type="text/plain")
maybe("f", None, 3)  # may end before passing it on: the wrapped arity is not the call's
send_guarded("u", retries=3)
send_muted("u", retries=3)
send_decorated("u", retries=3)
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("ctxlib", CTXLIB)) as context:
        yield context


def test_a_call_passed_on_inside_blocks_that_let_its_error_out_is_checked(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["4:HAL004", "5:HAL005", "6:HAL004", "7:HAL004", "8:HAL004", "9:HAL005"]


def test_blocks_that_may_swallow_the_error_or_end_first_leave_the_call_unchecked(ctx):
    assert hal_call_lines(ctx, VALID) == []


def test_the_specification_runs(tmp_path):
    (tmp_path / "ctxlib").mkdir()
    (tmp_path / "ctxlib" / "__init__.py").write_text(textwrap.dedent(CTXLIB))
    for line in textwrap.dedent(FLAGGED).splitlines()[3:]:
        program = "from ctxlib import Store, closed, send_checked, send_closing, upload\ntry:\n    " + line.split("#")[0] + \
                  "\nexcept TypeError:\n    pass\nelse:\n    raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
    subprocess.run([sys.executable, "-c", textwrap.dedent(VALID)], cwd=tmp_path, check=True)
