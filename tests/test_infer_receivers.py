"""Receivers worked out deeper (issue 15): results of unannotated installed factories, a stub's
tuple form completing what the runtime reads only as ``tuple``, methods of this file's classes
annotated ``Self``; each beside the look-alike that runs (another class returned on some path,
a name rebound in the factory, a ``with`` target that is another object than the manager, an
attribute set with ``setattr`` after the class was built)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

FAKELIB = '''
class Handle:
    def read_all(self):
        return b""


class PubSub:
    def listen(self):
        return []


class Other:
    def shout(self):
        return "!"


class Late:
    pass


setattr(Late, "added_later", 1)


class Client:
    def pubsub(self, **kwargs):
        return PubSub(**kwargs)

    def maybe(self, flag):
        if flag:
            return None
        return PubSub()

    def mixed(self, flag):
        if flag:
            return PubSub()
        return Other()

    def rebinds(self):
        PubSub = Other
        return PubSub()

    def late(self):
        return Late()

    def nested(self, values):
        def key(v):
            return Other()  # a nested function's return: not this method's

        class Local:
            def make(self):
                return Other()

        sorted(values, key=lambda v: key(v).shout())
        return PubSub()

    def nested_shadow(self):
        def PubSub():
            return Other()

        return PubSub()

    def nested_generator(self):
        def gen():
            yield 1

        return PubSub()


def connect(url):
    return Client()


def stream():
    yield Client()


class Managed:
    def __enter__(self):
        return Handle()

    def __exit__(self, *exc):
        return False


class Plain:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass
'''

STUB = '''
from typing import Any
from plotlib.shapes import Figure
def pair(n: int) -> tuple[Figure, Any]: ...
'''

# the worker cannot evaluate the annotation (Figure is imported only for type checkers): it reads `tuple`
SOURCE = '''
from __future__ import annotations
from typing import TYPE_CHECKING, Any
if TYPE_CHECKING:
    from plotlib.shapes import Figure

def pair(n) -> tuple[Figure, Any]:
    from plotlib.shapes import Figure
    return Figure(), None
'''

SHAPES = '''
class Figure:
    def savefig(self, path):
        pass
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"fakelib.py": FAKELIB, "plotlib/__init__.py": SOURCE, "plotlib/__init__.pyi": STUB,
                                           "plotlib/shapes.py": SHAPES}) as context:
        yield context


names = hal_call_lines


def test_an_unannotated_factory_gives_what_it_builds(ctx):
    assert names(ctx, """
        import fakelib
        fakelib.Client().pubsub().lisen()
        fakelib.Client().maybe(1).lisen()
        fakelib.connect("u").pubsub().listen()
        fakelib.connect("u").pubsub_channel()
    """) == ["3:HAL003", "4:HAL003", "6:HAL003"]


def test_returns_of_functions_defined_inside_a_factory_are_not_its_own(ctx):
    assert names(ctx, """
        import fakelib
        fakelib.Client().nested([1]).lisen()
        fakelib.Client().nested_generator().lisen()
        fakelib.Client().nested([1]).listen()
        fakelib.Client().nested_shadow().shout()
        fakelib.Client().nested_shadow().anything()
    """) == ["3:HAL003", "4:HAL003"]


def test_a_factory_that_may_give_another_class_or_rebinds_the_name_is_unknown(ctx):
    assert names(ctx, """
        import fakelib
        fakelib.Client().mixed(1).shout()
        fakelib.Client().mixed(1).anything()
        fakelib.Client().rebinds().shout()
        for c in fakelib.stream():
            c.anything()
    """) == []


def test_attributes_set_after_the_class_was_built_exist(ctx):
    assert names(ctx, """
        import fakelib
        fakelib.Client().late().added_later
        fakelib.Late().added_later
    """) == []


def test_a_with_target_is_what_enter_returns(ctx):
    assert names(ctx, """
        import fakelib
        with fakelib.Managed() as h:
            h.read_all()  # the manager has no read_all: the target is the Handle
        with fakelib.Managed() as h:
            h.read_everything()
        with fakelib.Plain() as p:
            p.close()
        with fakelib.Plain() as p:
            p.closed_all()
    """) == ["6:HAL003", "10:HAL003"]


def test_a_stub_tuple_completes_the_runtime_tuple(ctx):
    assert names(ctx, """
        import plotlib
        fig, extra = plotlib.pair(1)
        fig.savefig("x.png")
        fig.save_figure("x.png")
        extra.anything()
    """) == ["5:HAL003"]


def test_a_method_annotated_self_gives_this_files_class(ctx):
    assert names(ctx, """
        from typing import Self
        import fakelib

        class Channel(fakelib.PubSub):
            @classmethod
            def open(cls) -> Self:
                ...

            def again(self) -> "Channel":
                ...

        Channel.open().listen()
        Channel.open().lisen()
        Channel.open().again().lisen()
    """) == ["14:HAL003", "15:HAL003"]


def test_self_of_a_class_subclassed_in_the_file_is_unknown(ctx):
    assert names(ctx, """
        from typing import Self
        import fakelib

        class Channel(fakelib.PubSub):
            @classmethod
            def open(cls) -> Self:
                ...

        class Loud(Channel):
            def shout(self):
                pass

        Channel.open().shout()
    """) == []


def test_a_cast_gives_what_it_names(ctx):
    assert names(ctx, """
        from typing import cast
        import fakelib

        def use(x):
            cast(fakelib.PubSub, x).listen()
            cast("fakelib.PubSub", x).lisen()
            cast("fakelib.PubSub | fakelib.Other", x).shout()
            cast(x, fakelib.PubSub).anything()
    """) == ["7:HAL003"]
