"""Two causes of missed hallucinations (issue 15, branch recall19a).

1. Calling an attribute that holds an object of a class that cannot be called
(blind4's ``ax.title("x")``: matplotlib's ``Axes.title`` is the ``Text`` that
``Axes.__init__`` makes, while ``plt.title`` is a function).

Reported (HAL005): ``obj.attr(...)`` when ``obj`` is an instance of an installed class made here
(not a lower bound), ``attr`` holds what the class's own code assigns (``self.title = Label()``),
an instance of exactly that class, and no class of its MRO defines ``__call__`` (calling an
instance looks ``__call__`` up on its type, so nothing stored on the instance can make it callable).

Silent look-alikes: a held object whose class defines ``__call__``; the held object's own methods;
a receiver known only from an annotation (a subclass may hold something else); an attribute
this file assigns (``p.title = print``); a property declared to return the class (a subclass of
it may be returned); a builtin data value stays the property check's (``resp.status_code()``).

2. What an installed class's instances hold is read from its methods, not from functions nested
in them or from the methods of classes nested in its body.

The introspection worker read every function under a class as a method, taking its first
parameter for the instance: pathlib's ``Path.resolve`` nests ``def check_eloop(e)`` (``e`` an
OSError, reading ``e.errno``, ``e.filename``), so every ``Path`` "had" ``filename`` and blind4's
``p.filename`` of ``Path.iterdir()`` went unreported.

Reported: names read or assigned only on another object by a nested function, and names that a
nested class's methods set on *their* instances.  Silent look-alikes: what a closure sets on
``self`` (``def cb(): self.started = True``), what a nested function given the instance sets
(``fill(self)`` with ``def fill(target): target.loaded = True``), what a nested function whose
first parameter is ``self`` sets (a method made by a decorator or a class method and installed
later), and the class's own members."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

PACKAGE = {
    "widgets/__init__.py": """
        class Label:
            def __init__(self):
                self.text = ""

            def set_text(self, text):
                self.text = text


        class Handler:
            def __call__(self, value):
                return value


        class Panel:
            def __init__(self):
                self.title = Label()
                self.handler = Handler()

            @property
            def caption(self) -> Label:
                return Label()
    """,
    "store/__init__.py": """
        class Store:
            def __init__(self):
                self.path = "x"

            def resolve(self):
                def check(err):
                    return err.errno, err.filename
                return check

            def start(self):
                def cb():
                    self.started = True
                return cb

            def load(self):
                def fill(target):
                    target.loaded = True
                fill(self)

            @classmethod
            def wrap(cls, fn):
                def inner(self, *args):
                    self.cache_slot = fn(self, *args)
                    return self.cache_slot
                return inner

            class Meta:
                def __init__(self):
                    self.ordering = []
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, PACKAGE) as context:
        yield context


def test_calling_an_attribute_holding_an_uncallable_object_is_reported(site):
    assert hal_call_lines(site, """
        from widgets import Panel


        def use():
            panel = Panel()
            panel.title("x")
            return Panel().title()
    """) == ["7:HAL005", "8:HAL005"]


def test_callable_held_objects_their_methods_annotations_and_assignments_stay_silent(site):
    assert hal_call_lines(site, """
        from widgets import Panel


        def use(given: Panel):
            panel = Panel()
            panel.handler("x")
            panel.title.set_text("x")
            given.title("x")
            panel.caption("x")
            other = Panel()
            other.title = print
            other.title("x")
    """) == []


def test_names_only_nested_functions_or_nested_classes_touch_are_reported(site):
    assert hal_call_lines(site, """
        from store import Store


        def use():
            store = Store()
            return store.filename, store.errno, store.ordering
    """) == ["7:HAL003", "7:HAL003", "7:HAL003"]


def test_closures_nested_functions_given_the_instance_and_nested_methods_stay_silent(site):
    assert hal_call_lines(site, """
        from store import Store


        def use():
            store = Store()
            return store.path, store.started, store.loaded, store.cache_slot, store.Meta
    """) == []
