"""An attribute a class binds to an instance of a descriptor class (pandas' ``DataFrame.index``, an
``AxisProperty`` compiled with Cython) reads, through an instance, as what the descriptor class's
``__get__`` is annotated to give there: its stub's (or typed source's) overloads whose instance
parameter is not ``None`` must all name the same class; a single ``def`` must name one class.  The
class is a lower bound (a subclass the package defines may be read).  Nothing is imported from the
project; the package's stub and source are read, the runtime decides membership (issue 15).

Must not be flagged: a name a subclass of the declared class has (``df.index.levels``: a
MultiIndex), the read through the class (the descriptor itself), a ``__get__`` whose instance
overloads disagree, that returns ``Any``, a type variable, ``Self``/the descriptor, or a union, and
a ``__get__`` with no annotation."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, pinned_context, run_with_package, site_context

pytestmark = pytest.mark.slow

PROPS = '''
class _Base:
    def __init__(self, axis=0):
        self.axis = axis

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        from frames.labels import Labels, MultiLabels
        return MultiLabels() if getattr(obj, "multi", False) else Labels()


class Axis(_Base):
    pass


class Mixed(_Base):
    pass


class Loose(_Base):
    pass


class Vague(_Base):
    pass


class Bare(_Base):
    pass


class Either(_Base):
    pass
'''

# The stub: `Index` imported from a module with no stub that imports it only for type checkers
PROPS_STUB = '''
from typing import Any, TypeVar, overload
from frames._typing import Frame, Labels
from frames.labels import MultiLabels

_T = TypeVar("_T")

class _Base:
    axis: int
    def __init__(self, axis: int = ...) -> None: ...

class Axis(_Base):
    @overload
    def __get__(self, obj: Frame, type: type) -> Labels: ...
    @overload
    def __get__(self, obj: None, type: type) -> Axis: ...

class Mixed(_Base):
    @overload
    def __get__(self, obj: Frame, type: type) -> Labels: ...
    @overload
    def __get__(self, obj: object, type: type) -> MultiLabels: ...
    @overload
    def __get__(self, obj: None, type: type) -> Mixed: ...

class Loose(_Base):
    def __get__(self, obj: object, type: type) -> _T: ...

class Vague(_Base):
    def __get__(self, obj: object, type: type) -> Any: ...

class Bare(_Base):
    def __get__(self, obj, type): ...

class Either(_Base):
    def __get__(self, obj: object, type: type) -> Labels | Either: ...
'''

TYPING = '''
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frames import Frame
    from frames.labels import Labels
'''

LABELS = '''
class Labels:
    def tolist(self):
        return []


class MultiLabels(Labels):
    def __init__(self):
        self.levels = []
'''

FRAMES = '''
from frames._props import Axis, Bare, Either, Loose, Mixed, Vague


class Frame:
    multi = False
    index = Axis(0)
    columns = Axis(1)
    mixed = Mixed()
    loose = Loose()
    vague = Vague()
    bare = Bare()
    either = Either()
'''

# A typed package (py.typed): its own source is its stub, the implementation after the overloads.
TYPED = '''
from typing import Any, overload


class Unit:
    def scale(self) -> float:
        return 1.0


class Field:
    @overload
    def __get__(self, obj: None, owner: Any) -> "Field": ...
    @overload
    def __get__(self, obj: object, owner: Any) -> Unit: ...
    def __get__(self, obj, owner):
        return self if obj is None else Unit()


class Plain:
    def __get__(self, obj: object, owner: Any = None) -> Unit:
        return Unit()


class Record:
    unit = Field()
    plain = Plain()
'''


# A class re-exported under another `__module__` (pandas' `set_module`) whose body first binds a
# function made in another file (`_get_string_slice = Index._get_string_slice` of TimedeltaIndex):
# its source is still found by a method of its own body, so what `__init__` sets is known.
RELABEL_BASE = '''
class Base:
    def shared(self):
        return 1
'''

RELABEL_IMPL = '''
from relabel._base import Base


class Late(Base):
    shared = Base.shared

    def __init__(self):
        self.size = 1


Late.__module__ = "relabel"
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    files = {"relabel/__init__.py": "from relabel._impl import Late\n", "relabel/_base.py": RELABEL_BASE,
             "relabel/_impl.py": RELABEL_IMPL,
             "frames/__init__.py": FRAMES, "frames/_props.py": PROPS, "frames/_props.pyi": PROPS_STUB,
             "frames/_typing.py": TYPING, "frames/labels.py": LABELS,
             "typedpkg/__init__.py": TYPED, "typedpkg/py.typed": ""}
    with site_context(tmp_path_factory, files) as context:
        yield context


def test_a_descriptor_reads_as_its_get_for_an_instance(ctx):
    assert hal_call_lines(ctx, """
        import frames
        frame = frames.Frame()
        frame.index.is_numeric()
        frame.columns.nope
        frame.index.tolist()
        frame.index.levels
        frames.Frame.index.axis
    """) == ["4:HAL003", "5:HAL003"]


def test_an_annotated_parameter_and_a_chain(ctx):
    assert hal_call_lines(ctx, """
        import frames

        def use(frame: frames.Frame):
            return frame.index.is_numeric()

        frames.Frame().columns.to_list()
    """) == ["5:HAL003", "7:HAL003"]


def test_undecided_gets_give_nothing(ctx):
    assert hal_call_lines(ctx, """
        import frames
        frame = frames.Frame()
        frame.mixed.nope()
        frame.loose.nope()
        frame.vague.nope()
        frame.bare.nope()
        frame.either.nope()
    """) == []


def test_a_typed_source_get(ctx):
    assert hal_call_lines(ctx, """
        import typedpkg
        record = typedpkg.Record()
        record.unit.scale()
        record.unit.scales()
        record.plain.scales()
        typedpkg.Record.unit.__get__
    """) == ["5:HAL003", "6:HAL003"]


def test_the_flagged_reads_raise_and_the_look_alikes_run(tmp_path):
    source = PROPS.replace("from frames.labels import Labels, MultiLabels", "") + LABELS + FRAMES.split("\n\n\n", 1)[1]
    assert "AttributeError" in run_with_package(tmp_path, "frames", source, """
        import frames
        def use():
            frames.Frame().index.is_numeric()
    """)
    assert run_with_package(tmp_path, "frames", source, """
        import frames
        def use():
            frame = frames.Frame()
            frame.multi = True
            frame.index.levels
            frame.index.tolist()
            frames.Frame.index.axis
    """) == ""


def test_a_relabelled_class_whose_body_binds_a_foreign_function_first(ctx):
    assert hal_call_lines(ctx, """
        import relabel
        late = relabel.Late()
        late.size
        late.shared()
        late.sizes
    """) == ["6:HAL003"]


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


def test_pandas_axis_properties(pinned):
    """`DataFrame.index` is an `AxisProperty` (compiled), whose stub's `__get__` gives an `Index`;
    `contains` (IntervalIndex), `levels` (MultiIndex), `year` and `tz_localize` (DatetimeIndex)
    belong to subclasses: not flagged."""
    assert hal_call_lines(pinned, """
        import pandas as pd

        def use(df: pd.DataFrame, s: pd.Series):
            df.index.is_numerical()
            df.index.contains(1)
            df.index.levels
            df.index.year
            df.index.tz_localize(None)
            df.columns.str.upper()
            s.index.nope_member
            pd.DataFrame.index.axis
    """) == ["5:HAL003", "11:HAL003"]
