"""blind5 / SQLAlchemy 2.1 (issue 15, point 3).

Sources: SQLAlchemy 2.0 migration guide ("Migrating to 2.0": ``Engine.execute()`` and
``Engine.table_names()`` / ``has_table()`` removed, ``MetaData(bind=)`` removed, ``Row`` is
tuple-like (no ``keys()``), ``Connection.execute()`` no longer takes keyword parameters,
``Session.close_all()`` -> ``close_all_sessions()``, ``sqlalchemy.Binary`` -> ``LargeBinary``;
https://docs.sqlalchemy.org/en/20/changelog/migration_20.html), Flask-SQLAlchemy's ``Model.query`` and
``paginate``, SQLModel's ``Relationship(cascade_delete=)``, Django's ``max_length``, the Query API's
``first()`` on a ``select()``, SQL's ``SET``, pandas-style ``nulls_last=``.
"""

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(30))


def _engine() -> sa.Engine:
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return engine


def case_engine_execute():
    engine = sa.create_engine("sqlite://")
    return engine.execute("select 1")  # HAL: version-drift; receiver=factory


def case_metadata_bind():
    return sa.MetaData(bind=_engine())  # HAL: version-drift; receiver=constructor


def case_row_keys():
    with _engine().connect() as conn:
        row = conn.execute(sa.text("select 1 as a, 2 as b")).first()
        return row.keys()  # HAL: version-drift; receiver=factory


def case_scalars_first_or_none():
    with Session(_engine()) as session:
        return session.scalars(sa.select(User)).first_or_none()  # HAL: invented-member; receiver=chain


def case_result_row_count():
    with _engine().begin() as conn:
        result = conn.execute(sa.text("select 1"))
        return result.row_count  # HAL: invented-member; receiver=factory


def case_execute_keyword_params():
    with _engine().connect() as conn:
        return conn.execute(sa.text("select :x"), x=1)  # HAL: version-drift; receiver=with-target


def case_select_first():
    return sa.select(User).where(User.id == 1).first()  # HAL: other-library-idiom; receiver=chain


def case_string_max_length():
    return sa.String(max_length=50)  # HAL: other-library-idiom; receiver=constructor


def case_session_save():
    with Session(_engine()) as session:
        session.save(User(name="ada"))  # HAL: version-drift; receiver=with-target


def case_model_query():
    return User.query.filter_by(name="ada").first()  # HAL: other-library-idiom; receiver=class


def case_model_unknown_keyword():
    return User(name="ada", age=36)  # HAL: invented-keyword; receiver=constructor


def case_desc_nulls_last():
    return sa.select(User).order_by(User.name.desc(nulls_last=True))  # HAL: other-library-idiom; receiver=class


def case_annotated_is_null():
    column: InstrumentedAttribute[str] = User.name
    return sa.select(User).where(column.is_null())  # HAL: invented-member; receiver=annotated-local


def case_create_all_engine_keyword():
    Base.metadata.create_all(engine=_engine())  # HAL: invented-keyword; receiver=chain


def case_drop_all_if_exists():
    Base.metadata.drop_all(_engine(), if_exists=True)  # HAL: invented-keyword; receiver=chain


def case_relationship_cascade_delete():
    return relationship("User", cascade_delete=True)  # HAL: other-library-idiom; receiver=import


def case_update_set():
    return sa.update(User).set(name="grace")  # HAL: other-library-idiom; receiver=chain


def case_url_db_name():
    return _engine().url.db_name  # HAL: invented-member; receiver=chain


def case_session_close_all():
    Session.close_all()  # HAL: version-drift; receiver=class


def case_query_paginate():
    with Session(_engine()) as session:
        return session.query(User).paginate(page=1, per_page=20)  # HAL: other-library-idiom; receiver=chain


def case_binary_type():
    return sa.Column("blob", sa.Binary)  # HAL: version-drift; receiver=module


def case_engine_has_table():
    return _engine().has_table("users")  # HAL: version-drift; receiver=helper-return
