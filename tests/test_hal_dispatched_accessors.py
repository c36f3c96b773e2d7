"""What an accessor makes when its class's ``__new__`` picks the class (issue 15, pandas'
``Series.dt``: ``CombinedDatetimelikeProperties.__new__`` returns a ``DatetimeProperties``, a
``TimedeltaProperties``, a ``PeriodProperties`` or an ``ArrowTemporalProperties`` by the dtype):
one of the classes it returns, so a name none of them has is certain, a name one of them has is
not.  And those classes get their members from a private classmethod
(``_add_delegate_accessors``) that ``setattr``s them on the class, called only by a class
decorator (``delegate_names``): the class's ``dir()`` shows all it adds, so the instance's
attribute set stays closed.  Look-alikes: a ``__new__`` that may return something else, and a
package that also calls the classmethod at run time (the set is open)."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_call_lines, run_with_package, site_context

pytestmark = pytest.mark.slow

TEMPLATE = '''
def delegate(names):
    def add(cls):
        cls._add_props(names)
        return cls
    return add


class Delegating:
    @classmethod
    def _add_props(cls, names):
        for name in names:
            if not hasattr(cls, name):
                setattr(cls, name, property(lambda self, n=name: n))


class Props(Delegating):
    def __init__(self, data):
        self._data = data

    def day_name(self):
        return "Mon"


@delegate(["year", "month"])
class DateProps(Props):
    pass


@delegate(["days"])
class SpanProps(Props):
    def total_seconds(self):
        return 0.0


class Combined(DateProps, SpanProps):
    def __new__(cls, data):
        if data == "span":
            return SpanProps(data)
        if data == "date":
            return DateProps(data)
        raise AttributeError("Can only use .dt accessor with datetimelike values")


class Maybe:
    def __new__(cls, data):
        if data == "date":
            return DateProps(data)
        return data


class Accessor:
    def __init__(self, name, accessor):
        self._name = name
        self._accessor = accessor

    def __get__(self, obj, cls):
        if obj is None:
            return self._accessor
        return self._accessor(obj)


class Series(str):
    dt = Accessor("dt", Combined)
    maybe = Accessor("maybe", Maybe)
'''

# The same package, but its code also adds members at run time: the set is open.
OPENED = TEMPLATE + '''

def widen(kind, names):
    kind._add_props(names)
'''

FLAGGED = '''
def use():
    s = frames.Series("date")
    s.dt.year
    s.dt.day_name()
    s.dt.weekday_name
'''

VALID = '''
def use():
    s = frames.Series("span")
    s.dt.days
    s.dt.total_seconds()
    s.dt.day_name()
    frames.Series("span").maybe.upper()
    frames.Series("date").maybe.month
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"frames.py": TEMPLATE, "opened.py": OPENED}) as context:
        yield context


def lines(ctx, code: str) -> list[str]:
    return hal_call_lines(ctx, code)


def test_a_name_none_of_the_picked_classes_has_is_flagged(ctx):
    assert lines(ctx, "import frames\n" + FLAGGED) == ["7:HAL003"]


def test_a_name_one_of_them_has_or_a_new_that_may_return_another_value_is_not(ctx):
    assert lines(ctx, "import frames\n" + VALID) == []


def test_members_added_at_run_time_too_leave_the_set_open(ctx):
    assert lines(ctx, "import opened as frames\n" + FLAGGED) == []


def test_the_cases_run_as_the_rule_says(tmp_path):
    assert run_with_package(tmp_path, "frames", TEMPLATE, "import frames\n" + FLAGGED).startswith("AttributeError")
    assert run_with_package(tmp_path, "frames", TEMPLATE, "import frames\n" + textwrap.dedent(VALID)) == ""
