"""Loop and unpacking receivers from installed generic classes (issue 15): what iterating an
instance of a package's generic class gives, when its declared types prove it (``for line in
ax.lines``: ``ArtistList[Line2D]``, whose class iterates its parameter).  Each beside the
look-alike that runs or is not proven: an unannotated or ``Any`` ``__iter__``, overloads, a
second base that may iterate otherwise, an ``__aiter__`` beside it, an instance made without its
type argument, a loop variable rebound to another object, a list of mixed items."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

GENLIB = '''
from collections.abc import Iterator, Sequence
from typing import Any, Generic, Self, TypeVar, overload

T = TypeVar("T")
K = TypeVar("K")


class Item:
    def ping(self) -> int:
        return 1


class Other:
    def pong(self) -> int:
        return 1

    def __iter__(self):
        return iter([])


class Bag(Generic[T]):
    def __init__(self, *items: T) -> None:
        self.items = list(items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


class Seq(Sequence[T]):
    def __init__(self, *items: T) -> None:
        self.items = list(items)

    def __getitem__(self, i):
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)


class Pair(Generic[K, T]):
    def __init__(self, key: K, *items: T) -> None:
        self.items = list(items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


class Cursor(Generic[T]):
    def __init__(self, *items: T) -> None:
        self.items = list(items)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        if not self.items:
            raise StopIteration
        return self.items.pop()


class Opaque(Generic[T]):
    def __iter__(self):
        return iter([Other()])


class Vague(Generic[T]):
    def __iter__(self) -> Iterator[Any]:
        return iter([Other()])


class Twice(Sequence[T], Other):
    def __getitem__(self, i):
        raise IndexError

    def __len__(self) -> int:
        return 0


class Both(Generic[T]):
    def __iter__(self) -> Iterator[T]:
        return iter([])

    def __aiter__(self):
        return self


class Loaded(Generic[T]):
    @overload
    def __iter__(self) -> Iterator[T]: ...
    @overload
    def __iter__(self, n: int) -> Iterator[Other]: ...
    def __iter__(self, n=0):
        return iter([])


def bag() -> Bag[Item]:
    return Bag(Item())


def seq() -> Seq[Item]:
    return Seq(Item(), Item())


def pair() -> Pair[Other, Item]:
    return Pair(Other(), Item())


def cursor() -> Cursor[Item]:
    return Cursor(Item())


def opaque() -> Opaque[Item]:
    return Opaque()


def vague() -> Vague[Item]:
    return Vague()


def twice() -> Twice[Item]:
    return Twice()


def both() -> Both[Item]:
    return Both()


def loaded() -> Loaded[Item]:
    return Loaded()


def untyped():
    return Bag(Other())
'''

# a package whose classes are described by its stub alone (the runtime's are not generic)
STUBLIB = '''
class Item:
    def ping(self):
        return 1


class Box(list):
    pass


def make():
    return Box([Item()])
'''

STUBLIB_STUB = '''
from typing import Sequence, TypeVar, overload

_T = TypeVar("_T")

class Item:
    def ping(self) -> int: ...

class Box(Sequence[_T]):
    @overload
    def __getitem__(self, i: int) -> _T: ...
    @overload
    def __getitem__(self, i: slice) -> list[_T]: ...
    def __len__(self) -> int: ...

def make() -> Box[Item]: ...
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"genlib/__init__.py": GENLIB, "genlib/py.typed": "",
                                           "stublib/__init__.py": STUBLIB, "stublib/__init__.pyi": STUBLIB_STUB}) as context:
        yield context


names = hal_call_lines


def test_a_generic_class_that_declares_what_it_iterates_gives_its_argument(ctx):
    assert names(ctx, """
        import genlib
        for x in genlib.bag():
            x.pnig()
        for x in genlib.seq():
            x.pnig()
        for k in genlib.pair():
            k.pong()
        for c in genlib.cursor():
            c.pnig()
    """) == ["4:HAL003", "6:HAL003", "8:HAL003", "10:HAL003"]


def test_the_elements_members_and_the_other_parameter_are_not_reported(ctx):
    assert names(ctx, """
        import genlib
        for x in genlib.bag():
            x.ping()
        for x in genlib.seq():
            x.ping()
        for k in genlib.pair():
            k.ping()
        for c in genlib.cursor():
            c.ping()
    """) == []


def test_unpacking_a_generic_sequence_gives_its_argument(ctx):
    assert names(ctx, """
        import genlib
        first, second = genlib.seq()
        second.pnig()
        first.ping()
    """) == ["4:HAL003"]


def test_a_stub_declares_the_iteration_of_a_class_the_runtime_does_not_parametrise(ctx):
    assert names(ctx, """
        import stublib
        for i in stublib.make():
            i.pnig()
        for i in stublib.make():
            i.ping()
    """) == ["4:HAL003"]


def test_an_iteration_that_is_not_declared_or_not_certain_is_unknown(ctx):
    assert names(ctx, """
        import genlib
        for x in genlib.opaque():
            x.pong()
        for x in genlib.vague():
            x.pong()
        for x in genlib.twice():
            x.pong()
        for x in genlib.both():
            x.pong()
        for x in genlib.loaded():
            x.pong()
        for x in genlib.untyped():
            x.pong()
    """) == []


def test_a_rebound_loop_variable_and_mixed_items_are_not_reported(ctx):
    assert names(ctx, """
        import genlib
        for x in genlib.bag():
            x = genlib.Other()
            x.pong()
        for y in genlib.bag():
            if y:
                y = genlib.Other()
            y.pong()
        for z in [genlib.Item(), genlib.Other()]:
            z.pong()
    """) == []


def test_an_annotated_generic_parameter_gives_its_argument(ctx):
    assert names(ctx, """
        import genlib

        def use(b: genlib.Bag[genlib.Item], o: genlib.Opaque[genlib.Item], p: "genlib.Pair[genlib.Other, genlib.Item]"):
            for x in b:
                x.pnig()
            for y in o:
                y.pong()
            for z in p:
                z.pnig()
                z.ping()
    """) == ["6:HAL003", "10:HAL003"]


def test_next_gives_the_next_element_or_the_default(ctx):
    assert names(ctx, """
        import genlib
        next(iter(genlib.bag())).pnig()
        next(genlib.cursor(), None).pnig()
        next(genlib.cursor(), genlib.Other()).pnig()
        next(genlib.cursor(), genlib.Other()).pong()
        next(genlib.opaque()).pong()
        next(iter([genlib.Item()])).ping()
    """) == ["3:HAL003", "4:HAL003", "5:HAL003"]


def test_an_index_gives_the_element_when_the_class_declares_it(ctx):
    assert names(ctx, """
        import genlib
        import stublib
        stublib.make()[0].pnig()
        stublib.make()[-1].ping()
        stublib.make()[1:].pnig()
        genlib.seq()[0].pong()
        genlib.bag()[0].pong()
    """) == ["4:HAL003"]
