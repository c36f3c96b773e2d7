"""Database models and the queries the routes, the worker and the CLI share (SQLAlchemy 2.x)."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    Float,
    ForeignKey,
    Numeric,
    String,
    Text,
    bindparam,
    create_engine,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

from .config import get_settings

log = logging.getLogger(__name__)

engine = create_engine(get_settings().database_url, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    country: Mapped[str] = mapped_column(String(2), default="US")
    credit_balance: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))  # SAFE: money-float


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    notes: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(timezone.utc))
    items: Mapped[list[LineItem]] = relationship(back_populates="invoice", cascade="all, delete-orphan")


class LineItem(Base):
    __tablename__ = "line_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[float] = mapped_column(Float)  # SEEDED: EDGE money-float
    invoice: Mapped[Invoice] = relationship(back_populates="items")


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(index=True)
    label: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(500), default="")


class AdminUser(Base):
    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


SORTABLE = {
    "created": Invoice.created_at,
    "due": Invoice.due_date,
    "total": Invoice.total,
    "number": Invoice.number,
}


def list_invoices(session: Session, org_id: int, status: str | None, sort: str, limit: int, offset: int):
    stmt = select(Invoice).where(Invoice.org_id == org_id)
    if status:
        stmt = stmt.where(Invoice.status == status)  # SAFE: sql-where
    column = SORTABLE.get(sort, Invoice.created_at)
    stmt = stmt.order_by(column.desc()).limit(limit).offset(offset)  # SAFE: sql-order-by
    return session.scalars(stmt).all()


def list_customers(session: Session, org_id: int, sort: str, direction: str):
    stmt = select(Customer).where(Customer.org_id == org_id)
    stmt = stmt.order_by(text(f"{sort} {direction}"))  # SEEDED: SEC sql-order-by
    return session.scalars(stmt).all()


def search_invoices(session: Session, org_id: int, term: str, order: str = "created_at DESC"):
    sql = text(
        "SELECT id, number, status, total FROM invoices "
        "WHERE org_id = :org AND (number LIKE :term OR notes LIKE :term) "
        f"ORDER BY {order}"  # SEEDED: SEC sql-order-by
    )
    return session.execute(sql, {"org": org_id, "term": f"%{term}%"}).mappings().all()  # SEEDED-ALSO


def invoices_by_numbers(session: Session, org_id: int, numbers: list[str]):
    in_list = ", ".join(f"'{n}'" for n in numbers)
    sql = text(f"SELECT id, number, status, total FROM invoices WHERE org_id = :org AND number IN ({in_list})")  # SEEDED: SEC sql-in-list
    return session.execute(sql, {"org": org_id}).mappings().all()  # SEEDED-ALSO


def invoices_by_ids(session: Session, org_id: int, ids: list[int]):
    sql = text("SELECT id, number, status, total FROM invoices WHERE org_id = :org AND id IN :ids")
    sql = sql.bindparams(bindparam("ids", expanding=True))  # SAFE: sql-in-list
    return session.execute(sql, {"org": org_id, "ids": ids}).mappings().all()  # SAFE: sql-in-list


def page_customers(session: Session, org_id: int, limit: str, offset: str):
    sql = f"SELECT id, name, email FROM customers WHERE org_id = :org LIMIT {limit} OFFSET {offset}"  # SEEDED: SEC sql-limit
    return session.execute(text(sql), {"org": org_id}).all()  # SEEDED-ALSO


def recent_customers(session: Session, org_id: int, limit: str):
    sql = text(f"SELECT id, name FROM customers WHERE org_id = :org ORDER BY id DESC LIMIT {int(limit)}")  # SAFE: sql-limit
    return session.execute(sql, {"org": org_id}).all()


def totals_by(session: Session, org_id: int, group_by: str):
    column = group_by if group_by in {"currency", "status"} else "status"
    sql = text(f"SELECT {column} AS k, SUM(total) AS total FROM invoices WHERE org_id = :org GROUP BY {column}")  # SAFE: sql-identifier
    return {row.k: row.total for row in session.execute(sql, {"org": org_id})}


def customer_by_email(session: Session, org_id: int, email: str) -> Customer | None:
    return session.scalars(select(Customer).filter_by(org_id=org_id, email=email)).first()  # SAFE: sql-where


def find_customers(session: Session, org_id: int, name_filter: str, country: str):
    sql = text(
        "SELECT id, name, email FROM customers WHERE org_id = :org "
        f"AND name ILIKE '%{name_filter}%' AND country = :country"  # SEEDED: SEC sql-where
    )
    return session.execute(sql, {"org": org_id, "country": country}).all()  # SEEDED-ALSO


def mark_paid(session: Session, number: str, paid_at: str) -> None:
    session.execute(text(f"UPDATE invoices SET status = 'paid', notes = notes || ' paid {paid_at}' WHERE number = '{number}'"))  # SEEDED: SEC sql-where
    session.commit()


def mark_overdue(session: Session, today: date) -> int:
    result = session.execute(
        update(Invoice).where(Invoice.status == "sent", Invoice.due_date < today).values(status="overdue")  # SAFE: sql-where
    )
    session.commit()
    return result.rowcount


def delete_draft(session: Session, org_id: int, invoice_id: int) -> bool:
    result = session.execute(
        delete(Invoice).where(Invoice.id == invoice_id, Invoice.org_id == org_id, Invoice.status == "draft")  # SAFE: sql-where
    )
    session.commit()
    return result.rowcount > 0


def invoice_total(session: Session, invoice_id: int) -> Decimal:
    row = session.execute(text("SELECT total FROM invoices WHERE id = :id"), {"id": invoice_id}).first()
    return row[0]  # SEEDED: EDGE none-deref


def invoice_status(session: Session, invoice_id: int) -> str:
    return session.execute(select(Invoice.status).where(Invoice.id == invoice_id)).scalar_one()  # SAFE: none-deref


def outstanding_for(session: Session, customer_id: int) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(Invoice.total), 0)).where(Invoice.customer_id == customer_id, Invoice.status != "paid")
    )
    return Decimal(total)  # SAFE: none-deref
