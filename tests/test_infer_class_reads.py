"""A class attribute read through the class itself (issue 15, class and chain receivers):
``User.name`` of a class of this file whose body annotates ``name: Mapped[str] = mapped_column()``
is what the annotation's descriptor class declares its ``__get__`` gives when the instance is
``None`` (SQLAlchemy's ``Mapped.__get__(self, instance: None, owner) -> InstrumentedAttribute``),
so ``User.name.desc(nulls_last=True)`` is reported (``desc()`` takes no keyword: it raises
TypeError), each beside the look-alike that runs or that vetpy cannot be sure of."""

from __future__ import annotations

import pytest

from test_recall import check, ctx  # noqa: F401  (the module-scoped fixture)

MODELS = '''
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(30))


class Loose:
    def desc(self, **options):
        return options


class Holder:
    column: Any = Loose()
'''


@pytest.mark.slow
def test_mapped_column_read_through_the_class(ctx):
    check(ctx, MODELS + '''
def order():
    return sa.select(User).order_by(User.name.desc(nulls_last=True))  # FLAG


def order_ok():
    return sa.select(User).order_by(User.name.desc(), User.id.asc())


def asc_arity():
    return User.id.asc(1)  # FLAG
''')


@pytest.mark.slow
def test_look_alikes_stay_silent(ctx):
    check(ctx, MODELS + '''
def any_annotation():
    return Holder.column.desc(nulls_last=True)


def through_an_instance():
    return User(name="a").name.upper()


class Admin(User):
    @classmethod
    def by_cls(cls):  # raises too, but `cls` may be a subclass's, which may bind `name` again: not followed
        return cls.name.desc(nulls_last=True)
''')


@pytest.mark.slow
def test_a_rebound_or_decorated_class_stays_unknown(ctx):
    check(ctx, MODELS + '''
def register(cls):
    setattr(cls, "label", Loose())
    return cls


@register
class Tagged(Base):
    __tablename__ = "tagged"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(30))


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(sa.String(30))


Note.body = Loose()


def decorated():
    return Tagged.label.desc(nulls_last=True)


def rebound():
    return Note.body.desc(nulls_last=True)
''')


DESCRIPTORS = '''
from typing import Any, Generic, Literal, Self, TypeVar, overload

T = TypeVar("T")


class Column(Generic[T]): ...


class Field(Generic[T]):
    @overload
    def __get__(self, instance: None, owner: Any) -> Column[T]: ...
    @overload
    def __get__(self, instance: object, owner: Any) -> T: ...


class Literally:
    @overload
    def __get__(self, instance: Literal[None], owner: Any) -> Column[int]: ...
    @overload
    def __get__(self, instance: object, owner: Any) -> int: ...


class Itself:
    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, instance: object, owner: Any) -> int: ...


class Either:
    def __get__(self, instance: object | None, owner: Any) -> Column[int]: ...


class Loose:
    @overload
    def __get__(self, instance: None, owner: Any) -> Any: ...
    @overload
    def __get__(self, instance: object, owner: Any) -> int: ...


class Typevar(Generic[T]):
    @overload
    def __get__(self, instance: None, owner: Any) -> T: ...
    @overload
    def __get__(self, instance: object, owner: Any) -> T: ...
'''


@pytest.mark.parametrize(("cls", "head"), [
    ("Field", "desc.Column"),  # the overload whose instance is None
    ("Literally", "desc.Column"),  # Literal[None] says the same
    ("Itself", None),  # the descriptor itself: its own members are read elsewhere
    ("Either", None),  # one def for both reads: it does not say which the class read gives
    ("Loose", None),  # Any names no class
    ("Typevar", None),  # a type variable names no class
])
def test_the_read_through_the_class_is_the_overload_whose_instance_is_none(tmp_path, cls, head):
    import textwrap

    from vetpy.resolve.class_reads import class_read
    from vetpy.resolve.stubs import StubIndex

    (tmp_path / "desc.pyi").write_text(textwrap.dedent(DESCRIPTORS))
    form = class_read(StubIndex([str(tmp_path)], frozenset()), f"desc.{cls}")
    assert (form[0] if isinstance(form, tuple) else form) == head, form
