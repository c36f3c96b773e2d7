"""Database access: SQLAlchemy models plus a few hand-written queries for reports."""
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterable, Optional

from sqlalchemy import (Column, DateTime, ForeignKey, Integer, Numeric, String, Text,
                        create_engine, select, text)
from sqlalchemy.orm import declarative_base, relationship, sessionmaker

from .config import settings

engine = create_engine(settings.database_url, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine, autoflush=False)
Base = declarative_base()

SORTABLE_COLUMNS = {"created": "created_at", "total": "total_cents", "status": "status"}


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(255), unique=True, nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(32), default="customer")
    reset_token = Column(String(64), nullable=True)
    reset_expires = Column(DateTime(timezone=True), nullable=True)
    orders = relationship("Order", back_populates="user")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    status = Column(String(32), default="pending")
    total_cents = Column(Integer, default=0)
    amount = Column(Numeric(12, 2), default=0)
    note = Column(Text, default="")
    created_at = Column(DateTime(timezone=True), default=lambda: datetime.now(timezone.utc))
    user = relationship("User", back_populates="orders")


class Product(Base):
    __tablename__ = "products"
    id = Column(Integer, primary_key=True)
    sku = Column(String(64), unique=True)
    name = Column(String(255))
    price = Column(Numeric(12, 2))
    stock = Column(Integer, default=0)


def init_db() -> None:
    Base.metadata.create_all(engine)


@contextmanager
def session_scope():
    session = SessionLocal()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def find_user_by_email(session, email: str) -> Optional[User]:
    return session.execute(select(User).where(User.email == email)).scalar_one_or_none()  # SAFE: orm-query


def search_orders(session, status: str, sort: str = "created_at", limit: int = 50):
    query = f"SELECT id, status, total_cents FROM orders WHERE status = '{status}'"  # SEEDED: SEC sql-where-fstring
    query += f" ORDER BY {sort} DESC"  # SEEDED: SEC sql-order-by
    query += " LIMIT " + str(limit)
    return session.execute(text(query)).fetchall()


def search_orders_safe(session, status: str, sort: str = "created", limit: int = 50):
    column = SORTABLE_COLUMNS.get(sort, "created_at")
    query = text(
        f"SELECT id, status, total_cents FROM orders WHERE status = :status ORDER BY {column} DESC LIMIT :limit"  # SAFE: allow-listed-order-by
    )
    return session.execute(query, {"status": status, "limit": int(limit)}).fetchall()  # SAFE: parameterized-query


def orders_page(conn: sqlite3.Connection, user_id, page_size, offset):
    cur = conn.cursor()
    cur.execute(
        "SELECT * FROM orders WHERE user_id = ? LIMIT %s OFFSET %s" % (page_size, offset),  # SEEDED: SEC sql-limit
        (user_id,),
    )
    return cur.fetchall()


def orders_by_ids(conn: sqlite3.Connection, ids: Iterable[str]):
    id_list = ",".join(ids)
    return conn.execute(f"SELECT * FROM orders WHERE id IN ({id_list})").fetchall()  # SEEDED: SEC sql-in-list


def orders_by_ids_safe(conn: sqlite3.Connection, ids: list[int]):
    placeholders = ",".join("?" for _ in ids)
    return conn.execute(f"SELECT * FROM orders WHERE id IN ({placeholders})", [int(i) for i in ids]).fetchall()  # SAFE: generated-placeholders


def update_order_note(conn: sqlite3.Connection, order_id: int, note: str) -> None:
    conn.execute("UPDATE orders SET note = '" + note + "' WHERE id = " + str(order_id))  # SEEDED: SEC sql-update-concat
    conn.commit()


def count_orders(conn: sqlite3.Connection, status: str) -> int:
    row = conn.execute("SELECT COUNT(*) FROM orders WHERE status = ?", (status,)).fetchone()  # SAFE: parameterized-query
    return row[0]
