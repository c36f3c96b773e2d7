"""A class of the checked file named by its own name, and an instance made by calling it, are
exactly that class (issue 15): a name missing on them is reported although the class has no
installed base (an attrs or dataclass record, a plain class), where ``self``/``cls`` of its own
methods may be of a subclass in another file and stay silent.  Beside the look-alikes that stay
silent: ``self`` and ``cls``, dunders that dataclass/attrs add, ``type``'s own members
(``Point.mro()``), a decorator with options that may add fields, a name the project assigns on
objects, a file that sets attributes by computed names."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

# attrs' class decorators, as the inference knows them by path (attrs.define, attrs.frozen)
ATTRS = '''
def define(maybe_cls=None, **options):
    return maybe_cls if maybe_cls is not None else (lambda cls: cls)


frozen = mutable = define
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"attrs/__init__.py": ATTRS, "bases.py": "class Base:\n    pass\n"}) as context:
        (context.root / "elsewhere.py").write_text("def mark(o):\n    o.tagged = True\n")
        yield context


RECORDS = """
import attrs
from dataclasses import dataclass


@attrs.frozen
class Config:
    name: str
    retries: int = 3


@attrs.define(slots=True)
class Point:
    x: int
    y: int = 0

    def shift(self):
        return self.extra  # a subclass may have it

    @classmethod
    def make(cls):
        return cls.registry  # cls may be a subclass


@dataclass
class Row:
    key: str


class Plain:
    def __init__(self):
        self.a = 1


def origin():
    return Point(0, 0)
"""


def test_a_missing_name_on_the_class_or_an_instance_it_made_is_reported(ctx):
    assert hal_call_lines(ctx, RECORDS + """
def uses():
    cfg = Config("svc")
    cfg.replace(retries=5)
    origin().dict()
    Point.model_fields
    Row("k").to_dict()
    return Plain().b
""") == ["40:HAL003", "41:HAL003", "42:HAL003", "43:HAL003", "44:HAL003"]


def test_self_cls_dunders_type_members_and_project_names_stay_silent(ctx):
    assert hal_call_lines(ctx, RECORDS + """
def uses():
    p = Point(1)
    return (p.x, p.y, p.shift(), Point.make(), Point.mro(), Point.__attrs_attrs__, p.__match_args__,
            Row("k").__dataclass_fields__, Plain().a, Plain().tagged)
""") == []


def test_decorator_options_or_computed_names_leave_the_class_open(ctx):
    assert hal_call_lines(ctx, """
import attrs


def extend(cls, fields):
    return fields


@attrs.define(field_transformer=extend)
class Open:
    x: int


class Bag:
    pass


def fill(o, name):
    setattr(o, name, 1)


def uses():
    b = Bag()
    fill(b, "anything")
    return Open(1).y, b.anything
""") == []


def test_made_by_the_class_on_one_path_and_by_cls_on_another_is_still_known(ctx):
    """``Rec()`` (exactly a Rec) on one path, ``Rec.make()`` (``cls()``: a Rec or a subclass) on
    the other: a Rec, as before the exact class was told apart."""
    assert hal_call_lines(ctx, """
import bases


class Rec(bases.Base):
    @classmethod
    def make(cls):
        return cls()


def pick(flag):
    if flag:
        r = Rec()
    else:
        r = Rec.make()
    return r.missing
""") == ["16:HAL003"]
