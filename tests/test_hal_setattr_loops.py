"""A ``setattr(self, name, ...)`` whose name is the variable of an enclosing ``for`` over string
literals sets only those names (issue 15, blind3 corpus: fontTools' ``TTFont.__init__`` runs
``for name in ("verbose", "quiet"): setattr(self, name, val)``, which left every instance open, so
``TTFont().get_glyph_order()``, a snake_case guess at ``getGlyphOrder``, went unreported).  Beside
the look-alikes that stay silent: the names the loop sets, a loop over a parameter (any name), and
a loop variable rebound before the ``setattr``.  The flagged line raises AttributeError at run time
and the look-alikes run (both proven below)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
class Font:
    def __init__(self, verbose=None, quiet=None):
        for name in ("verbose", "quiet"):
            setattr(self, name, locals().get(name))
        self.tables = {}

    def getGlyphOrder(self):
        return []


class Open:
    def __init__(self, names):
        for name in names:
            setattr(self, name, len)


class Rebound:
    def __init__(self):
        for name in ("a", "b"):
            name = name.upper()
            setattr(self, name, len)
'''

FLAGGED = '''
import fakefont


def use():
    return fakefont.Font().get_glyph_order()
'''

SILENT = '''
import fakefont


def use():
    font = fakefont.Font()
    font.getGlyphOrder()
    return font.verbose, font.quiet, font.tables, fakefont.Open(["count"]).count("x"), fakefont.Rebound().A("x")
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("fakefont", SOURCE)) as context:
        yield context


def _run(tmp_path, code: str) -> str:
    (tmp_path / "fakefont").mkdir(exist_ok=True)
    (tmp_path / "fakefont" / "__init__.py").write_text(SOURCE)
    script = textwrap.dedent(code) + "\ntry:\n    use()\nexcept AttributeError as e:\n    print('AttributeError', e)\n"
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + script],
                          capture_output=True, text=True, check=True).stdout


def test_the_flagged_line_raises_and_the_look_alikes_run(tmp_path):
    assert _run(tmp_path, FLAGGED).startswith("AttributeError")
    assert _run(tmp_path, SILENT) == ""


def test_a_name_no_literal_of_the_loop_sets_is_reported(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["6:HAL003"]


def test_the_looped_names_an_open_loop_and_a_rebound_variable_stay_silent(ctx):
    assert hal_call_lines(ctx, SILENT) == []
