"""Decorators that make a generator function a context manager as ``contextlib.contextmanager``
does, under another name (issue 15; OpenTelemetry's ``_agnosticcontextmanager``, behind
``tracer.start_as_current_span``): the ``with`` target is what the generator yields, when the
decorator's wrapper is read from its source to give ``K(func, args, kwargs)`` for the generator
function it wraps, ``K`` a subclass of contextlib's ``_GeneratorContextManager`` that keeps its
``__init__`` and whose ``__enter__`` returns only ``next(self.gen)``.  Every other wrapper, or a
class that enters another way, leaves the target unknown.  Every "must flag" line raises
AttributeError when run (``test_the_specification_runs``); every look-alike runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

MGRLIB = '''
import contextlib
import functools
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from nowhere import Missing

class Span:
    def set_attribute(self, key, value):
        self.key = key


class Other:
    def set_tag(self, key, value):
        return key


class Manager(contextlib._GeneratorContextManager):
    def __enter__(self):
        del self.args, self.kwds, self.func
        try:
            return next(self.gen)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None


class Inherited(contextlib._GeneratorContextManager):
    pass


class Extended(contextlib._GeneratorContextManager):
    def extra(self):  # a name a _GeneratorContextManager lacks: the result is not known as one
        return 1

    def __enter__(self):
        return next(self.gen)


class Elsewhere(contextlib._GeneratorContextManager):
    def __enter__(self):  # enters another way: gives another object
        next(self.gen)
        return Other()


def managed(func):
    @functools.wraps(func)
    def helper(*args, **kwargs):
        return Manager(func, args, kwargs)
    return helper


def inherited(func):
    @functools.wraps(func)
    def helper(*args, **kwargs):
        return Inherited(func, args, kwargs)
    return helper


def elsewhere(func):
    @functools.wraps(func)
    def helper(*args, **kwargs):
        return Elsewhere(func, args, kwargs)
    return helper


def extended(func):
    @functools.wraps(func)
    def helper(*args, **kwargs):
        return Extended(func, args, kwargs)
    return helper


def swapped(func):
    def other(*args, **kwargs):
        yield Other()

    @functools.wraps(func)
    def helper(*args, **kwargs):
        return Manager(other, args, kwargs)  # not the generator it wraps
    return helper


class Tracer:
    @managed
    def start(self, name) -> Iterator[Span]:
        yield Span()

    @inherited
    def begin(self, name) -> Iterator[Span]:
        yield Span()

    @elsewhere
    def other(self, name) -> Iterator[Span]:
        yield Span()

    @swapped
    def swapped(self, name) -> Iterator[Span]:
        yield Span()

    @extended
    def extended(self, name) -> Iterator[Span]:
        yield Span()

    @managed
    def typed(self, name: "Missing") -> Iterator["Span"]:  # a parameter annotation that does not evaluate
        yield Span()


@managed
def span() -> Iterator[Span]:
    yield Span()
'''

FLAGGED = """
from mgrlib import Tracer, span

with Tracer().start("a") as s1:
    s1.set_tag("k", "v")  # 5:HAL003
with Tracer().begin("a") as s2:
    s2.set_tag("k", "v")  # 7:HAL003
with span() as s3:
    s3.set_tag("k", "v")  # 9:HAL003
Tracer().start("a").set_tag  # 10:HAL003
with Tracer().typed("a") as s4:
    s4.set_tag("k", "v")  # 12:HAL003
"""

VALID = """
from mgrlib import Tracer, span

with Tracer().start("a") as s1:
    s1.set_attribute("k", "v")
with Tracer().other("a") as s2:
    s2.set_tag("k", "v")
with Tracer().swapped("a") as s3:
    s3.set_tag("k", "v")
with span() as s4:
    s4.set_attribute("k", "v")
Tracer().extended("a").extra()
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("mgrlib", MGRLIB)) as context:
        yield context


def test_the_target_of_a_manager_made_like_contextmanager_is_what_the_generator_yields(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["5:HAL003", "7:HAL003", "9:HAL003", "10:HAL003", "12:HAL003"]


def test_a_manager_that_enters_another_way_or_runs_another_generator_stays_unknown(ctx):
    assert hal_call_lines(ctx, VALID) == []


def test_the_specification_runs(tmp_path):
    (tmp_path / "mgrlib").mkdir()
    (tmp_path / "mgrlib" / "__init__.py").write_text(textwrap.dedent(MGRLIB))
    lines = textwrap.dedent(FLAGGED).splitlines()
    for n in (4, 6, 8, 10, 11):
        body = lines[n - 1] + "\n    try:\n    " + lines[n].split("#")[0] if n != 10 else \
            "if True:\n    try:\n        " + lines[n - 1].split("#")[0]
        program = "from mgrlib import Tracer, span\n" + body + \
                  "\n    except AttributeError:\n        pass\n    else:\n        raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
    subprocess.run([sys.executable, "-c", textwrap.dedent(VALID)], cwd=tmp_path, check=True)
