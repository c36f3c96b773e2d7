"""EDGE031/EDGE009 through the project's own helpers (vetpy.rules.edge.checking_helpers).

Specification (issue #20): the home-made ``get_object_or_404``, a helper of the project that raises
when its argument is None and otherwise returns it (``def found(obj, what="Not found"): if obj is
None: raise HTTPNotFound(what); return obj``), *checks* the lookup handed to it:
``unit = found(await Unit.get_or_none(id=pk))`` and ``found(unit, "Unit")`` leave a row, not
"may be None", whatever module the helper lives in.  A helper checks its parameter when every
path on which it is None raises before any return: ``if obj is None: raise``, ``if not obj:
raise``, ``if obj is None or obj.deleted: raise``, ``assert obj is not None``, ``if obj is not
None: return obj`` then ``raise``.

Still reported (the helper proves nothing): a helper that returns its argument without a check
(``def same(obj): return obj``), one that logs and returns, a call statement of such a helper.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

HELPERS = """\
import logging

logger = logging.getLogger(__name__)


class HTTPNotFound(Exception):
    pass


def found(obj, what="Not found"):
    if obj is None:
        raise HTTPNotFound(what)
    return obj


def present(obj):
    if not obj:
        raise HTTPNotFound()
    return obj


def live(obj, what="Not found"):
    if obj is None or obj.deleted:
        raise HTTPNotFound(what)
    return obj


def asserted(obj):
    assert obj is not None
    return obj


def or_404(obj):
    if obj is not None:
        return obj
    raise HTTPNotFound()


def same(obj):
    return obj


def logged(obj, what):
    if obj is None:
        logger.warning("no %s", what)
    return obj


def found_if_strict(obj, strict):
    if obj is None and strict:
        raise HTTPNotFound()
    return obj
"""

VIEWS = """\
from app import helpers
from app.helpers import asserted, found, live, logged, or_404, present, same
from app.models import Invoice, Unit


def here(obj):
    if not obj:
        raise KeyError("missing")
    return obj


async def checked(pk):
    unit = found(await Unit.get_or_none(id=pk))
    return unit.name


async def checked_by_truth(pk):
    unit = present(await Unit.get_or_none(id=pk))
    return unit.name


async def checked_or(pk):
    unit = live(await Unit.get_or_none(id=pk), "Unit")
    return unit.name


async def checked_by_assert(pk):
    unit = asserted(await Unit.filter(id=pk).get_or_none())
    return unit.name


async def checked_inverted(pk):
    unit = or_404(await Unit.get_or_none(id=pk))
    return unit.name


async def checked_through_module(pk):
    unit = helpers.found(await Unit.get_or_none(id=pk), what="Unit")
    return unit.name


async def checked_here(pk):
    unit = here(await Unit.get_or_none(id=pk))
    return unit.name


def checked_session(session, invoice_id):
    invoice = found(session.get(Invoice, invoice_id))
    return invoice.number


async def checked_statement(pk):
    unit = await Unit.get_or_none(id=pk)
    found(unit, "Unit")
    return unit.name


async def passed_through(pk):
    unit = same(await Unit.get_or_none(id=pk))
    return unit.name  # !


async def logged_and_returned(pk):
    unit = logged(await Unit.get_or_none(id=pk), "unit")
    return unit.name  # !


async def statement_of_a_helper_that_passes(pk):
    unit = await Unit.get_or_none(id=pk)
    same(unit)
    return unit.name  # !


async def statement_of_a_helper_that_logs(pk):
    unit = await Unit.get_or_none(id=pk)
    logged(unit, "unit")
    return unit.name  # !


def passed_session(session, invoice_id):
    invoice = same(session.get(Invoice, invoice_id))
    return invoice.number  # !
"""

MODELS = """\
class Unit:
    pass


class Invoice:
    pass
"""


def _project(tmp_path):
    return write(tmp_path, {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "",
                            "app/helpers.py": HELPERS, "app/models.py": MODELS, "app/views.py": VIEWS})


def test_a_helper_that_raises_on_none_checks_the_lookup_one_that_passes_it_through_does_not(tmp_path):
    root = _project(tmp_path)
    found = [f for f in check_file(root, "app/views.py", context_for(root)) if f.code in ("EDGE031", "EDGE009")]
    expected = [i + 1 for i, line in enumerate(VIEWS.splitlines()) if line.endswith("# !")]
    assert sorted(f.line for f in found) == expected
    assert {f.code for f in found} == {"EDGE031"}


def test_summaries():
    import ast

    from vetpy.rules.edge.checking_helpers import _summary

    tree = ast.parse(HELPERS)
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert {name: _summary(f, "obj") for name, f in funcs.items()} == {
        "found": "checks", "present": "checks", "live": "checks", "asserted": "checks", "or_404": "checks",
        "same": "passes", "logged": "passes", "found_if_strict": None,
    }
    rebinds = ast.parse("def f(obj):\n    if obj is None:\n        obj = make()\n    return obj\n").body[0]
    other = ast.parse("def f(obj):\n    if obj is None:\n        return default()\n    return obj\n").body[0]
    assert _summary(rebinds, "obj") is None and _summary(other, "obj") is None
