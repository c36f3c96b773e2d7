"""Blind set 4 (written without running vetpy or reading its rules): SQLAlchemy."""
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

metadata = MetaData()
items = Table("items", metadata, Column("id", Integer, primary_key=True), Column("name", String(20)))


def _engine() -> Engine:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return engine


def case_first_or_none():
    with _engine().connect() as conn:
        return conn.execute(text("select 1")).first_or_none()  # HAL: invented-member; receiver=with-target


def case_row_as_dict_loop():
    out = []
    with _engine().connect() as conn:
        for row in conn.execute(text("select 1 as a")):
            out.append(row.as_dict())  # HAL: invented-member; receiver=loop
    return out


def case_session_fetch_one():
    with Session(_engine()) as session:
        # the databases/encode library's fetch_one; a Result has fetchone()/one()
        return session.execute(text("select 1")).fetch_one()  # HAL: other-library-idiom; receiver=with-target


def case_select_take():
    return select(items).order_by(items.c.id).take(5)  # HAL: other-library-idiom; receiver=chain


def case_generic_insert_on_conflict():
    # on_conflict_do_nothing exists only on the sqlite/postgresql dialects' insert()
    return insert(items).values(name="a").on_conflict_do_nothing()  # HAL: other-library-idiom; receiver=chain


def case_inspector_get_column_names():
    return inspect(_engine()).get_column_names("items")  # HAL: invented-member; receiver=factory


def case_sessionmaker_session_insert_one():
    factory = sessionmaker(bind=_engine())
    with factory() as session:
        # pymongo's collection.insert_one(); a Session has add()
        session.insert_one({"name": "a"})  # HAL: other-library-idiom; receiver=with-target


def case_scalars_all_list_first():
    with Session(_engine()) as session:
        return session.scalars(select(items.c.id)).list()  # HAL: invented-member; receiver=chain


def case_table_c_column_type_length():
    return items.c.name.length  # HAL: invented-member; receiver=chain
