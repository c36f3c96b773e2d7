"""A ``setattr(self, name, ...)`` whose name is built only from string literals sets only those
names (issue 15, blind5 corpus: pandas' ``Styler.hide`` runs ``setattr(self, f"hide_{objs}_", ...)``
with ``objs`` bound to ``"index"`` or ``"columns"``, ``Styler.use`` ``setattr(self, "hide_" + obj +
"_", ...)`` in a loop over literals, and ``Styler.clear`` copies the attributes of a fresh
``Styler``; every instance was open, so ``df.style.hide_index()`` and ``df.style.applymap(f)``
went unreported).  Also ``Query._statement_20``'s ``Select._create_raw_select(**self.__dict__)``
only reads the instance's ``__dict__``, and SQLAlchemy's ``HasMemoized`` (in the MRO of ``Query``)
writes ``self.__dict__[key]`` in ``_set_memoized_attribute(self, key, value)``, which its package
calls only with literals, and ``self.__dict__[fn.__name__]`` in the wrapper of a memoizing
decorator (the decorated method's own name).

Look-alikes that must stay silent: the names those writes set, a name whose suffix is a
parameter, a local that may also hold a parameter's value, attributes copied from an object of
another kind, a ``__dict__`` written under a parameter's name, a private method its package
calls with a computed name, and a module-level function stored under its ``__name__``.  The flagged lines raise
AttributeError at run time and the look-alikes run (both proven below)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, run_with_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
class Styler:
    def __init__(self, data, uuid=None):
        self.data = data
        self.uuid = uuid
        self.hide_index_ = False
        self.hide_columns_ = False

    def hide(self, axis=0, names=False):
        if axis == 0:
            obj, objs, alt = "index", "index", "rows"
        else:
            obj, objs, alt = "column", "columns", "columns"
        if names:
            setattr(self, f"hide_{obj}_names", [True])
            return self
        setattr(self, f"hide_{objs}_", [True])
        setattr(self, "hidden_" + alt, [])
        return self

    def use(self, styles):
        for obj in ["index", "columns"]:
            setattr(self, "hide_" + obj + "_", [styles.get(obj)])
        return self

    def clear(self):
        clean = Styler(self.data, uuid=self.uuid)
        for attr in [a for a in clean.__dict__ if not callable(a)]:
            setattr(self, attr, getattr(clean, attr))


class Query:
    def __init__(self, **kw):
        self.kw = kw

    def again(self):
        return Query(**self.__dict__)


class Prefixed:
    def __init__(self, kind):
        setattr(self, "on_" + kind, len)


class Rebound:
    def __init__(self, kind, flag):
        name = "a"
        if flag:
            name = kind
        setattr(self, "x_" + name, len)


class Copied:
    def __init__(self, other):
        for attr in dir(other):
            if not attr.startswith("_"):
                setattr(self, attr, getattr(other, attr))


class Forwarded:
    def fill(self, name):
        self.__dict__[name] = len


class Memo:
    def _set_memoized_attribute(self, key, value):
        self.__dict__[key] = value

    @classmethod
    def memoized_instancemethod(cls, fn):
        def oneshot(self, *args, **kw):
            result = fn(self, *args, **kw)

            def memo(*a, **kw):
                return result

            self.__dict__[fn.__name__] = memo
            return result

        return oneshot

    def load(self, row):
        self._set_memoized_attribute("_row_getter", row)
        return self


class Cached(Memo):
    @Memo.memoized_instancemethod
    def total(self):
        return 3


class Installer:
    def _install(self, key, value):
        self.__dict__[key] = value


def plug(obj, name):
    obj._install(name, len)


class Registers:
    def add(self):
        self.__dict__[plug.__name__] = plug


def _restyle(styler, other):  # the package calls each method: they are not left to the user
    other.use({}).hide().clear()
    Query().again()
    Forwarded().fill("size")
    Registers().add()
    Memo().load(None)
'''

FLAGGED = '''
import fakestyle


def use():
    return fakestyle.Styler([1]).hide_index()


def use_map():
    return fakestyle.Styler([1]).applymap(len)


def use_query():
    return fakestyle.Query().paginate(1)


def use_memo():
    return fakestyle.Cached().load(None).totals()
'''

SILENT = '''
import fakestyle


def use():
    s = fakestyle.Styler([1])
    s.hide().hide(axis=1).hide(names=True).use({})
    s.clear()
    fakestyle.Query().again()
    s.hidden_rows.append(1)
    s.hide_index_names.append(1)
    fakestyle.Prefixed("x").on_x("a")
    fakestyle.Rebound("y", True).x_y("a")
    fakestyle.Copied("s").upper()
    f = fakestyle.Forwarded()
    f.fill("count")
    c = fakestyle.Cached().load(None)
    c.total()
    c.total()
    i = fakestyle.Installer()
    fakestyle.plug(i, "count")
    r = fakestyle.Registers()
    r.add()
    r.plug(i, "size")
    return f.count("x"), i.count("x"), i.size("y")
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("fakestyle", SOURCE)) as context:
        yield context


def _run(tmp_path, code: str, call: str = "use") -> str:
    return run_with_package(tmp_path, "fakestyle", SOURCE, code, call)


def test_the_flagged_lines_raise_and_the_look_alikes_run(tmp_path):
    assert _run(tmp_path, FLAGGED).startswith("AttributeError")
    assert _run(tmp_path, FLAGGED, "use_map").startswith("AttributeError")
    assert _run(tmp_path, FLAGGED, "use_query").startswith("AttributeError")
    assert _run(tmp_path, FLAGGED, "use_memo").startswith("AttributeError")
    assert _run(tmp_path, SILENT) == ""


def test_a_called_name_no_literal_write_sets_is_reported(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["6:HAL003", "10:HAL003", "14:HAL003", "18:HAL003"]


def test_the_names_set_a_parameter_suffix_a_rebound_local_and_a_foreign_copy_stay_silent(ctx):
    assert hal_call_lines(ctx, SILENT) == []
