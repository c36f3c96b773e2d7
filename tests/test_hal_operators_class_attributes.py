"""HAL003 on the result of a binary operator (issue 15, blind4's ``(Path(tmp) / "a.txt").read_text(newline=)``):
``a / b`` gives what the left operand's ``__truediv__`` is declared to return, when Python is sure
to call it: the left operand is an instance of a class that is no builtin, and the right operand
is an instance of the same class or a builtin scalar.  Each beside the look-alike that runs or is
not proven: a builtin left operand (``2 * v`` is ``Vec.__rmul__``), a right operand of a subclass
whose reflected method Python tries first, an unknown right operand, overloads answering different
classes (``Stamp - Stamp`` is a ``Span``), an unannotated method, the real member of the result.

And HAL003 on a class attribute of a class of this file (issue 15, blind4's ``Settings.base.mkdirs()``
with ``base: ClassVar[Path] = Path(...)``): the attribute holds what its one plain assignment in
the body made.  Each beside the look-alike that runs or is not proven: a real member, an Enum
(its body's names become members), a decorated class (attrs' slots classes replace the attribute),
an installed base (pydantic's fields, SQLAlchemy's columns), a name assigned again anywhere in the
file (``self.base = ...``), ``setattr``, a descriptor (``staticmethod``, ``property``), ``None``."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

OPLIB = '''
from typing import overload


class Vec:
    def __add__(self, other: "Vec") -> "Vec":
        return self

    def __truediv__(self, other: str) -> "Vec":
        return self

    def __mul__(self, k: float) -> "Vec":
        return self

    def __rmul__(self, k: float) -> "Vec":
        return self

    def norm(self) -> float:
        return 0.0


class SubVec(Vec):
    def __radd__(self, other):
        return "text"


class Span:
    def seconds(self) -> float:
        return 0.0


class Stamp:
    @overload
    def __sub__(self, other: "Stamp") -> Span: ...
    @overload
    def __sub__(self, other: Span) -> "Stamp": ...
    def __sub__(self, other):
        return Span() if isinstance(other, Stamp) else self


class Loose:
    def __add__(self, other):
        return 1


class Wrapper:
    def __get__(self, obj, owner=None):
        return 1


class Plain:
    def ping(self) -> int:
        return 1
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    with site_context(tmp_path_factory, one_package("oplib", OPLIB)) as context:
        yield context


def test_the_left_operands_declared_result_is_checked(ctx):
    assert hal_call_lines(ctx, """
        import pathlib
        from oplib import Vec


        def f(tmp: str):
            (Vec() + Vec()).nope()
            (Vec() / "x").nope()
            total = Vec() * 2
            total.nope()
            (pathlib.Path(tmp) / "a.txt").nope()
    """) == ["7:HAL003", "8:HAL003", "10:HAL003", "11:HAL003"]


def test_real_members_of_the_result_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import pathlib
        from oplib import Vec


        def f(tmp: str):
            (Vec() + Vec()).norm()
            (Vec() * 2.5).norm()
            (pathlib.Path(tmp) / "a.txt").read_text()
    """) == []


def test_operations_whose_method_is_not_certain_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import datetime
        from oplib import Loose, Stamp, SubVec, Vec


        def f(v, k):
            (2 * Vec()).nope()  # int gives way to Vec.__rmul__: not the left operand's method
            (Vec() + SubVec()).nope()  # SubVec.__radd__ is tried first: it gives a str
            (Vec() + v).nope()  # v may be of such a subclass
            (Vec() * k).nope()
            (Stamp() - Stamp()).nope()  # overloads answering different classes
            (Stamp() - Stamp()).seconds()
            (Loose() + Loose()).nope()  # nothing declared
            (datetime.datetime.now() - datetime.datetime.now()).total_seconds()
            ("%s" % Vec()).upper()
    """) == []


def test_a_plain_class_attribute_holds_its_value(ctx):
    assert hal_call_lines(ctx, """
        import pathlib
        from typing import ClassVar, Final

        from oplib import Plain


        class Settings:
            base: ClassVar[pathlib.Path] = pathlib.Path("/tmp")
            other = pathlib.Path("/tmp")
            fixed: Final = Plain()


        def f():
            Settings.base.mkdirs()
            Settings().other.nope()
            Settings.fixed.pong()
    """) == ["15:HAL003", "16:HAL003", "17:HAL003"]


def test_real_members_and_uncertain_attributes_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import enum
        import pathlib
        from dataclasses import dataclass

        from oplib import Plain, Wrapper


        def helper():
            return 1


        class Settings:
            base = pathlib.Path("/tmp")
            moved = pathlib.Path("/tmp")
            twice = Plain()
            twice = pathlib.Path("/tmp")
            runner = staticmethod(helper)
            wrapped = Wrapper()
            empty = None

            def reset(self):
                self.moved = 1


        class Color(enum.Enum):
            RED = Plain()


        @dataclass
        class Record:
            path: pathlib.Path = pathlib.Path("/tmp")


        class Dynamic:
            value = Plain()


        setattr(Dynamic, "value", 1)


        def f():
            Settings.base.mkdir(exist_ok=True)
            Settings.moved.nope()  # assigned again in reset()
            Settings.twice.nope()
            Settings.runner.nope()
            Settings.wrapped.nope()  # a descriptor: reading it gives another object
            Color.RED.nope()  # an Enum member is a Color
            Record.path.nope()
            Dynamic.value.nope()
    """) == []
