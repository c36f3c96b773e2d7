"""Receivers the fourth blind corpus (issue 15, blind4) showed vetpy missing, each a value the
analysis now knows.

1. With-targets that are the manager's own argument (issue 15, blind4): typeshed declares
``class closing(AbstractContextManager[_SupportsCloseT, None])`` with ``__init__(self, thing:
_SupportsCloseT)``, and the base's ``__enter__`` returns its first type parameter, so
``with contextlib.closing(conn) as c`` binds ``conn`` itself (``aclosing`` goes the same way
for ``async with``, untested here: an async generator's value is not inferred).  Read from the
stub, not a list of names.  Look-alikes stay silent: real members, an argument of unknown type, a local subclass entering another way, a manager whose
``__enter__`` returns something else (``suppress``), and a factory's result.

2. Members of an Enum defined in the checked file (issue 15, blind4): ``Color.RED`` of ``class
Color(enum.Enum): RED = 1`` is an instance of ``Color``, so ``Color.RED.label`` (Django's
``Choices`` vocabulary) is reported.  Look-alikes stay silent: real members (``name``,
``value``, a method, a property of the class), attributes a member's ``__init__`` (or ``__new__``) assigns from
a tuple value, a ``str`` mixin's methods, a class ``__getattr__``, a metaclass or a base from outside ``enum`` (Django's
``TextChoices`` adds ``label`` at class creation), a non-member name (``_ignore_``, a private
name, a function), a name bound again elsewhere, and ``_missing_`` (which has no say in member
attributes but makes the class look special).

3. What ``await asyncio.gather(...)`` gives (issue 15, blind4): CPython's gather sets a list as
its future's result (``[]`` for no awaitables), whatever typeshed's overloads declare
(``Future[tuple[_T1, _T2]]``), so ``results.items()`` is reported and a list's own members
(``append``, ``sort``) stay silent, as do the elements, a gather that is not asyncio's, and an
un-awaited gather (a future)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stdlib(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {}) as context:  # no package: the standard library's
        yield context


def names(context, code: str) -> list[str]:
    """``line:CODE`` of each HAL finding of ``code``."""
    return hal_call_lines(context, code)


def test_a_missing_member_of_what_closing_and_aclosing_enter_is_reported(stdlib):
    assert names(stdlib, """
        import contextlib
        import io
        import sqlite3


        def use(path):
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.query("select 1")
            with contextlib.closing(thing=io.StringIO()) as buf:
                return buf.contents()
    """) == ["9:HAL003", "11:HAL003"]


def test_closing_with_real_members_unknown_arguments_and_other_managers_stays_silent(stdlib):
    assert names(stdlib, """
        import contextlib
        import sqlite3


        class Mine(contextlib.closing):
            def __enter__(self):
                return 5


        def make():
            return contextlib.closing(sqlite3.connect(":memory:"))


        def use(path, unknown):
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.execute("select 1").fetchall()
            with contextlib.closing(unknown) as thing:
                thing.query("x")
            with Mine(sqlite3.connect(path)) as five:
                five.query("x")
            with make() as made:
                made.execute("select 1")
            with contextlib.suppress(ValueError) as nothing:
                return nothing
    """) == []


def test_a_missing_attribute_of_a_member_of_an_enum_of_this_file_is_reported(stdlib):
    assert names(stdlib, """
        import enum
        from enum import Enum, IntEnum, auto


        class Color(enum.Enum):
            RED = 1
            GREEN = auto()


        class Level(IntEnum):
            LOW = 1


        def use():
            print(Color.GREEN.display_name())
            print(Level.LOW.label)
            return Color.RED.label
    """) == ["16:HAL003", "17:HAL003", "18:HAL003"]


def test_real_members_init_attributes_getattr_and_special_enums_stay_silent(stdlib):
    assert names(stdlib, """
        import enum


        class Planet(enum.Enum):
            EARTH = (5.97e24, 6.37e6)

            def __init__(self, mass, radius):
                self.mass = mass
                self.radius = radius

            @property
            def gravity(self):
                return self.mass / self.radius

            def describe(self):
                return self.name


        class Loose(enum.Enum):
            A = 1

            def __getattr__(self, name):
                return name


        class Meta(enum.EnumMeta):
            pass


        class Special(enum.Enum, metaclass=Meta):
            A = 1


        class Shade(enum.Enum):
            _ignore_ = ["TEMP"]
            DARK = 1
            TEMP = 2
            _private = 3

            @classmethod
            def _missing_(cls, value):
                return cls.DARK


        class Moved(enum.Enum):
            A = 1


        class Labelled(enum.Enum):
            RED = (1, "Red")

            def __new__(cls, value, label):
                obj = object.__new__(cls)
                obj._value_ = value
                obj.label = label
                return obj


        class Size(str, enum.Enum):
            BIG = "big"


        def later():
            Moved.A = 5


        def use():
            print(Planet.EARTH.mass, Planet.EARTH.gravity, Planet.EARTH.describe(), Planet.EARTH.value)
            print(Loose.A.anything, Special.A.label, Shade.TEMP.label, Shade._private.label)
            print(Shade.DARK.name.lower(), Shade.DARK.value, Moved.A.label, Labelled.RED.label, Size.BIG.upper())
            return Shade.DARK.value
    """) == []


def test_a_missing_member_of_what_awaiting_asyncio_gather_gives_is_reported(stdlib):
    assert names(stdlib, """
        import asyncio
        from asyncio import gather


        async def one():
            return 1


        async def use(coros):
            results = await asyncio.gather(one(), one())
            print((await gather(*coros, return_exceptions=True)).keys())
            return results.items()
    """) == ["12:HAL003", "13:HAL003"]


def test_list_members_elements_other_gathers_and_unawaited_futures_stay_silent(stdlib):
    assert names(stdlib, """
        import asyncio


        class Pool:
            async def gather(self, *coros):
                return {}


        async def one():
            return 1


        async def use(pool: Pool):
            results = await asyncio.gather(one(), one())
            results.append(3)
            results.sort()
            mapping = await pool.gather(one())
            future = asyncio.gather(one())
            future.add_done_callback(print)
            return results[0].anything, mapping.items()
    """) == []
