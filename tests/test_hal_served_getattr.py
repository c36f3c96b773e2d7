"""HAL003 on instances whose class defines a ``__getattr__`` that its source proves limited
(``resolve/_worker_getattr.py``): literal names, a delegate annotated on the class and built
exactly, ``object.__getattribute__`` and ``raise`` (arrow's ``Arrow``: a missing name raises
AttributeError), or ``self[name]`` of a ``__getitem__`` annotated to give objects that cannot be
called (pandas' ``DataFrameGroupBy``: a *called* missing method raises).  Every "must flag" case
raises AttributeError when run; every look-alike runs, and every ``__getattr__`` that may serve
any name with any value keeps the instance open.

The package ``servelib`` copies those shapes, small, in a bare virtual environment."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

SERVELIB = '''
from datetime import datetime as dt_datetime
from typing import Any, Optional, cast


class Moment:
    _datetime: dt_datetime

    def __init__(self, year, month, day):
        self._datetime = dt_datetime(year, month, day)

    def shift(self, **kw):
        return self

    def __getattr__(self, name: str) -> Any:
        if name == "week":
            return self._datetime.isocalendar()[1]
        if name in ("quarter", "half"):
            return 1
        if not name.startswith("_"):
            value: Optional[Any] = getattr(self._datetime, name, None)
            if value is not None:
                return value
        return cast(int, object.__getattribute__(self, name))


def now() -> Moment:
    return Moment(2024, 1, 1)


class Column:
    def total(self):
        return 0


class Grouped:
    def __init__(self, columns):
        self.obj = list(columns)

    def apply(self, f):
        return f(self)

    def __getitem__(self, key) -> Column:
        return Column()

    def __getattr__(self, attr: str):
        if attr in self.obj:
            return self[attr]
        raise AttributeError(attr)


def grouped() -> Grouped:
    return Grouped(["v"])


class Loose:  # any name at all: a callable
    def __init__(self):
        self.inner = dt_datetime(2024, 1, 1)

    def __getattr__(self, name):
        return lambda *a: None


def loose() -> Loose:
    return Loose()


class Unannotated:  # delegates to an attribute whose class is not declared
    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)


def unannotated() -> Unannotated:
    return Unannotated(dt_datetime(2024, 1, 1))


class Reassigned:  # annotated, but the package stores something else there too
    _inner: dt_datetime

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)


def reassigned() -> Reassigned:
    return Reassigned(dt_datetime(2024, 1, 1))


class Indexed:  # __getitem__ gives anything: a served name may be a function
    def __init__(self):
        self.obj = {}

    def __getitem__(self, key):
        return self.obj[key]

    def __getattr__(self, attr):
        if attr in self.obj:
            return self[attr]
        raise AttributeError(attr)


def indexed() -> Indexed:
    return Indexed()


class Looped:  # a loop in __getattr__: not read
    def __getattr__(self, name):
        for prefix in ("get_", "set_"):
            if name.startswith(prefix):
                return lambda: None
        raise AttributeError(name)


def looped() -> Looped:
    return Looped()


class Renamed:  # the name looked up on the delegate is not the one asked for
    _moment: dt_datetime

    def __init__(self):
        self._moment = dt_datetime(2024, 1, 1)

    def __getattr__(self, name):
        if (name := name.lower()) == "week":
            return 1
        return getattr(self._moment, name)


def renamed() -> Renamed:
    return Renamed()
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("servelib", SERVELIB)) as context:
        yield context


def found(context, code: str) -> list[tuple[int, str]]:
    return [(int(line), code) for line, code in (hit.split(":") for hit in hal_call_lines(context, textwrap.dedent(code)))]


def test_names_a_limited_getattr_cannot_serve_are_flagged(ctx):
    assert found(ctx, """
        import servelib
        servelib.now().start_of("day")
        servelib.now().to_datetime()
        servelib.now().add(days=1)
        servelib.now().fortnight
    """) == [(3, "HAL003"), (4, "HAL003"), (5, "HAL003"), (6, "HAL003")]


def test_literal_and_delegated_names_are_accepted(ctx):
    assert found(ctx, """
        import servelib
        m = servelib.now()
        print(m.week, m.quarter, m.half, m.year, m.tzinfo, m.timetz(), m.isoformat(), m.shift(days=1))
    """) == []


def test_a_called_missing_method_of_a_data_getattr_is_flagged(ctx):
    assert found(ctx, """
        import servelib
        servelib.grouped().apply_rows(len)
    """) == [(3, "HAL003")]


def test_served_data_read_as_a_value_is_accepted(ctx):
    assert found(ctx, """
        import servelib
        g = servelib.grouped()
        print(g.v, g.anything, g.apply(len), g.v.total())
    """) == []


def test_getattrs_that_may_serve_any_callable_stay_open(ctx):
    assert found(ctx, """
        import servelib
        servelib.loose().start_of("day")
        servelib.unannotated().start_of("day")
        servelib.reassigned().start_of("day")
        servelib.indexed().apply_rows(len)
        servelib.looped().get_value()
        servelib.loose().fortnight
        servelib.renamed().ISOFORMAT()
    """) == []


def test_a_project_subclass_with_its_own_getattr_is_not_the_installed_class(ctx):
    assert found(ctx, """
        import servelib

        class Mine(servelib.Moment):
            def __getattr__(self, name):
                return lambda *a, **k: None

        Mine(2024, 1, 1).start_of("day")
    """) == []
