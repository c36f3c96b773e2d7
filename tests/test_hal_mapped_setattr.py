"""A ``setattr`` whose name is an item of a mapping on the instance's class (issue 15, recall26).

SQLAlchemy 2.1's ``HasSyntaxExtensions`` (a base of ``Select``, ``Update``, ``Insert``, ``Delete``)
sets ``setattr(self, self._position_map[name], value)``, and each statement class maps positions to
its own clause attributes (``Select._position_map = immutabledict({"post_select":
"_post_select_clause", ...})``).  Such a setattr sets only the mapping's values, read on the class
the instance is of, so the instance's attribute set stays known: ``select(User).first()`` (the
legacy Query's method) and ``update(User).set(...)`` (SQL's SET) are reported.

Look-alikes stay silent: the mapped names themselves, a class whose mapping is rebound on the
instance (``self._position_map = dict(...)``) or filled in by its own code, one whose mapping
holds something other than strings, and a setattr whose name comes from a mapping read off another
object (``setattr(self, other._map[key], v)``)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, pinned_context, run_with_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
class HasPoints:
    """Positions a statement can be extended at, each stored in the attribute its class maps it to."""

    _position_map = {}

    def apply_point(self, position, fn):
        attrname = self._position_map[position]
        existing = getattr(self, attrname, None)
        setattr(self, attrname, fn(existing))

    def _set_points(self, **points):
        for name, value in points.items():
            setattr(self, self._position_map[name], value)


class Query(HasPoints):
    _position_map = {"pre": "_pre_clause", "post": "_post_clause"}
    _pre_clause = None
    _post_clause = None

    def __init__(self, table):
        self.table = table

    def where(self, condition):
        return self


class Rebound(HasPoints):
    def __init__(self, names):
        self._position_map = dict(names)

    def where(self, condition):
        return self


class Filled(HasPoints):
    _position_map = {}

    def __init__(self, extra):
        self._position_map[extra] = extra

    def where(self, condition):
        return self


class Computed(HasPoints):
    _position_map = {"pre": 1}

    def where(self, condition):
        return self


class Borrowed:
    def __init__(self, other, key):
        setattr(self, other._names[key], key)

    def where(self, condition):
        return self
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("stmts", SOURCE)) as context:
        yield context


def test_a_missing_name_of_a_class_whose_setattr_names_come_from_its_mapping_is_reported(site):
    assert hal_call_lines(site, """
        from stmts import Query


        def use():
            query = Query("users").where(1)
            print(query.table)
            return query.first()


        def attribute():
            return Query("users").where(1).order
    """) == ["8:HAL003", "12:HAL003"]


def test_the_mapped_names_and_real_members_stay_silent(site):
    assert hal_call_lines(site, """
        from stmts import Query


        def use():
            query = Query("users").where(1)
            query.apply_point("pre", lambda old: old)
            query._set_points(post="x")
            return query._pre_clause, query._post_clause, query.table, query._position_map
    """) == []


def test_a_mapping_rebound_filled_computed_or_borrowed_leaves_the_instance_open(site):
    assert hal_call_lines(site, """
        from stmts import Borrowed, Computed, Filled, Rebound


        def use():
            print(Rebound({"a": "b"}).where(1).first())
            print(Filled("x").where(1).first())
            print(Computed().where(1).first())
            return Borrowed(None, "k").where(1).first()
    """) == []


def test_the_reported_lines_raise_and_the_look_alikes_run(tmp_path):
    flagged = run_with_package(tmp_path, "stmts", SOURCE, """
        from stmts import Query

        def use():
            query = Query("users").where(1)
            query.apply_point("pre", lambda old: "p")
            query._set_points(post="x")
            print(query._pre_clause, query._post_clause, query.table)
            return query.first()
    """)
    assert flagged.splitlines()[-1] == "AttributeError 'Query' object has no attribute 'first'"


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


def test_sqlalchemy_statements_are_known_whole(pinned):
    """SQLAlchemy 2.1's ``Select`` and ``Update`` (``HasSyntaxExtensions._set_syntax_extensions``)."""
    assert hal_call_lines(pinned, """
        import sqlalchemy as sa
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


        class Base(DeclarativeBase):
            pass


        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str] = mapped_column(sa.String(30))


        def use():
            stmt = sa.select(User).where(User.id == 1)
            print(stmt.order_by(User.name).limit(1).ext, stmt._post_select_clause)
            print(sa.update(User).values(name="grace").where(User.id == 1).returning(User.id))
            print(stmt.first())
            return sa.update(User).set(name="grace")
    """) == ["20:HAL003", "21:HAL003"]
