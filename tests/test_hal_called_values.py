"""Calling an attribute that holds an object of a class that cannot be called (issue 15, branch
recall19a; blind4's ``ax.title("x")``: matplotlib's ``Axes.title`` is the ``Text`` that
``Axes.__init__`` makes, while ``plt.title`` is a function).

Reported (HAL005): ``obj.attr(...)`` when ``obj`` is an instance of an installed class made here
(not a lower bound), ``attr`` holds what the class's own code assigns (``self.title = Label()``),
an instance of exactly that class, and no class of its MRO defines ``__call__`` (calling an
instance looks ``__call__`` up on its type, so nothing stored on the instance can make it callable).

Silent look-alikes: a held object whose class defines ``__call__``; the held object's own methods;
a receiver known only from an annotation (a subclass may hold something else); an attribute
this file assigns (``p.title = print``); a property declared to return the class (a subclass of
it may be returned); a builtin data value stays the property check's (``resp.status_code()``)."""

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
