"""SQLAlchemy 2.1: 1.x engine/row APIs, flask-sqlalchemy idioms."""
import sqlalchemy as sa
from sqlalchemy import create_engine, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(30))


def memory_engine() -> sa.Engine:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return engine


def case_engine_execute():
    engine = create_engine("sqlite://")
    return engine.execute("select 1")  # HAL: version-drift; receiver=factory


def case_row_keys():
    engine = memory_engine()
    with engine.connect() as conn:
        rows = conn.execute(text("select 1 as x")).all()
        return rows[0].keys()  # HAL: version-drift; receiver=with-target


def case_convert_unicode():
    return create_engine("sqlite://", convert_unicode=True)  # HAL: version-drift; receiver=call


def case_first_or_404():
    engine = memory_engine()
    with Session(engine) as session:
        return session.query(Account).filter_by(name="a").first_or_404()  # HAL: other-library-idiom; receiver=with-target


def case_metadata_bind():
    engine = memory_engine()
    return sa.MetaData(bind=engine)  # HAL: version-drift; receiver=call


def case_session_save():
    engine = memory_engine()
    session = Session(engine)
    session.save(Account(name="x"))  # HAL: other-library-idiom; receiver=constructor


def case_table_names():
    engine = memory_engine()
    return engine.table_names()  # HAL: version-drift; receiver=helper-return


def case_model_query_property():
    return Account.query.filter_by(name="x").all()  # HAL: other-library-idiom; receiver=class


def case_rollback_all():
    with memory_engine().begin() as conn:
        conn.rollback_all()  # HAL: invented-member; receiver=with-target


def case_result_fetch_all():
    engine = memory_engine()
    with engine.connect() as conn:
        result = conn.execute(text("select 1"))
        return result.fetch_all()  # HAL: invented-member; receiver=chain



def case_relation_import():
    from sqlalchemy.orm import relation  # HAL: version-drift; receiver=import
    return relation


def case_scalars_one_or_404():
    engine = memory_engine()
    with Session(engine) as session:
        return session.scalars(sa.select(Account)).one_or_404()  # HAL: other-library-idiom; receiver=chain



def case_create_engine_echo_positional():
    return create_engine("sqlite://", True)  # HAL: arity; receiver=call
