"""Two receivers a type checker knows (issue 15, blind5's except-target and with-target misses):
the target of ``except E as exc`` is an instance of ``E`` or of a subclass (a tuple of classes:
one of them), bound only inside its handler; the target of ``with f() as x`` where ``f`` is a
``@contextlib.contextmanager`` generator of this file with no return annotation is what its
``yield`` gives.  Each beside the look-alike that runs: an attribute the exception class sets in
``__init__`` or that a subclass has, a handler of another class binding the same name, ``except*``
(the target is an ExceptionGroup), a generator that yields a parameter (unknown) or nothing.
Every "must flag" line raises AttributeError when run (``test_the_specification_runs``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

ERRLIB = '''
class BaseError(Exception):
    pass


class MarkedError(BaseError):
    def __init__(self, problem, mark=None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class DetailError(BaseError):
    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


class OtherError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class Invalid(ValueError):
    def errors(self):
        return [str(self)]
'''

CAUGHT = '''
import errlib


def marked():
    try:
        raise errlib.MarkedError("p")
    except errlib.MarkedError as exc:
        return exc.lineno


def marked_own():
    try:
        raise errlib.MarkedError("p")
    except errlib.MarkedError as exc:
        return exc.problem_mark, exc.args


def base_subclass_member():
    try:
        raise errlib.DetailError("d")
    except errlib.BaseError as exc:
        return exc.detail


def base_invented():
    try:
        raise errlib.DetailError("d")
    except errlib.BaseError as exc:
        return exc.line_number


def either_member():
    try:
        raise errlib.OtherError(3)
    except (errlib.MarkedError, errlib.OtherError) as exc:
        return exc.code


def either_invented():
    try:
        raise errlib.OtherError(3)
    except (errlib.MarkedError, errlib.OtherError) as exc:
        return exc.status


def same_name_twice():
    try:
        raise errlib.DetailError("d")
    except errlib.DetailError as exc:
        first = exc.detail
    try:
        raise errlib.OtherError(3)
    except errlib.OtherError as exc:
        return first, exc.code


ERRORS = (errlib.OtherError,)


def through_a_name():
    try:
        raise errlib.OtherError(3)
    except ERRORS as exc:
        return exc.code


def builtin_caught():
    try:
        raise errlib.Invalid("bad")
    except ValueError as exc:
        return exc.errors()


def grouped():
    try:
        raise errlib.OtherError(3)
    except* errlib.OtherError as group:
        found = group.exceptions
    return found
'''

CAUGHT_FLAGGED = ["9:HAL003", "30:HAL003", "44:HAL003"]

MANAGED = '''
import contextlib
import io


@contextlib.contextmanager
def counted():
    yield 3


@contextlib.contextmanager
def buffered():
    try:
        yield io.StringIO("x")
    finally:
        pass


@contextlib.contextmanager
def passthrough(value):
    yield value


@contextlib.contextmanager
def nothing():
    yield


@contextlib.contextmanager
def delegated():
    yield from counted_gen()


def counted_gen():
    yield 3


def use_counted():
    with counted() as n:
        n.close()


def use_buffered():
    with buffered() as b:
        return b.read()


def use_buffered_invented():
    with buffered() as b:
        b.reed()


def use_passthrough():
    with passthrough(io.StringIO()) as v:
        return v.getvalue()


def use_nothing():
    with nothing() as none:
        return none


def use_delegated():
    with delegated() as d:
        return d.bit_length()
'''

MANAGED_FLAGGED = ["40:HAL003", "50:HAL003"]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("errlib", ERRLIB)) as context:
        yield context


def test_except_target_is_an_instance_of_the_caught_class(ctx):
    assert hal_call_lines(ctx, CAUGHT) == CAUGHT_FLAGGED


def test_contextmanager_target_is_what_the_generator_yields(ctx):
    assert hal_call_lines(ctx, MANAGED) == MANAGED_FLAGGED


@pytest.mark.parametrize(("code", "flagged"), [(CAUGHT, CAUGHT_FLAGGED), (MANAGED, MANAGED_FLAGGED)])
def test_the_specification_runs(tmp_path, code, flagged):
    """Each flagged line raises AttributeError, every other function runs (errlib importable)."""
    (tmp_path / "errlib.py").write_text(textwrap.dedent(ERRLIB))
    (tmp_path / "snippet.py").write_text(textwrap.dedent(code))
    lines = [int(f.split(":")[0]) for f in flagged]
    probe = textwrap.dedent(f'''
        import inspect, snippet, traceback
        failed = []
        for name, fn in inspect.getmembers(snippet, inspect.isfunction):
            if fn.__module__ != "snippet" or name in ("counted", "buffered", "passthrough", "nothing", "delegated",
                                                      "counted_gen"):
                continue
            try:
                fn()
            except AttributeError as exc:
                failed.append(traceback.extract_tb(exc.__traceback__)[-1].lineno)
        print(sorted(failed))
    ''')
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(lines)
