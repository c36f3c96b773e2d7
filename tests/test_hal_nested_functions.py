"""What an installed class's instances hold is read from its methods, not from functions nested
in them or from the methods of classes nested in its body (issue 15, branch recall19a).

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
