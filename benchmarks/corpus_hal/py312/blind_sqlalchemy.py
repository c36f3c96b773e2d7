"""Blind set: SQLAlchemy 2.1 (sqlite in memory)."""
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "item"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(20))


def setup() -> tuple[sa.Engine, sa.MetaData]:
    engine = sa.create_engine("sqlite://")
    return engine, Base.metadata


def get_session() -> Session:
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine)


def case_scalars_to_list():
    engine, meta = setup()
    meta.create_all(engine)
    with Session(engine) as session:
        return session.scalars(sa.select(Item)).to_list()  # HAL: invented-member; receiver=chain


def case_session_add_many():
    session = get_session()
    session.add_many([Item(name="a"), Item(name="b")])  # HAL: other-library-idiom; receiver=helper-return


def case_like_case_sensitive():
    return Item.__table__.c.name.like("a%", case_sensitive=False)  # HAL: invented-keyword; receiver=chain


def case_create_all_if_not_exists():
    engine, meta = setup()
    meta.create_all(engine, if_not_exists=True)  # HAL: invented-keyword; receiver=unpack


def case_column_length():
    return sa.Column("name", sa.String, nullable=False, length=20)  # HAL: invented-keyword; receiver=call
