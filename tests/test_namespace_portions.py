"""Issue 16: a missing portion of an installed namespace package is a distribution not installed.

pyramid's ``Configurator.hook_zca`` does ``from zope.component import getSiteManager`` inside the
method: ``zope`` is a PEP 420 namespace package (no ``__init__.py``) that ``zope.interface`` and
``zope.deprecation`` put in site-packages, and ``zope.component`` is a PyPI project of its own
that only users of that method install.  Imported inside a function, it is an optional tool, as a
missing top-level module there is.  Still reported: the same import at module level, a misspelled
portion (``zope.interfaces`` next to the installed ``zope.interface``), a missing submodule of a
regular package, and a missing module of the project's own namespace folder.
"""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import site_context
from vetpy.engine import check_source

SITE = {
    "nsco/widgets/__init__.py": "def make():\n    return 1\n",  # a namespace portion: no nsco/__init__.py
    "regular/__init__.py": "",
    "regular/core.py": "X = 1\n",
}


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, SITE) as context:
        yield context


def _imports(ctx, code: str, name: str = "app.py"):
    path = ctx.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(code).lstrip("\n")
    path.write_text(text)
    return [(f.line, f.message) for f in check_source(text, str(path), ctx) if f.code == "HAL001"]


def test_a_missing_portion_imported_inside_a_function_is_an_optional_tool(ctx):
    assert _imports(ctx, """
        import nsco.widgets

        def hook():
            from nsco.printing import print_label
            return print_label(nsco.widgets.make())

        def other():
            import nsco.extras.plugin
            return nsco.extras.plugin
    """) == []


def test_look_alikes_are_still_reported(ctx):
    (ctx.root / "tools").mkdir(exist_ok=True)
    (ctx.root / "tools" / "present.py").write_text("helper = 1\n")  # the project's namespace folder
    found = _imports(ctx, """
        from nsco.printing import print_label

        def hook():
            from nsco.widget import make
            from regular.cores import X
            from tools.missing import helper
            return make, X, helper, print_label
    """, "look.py")
    assert [line for line, _message in found] == [1, 4, 5, 6], found
    assert "no submodule `printing`" in found[0][1]
    assert "`nsco.widgets`" in found[1][1]  # a misspelling of the installed portion: named
    assert "no submodule `cores`" in found[2][1]
