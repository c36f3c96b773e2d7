"""A method a generic base class declares with its type variable (``-> Iterator[tuple[Hashable,
NDFrameT]]`` of pandas' ``BaseGroupBy``) returns, on an instance of a subclass that binds the
variable through its parametrised bases (``DataFrameGroupBy(GroupBy[DataFrame])``,
``GroupBy(BaseGroupBy[NDFrameT])``), what the variable is bound to: the receivers of chains and
loops over such instances are known (issue 15).  A subclass that leaves the variable unbound, or
binds it to something that is no class, gives nothing."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

GENERIC = '''
from typing import Any, Generic, Iterator, TypeVar

T = TypeVar("T")


class Frame:
    def total(self):
        return 0


class Base(Generic[T]):
    def first(self) -> T:
        raise NotImplementedError

    def __iter__(self) -> Iterator[tuple[str, T]]:
        return iter(())

    @property
    def last(self) -> T:
        raise NotImplementedError


class Middle(Base[T]):
    pass


class Frames(Middle[Frame]):
    pass


class Loose(Base):
    pass


class Anything(Base[Any]):
    pass
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"generic.py": GENERIC}) as context:
        yield context


def test_a_type_variable_bound_by_the_subclass_gives_its_class(ctx):
    assert hal_call_lines(ctx, """
        import generic
        frames = generic.Frames()
        frames.first().total()
        frames.first().totl()
        frames.last.totl
        for key, frame in frames:
            frame.total()
            frame.totl()
            key.upper()
    """) == ["5:HAL003", "6:HAL003", "9:HAL003"]


def test_an_unbound_or_any_type_variable_gives_nothing(ctx):
    assert hal_call_lines(ctx, """
        import generic
        generic.Loose().first().anything()
        generic.Anything().first().anything()
        generic.Base().first().anything()
        for key, frame in generic.Loose():
            frame.anything()
    """) == []
