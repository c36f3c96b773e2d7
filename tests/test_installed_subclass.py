"""A class of the project that subclasses an installed class and defines no constructor is
called with the base's constructor (issue 15: marshmallow's ``Schema(strict=True)`` on a
project's schema), as type checkers assume.  Beside the look-alikes that run: a base whose
metaclass or ``@dataclass_transform`` base gives each subclass its own constructor, a base
with ``__init_subclass__``, a metaclass ``__call__`` (``enum``), and a subclass with its own
``__init__``."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

BASES = '''
import typing


class Meta(type):
    def __new__(mcs, name, bases, attrs):
        return super().__new__(mcs, name, bases, attrs)


class Schema(metaclass=Meta):
    def __init__(self, *, only=None, many=False):
        self.only = only
        self.many = many


@typing.dataclass_transform()
class Model:
    def __init_subclass__(cls, **kwargs):
        names = list(cls.__annotations__)

        def __init__(self, *args, **values):
            for name, value in zip(names, args):
                setattr(self, name, value)
            for name, value in values.items():
                setattr(self, name, value)
        cls.__init__ = __init__


class Registered:
    def __init__(self, *, name=""):
        self.name = name

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)

        def __init__(self, *args, **options):
            Registered.__init__(self, name=options.pop("name", ""))
            self.options = options
        cls.__init__ = __init__


class Choosing(type):
    def __call__(cls, *args, **kwargs):
        return super().__call__()


class Chosen(metaclass=Choosing):
    def __init__(self):
        self.made = True
'''

CALLS = """
import bases


class UserSchema(bases.Schema):
    label = "user"


class User(bases.Model):
    name: str


class Plugin(bases.Registered):
    pass


class Pick(bases.Chosen):
    pass


class OwnInit(bases.Schema):
    def __init__(self, strict=False):
        super().__init__()
        self.strict = strict


def build():
    return (
        UserSchema(strict=True),
        UserSchema("x"),
        UserSchema(many=True),
        User("ann", age=3),
        Plugin(strict=True),
        Pick(1, strict=True),
        OwnInit(strict=True),
    )
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"bases.py": BASES}) as context:
        yield context


def test_a_project_subclass_without_a_constructor_takes_the_installed_base_s(ctx):
    assert hal_call_lines(ctx, CALLS) == ["29:HAL004", "30:HAL005"]



DECORATED = """
from dataclasses import dataclass

import bases
from bases import Event


@dataclass
class Trailers(Event):
    trailers: list
    stream_id: int


class Plain(bases.Event):
    pass


def build():
    return Trailers([], 1), Plain([], 3)
"""

INHERITED = """
from dataclasses import dataclass

from bases import Event


@dataclass
class Trailers(Event):
    trailers: list


class Closed(Trailers):
    pass


def build():
    return Closed([]), Event([])
"""


def test_a_decorated_subclass_has_the_constructor_its_decorator_makes(tmp_path_factory):
    # mitmproxy's `@dataclass class TrailersReceived(H3Event)` (aioquic): the dataclass's
    # `__init__`, not the installed base's; also for a plain subclass of it.  Plain() and the
    # base itself still have object's constructor.
    with site_context(tmp_path_factory, {"bases.py": "class Event:\n    \"\"\"Base class of events.\"\"\"\n"}) as context:
        assert hal_call_lines(context, DECORATED) == ["19:HAL005"]
        assert hal_call_lines(context, INHERITED) == ["17:HAL005"]
