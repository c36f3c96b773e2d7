"""SQLAlchemy engine and the request-scoped session."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

from .config import Config


class Base(DeclarativeBase):
    pass


engine = create_engine(Config.SQLALCHEMY_URL, pool_pre_ping=True, future=True)
SessionFactory = sessionmaker(bind=engine, expire_on_commit=False)
db_session = scoped_session(SessionFactory)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A unit of work outside a request (jobs, CLI)."""
    session = SessionFactory()
    try:
        yield session
        session.commit()
    except Exception:  # SAFE: except-reraise
        session.rollback()
        raise
    finally:
        session.close()


def remove_session(exc: BaseException | None = None) -> None:
    db_session.remove()
