"""Two receivers a type checker is sure of (issue 15, blind corpus): an item of a tuple that the
project's helper returns, unknown from its ``return`` but named by its annotated return type
(``-> tuple[Engine, MetaData]`` returning ``engine, Base.metadata``), and a class attribute of an
enumeration defined in the file (``Color.values()``: neither ``Color``, ``Enum`` nor the
``EnumType`` metaclass has it).  Each beside the look-alikes that stay silent: an item the body
gives as another class, a helper without an annotation, names the annotation does not make
certain (``Any``), a member or method of the enumeration, ``Enum``'s and ``EnumType``'s own
members, sunder names, a custom metaclass or a third-party base, and an enumeration the project
extends by name."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

LIB = '''
class Engine:
    def connect(self):
        return None


class MetaData:
    def create_all(self, bind, tables=None, checkfirst=True):
        return None


class Loose:
    def __getattr__(self, name):
        return name


def unknown():
    return MetaData()
'''

CHOICES = '''
import enum


class ChoicesType(enum.EnumMeta):
    @property
    def values(cls):
        return [m.value for m in cls]


class Choices(enum.Enum, metaclass=ChoicesType):
    pass
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"dblib.py": LIB, "choices.py": CHOICES}) as context:
        (context.root / "elsewhere.py").write_text("def extend(o):\n    o.registered = True\n")
        yield context


names = hal_call_lines


def test_an_item_the_return_leaves_unknown_is_what_the_annotation_names(ctx):
    assert names(ctx, """
        import dblib


        def setup(source) -> tuple[dblib.Engine, dblib.MetaData]:
            engine = dblib.Engine()
            return engine, source.metadata


        def use(source):
            engine, meta = setup(source)
            meta.create_all(engine, if_not_exists=True)
            return meta.drop_every_table()
    """) == ["12:HAL004", "13:HAL003"]


def test_items_of_another_class_unannotated_or_vague_helpers_stay_silent(ctx):
    assert names(ctx, """
        from typing import Any

        import dblib


        def given() -> tuple[dblib.Engine, dblib.MetaData]:
            return dblib.Engine(), dblib.Loose()  # the body says which object it is


        def unannotated(source):
            return dblib.Engine(), source.metadata


        def vague(source) -> tuple[dblib.Engine, Any]:
            return dblib.Engine(), source.metadata


        def use(source):
            _e, loose = given()
            _f, plain = unannotated(source)
            _g, anything = vague(source)
            return loose.create_everything(), plain.drop_it(), anything.whatever()
    """) == []


def test_a_missing_class_attribute_of_an_enumeration_of_the_file_is_reported(ctx):
    assert names(ctx, """
        import enum


        class Color(enum.Enum):
            RED = 1
            GREEN = 2


        class Level(enum.IntEnum):
            LOW = 1


        def use():
            return Color.values(), Level.choices, Color.RED, Color.__members__
    """) == ["15:HAL003", "15:HAL003"]


def test_members_methods_metaclass_names_and_open_enumerations_stay_silent(ctx):
    assert names(ctx, """
        import enum

        import choices


        class Color(enum.Enum):
            RED = 1

            @classmethod
            def names(cls):
                return [m.name for m in cls]


        class Kind(choices.Choices):
            A = 1


        class Tagged(enum.Enum):
            ONE = 1


        def use(cls):
            return (Color.RED, Color.names(), Color._member_map_, Color._missing_, Color.mro(),
                    Color.__members__, Kind.values, Tagged.registered, cls.values)
    """) == []
