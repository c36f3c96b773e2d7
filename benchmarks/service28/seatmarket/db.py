"""Database: SQLAlchemy 2.0 async models, the session dependency and the raw-SQL helpers."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from . import config

engine = create_async_engine(config.DATABASE_URL, pool_size=10, max_overflow=5, pool_pre_ping=True)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="buyer")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Organiser(Base):
    __tablename__ = "organisers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    payout_iban: Mapped[str] = mapped_column(String(64))
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))  # SAFE: money-float
    currency: Mapped[str] = mapped_column(String(3), default="EUR")


class Venue(Base):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    city: Mapped[str] = mapped_column(String(80), index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    capacity: Mapped[int] = mapped_column(Integer)
    map_key: Mapped[str | None] = mapped_column(String(255), nullable=True)


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organisers.id"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    base_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # SAFE: money-float
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    capacity: Mapped[int] = mapped_column(Integer)
    sold: Mapped[int] = mapped_column(Integer, default=0)
    email_template: Mapped[str | None] = mapped_column(Text, nullable=True)

    venue: Mapped[Venue] = relationship(lazy="joined")


class Seat(Base):
    __tablename__ = "seats"
    __table_args__ = (UniqueConstraint("event_id", "section", "row", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    row: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)
    price_tier: Mapped[str] = mapped_column(String(20), default="standard")
    status: Mapped[str] = mapped_column(String(12), default="free")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)  # SEEDED: EDGE money-float
    fee: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))  # SAFE: money-float
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    promo_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seats.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    holder_name: Mapped[str] = mapped_column(String(120))
    pdf_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    scanned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PromoCode(Base):
    __tablename__ = "promo_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), nullable=True)
    percent_off: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    rule: Mapped[str | None] = mapped_column(Text, nullable=True)
    max_uses: Mapped[int] = mapped_column(Integer, default=100)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    api_key_hash: Mapped[str] = mapped_column(String(128))
    webhook_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    webhook_secret: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(Integer, default=0)


class WaitlistEntry(Base):
    __tablename__ = "waitlist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    notified: Mapped[bool] = mapped_column(Boolean, default=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


# ---- raw SQL used by the search, reports and admin screens ----------------------------------

SORTABLE = {"date": "e.starts_at", "price": "e.base_price", "title": "e.title", "sold": "e.sold"}
STATUSES = ("draft", "on_sale", "sold_out", "cancelled", "finished")
IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


async def search_events(session: AsyncSession, city: str | None, sort: str, limit: int, offset: int):
    order_col = SORTABLE.get(sort, "e.starts_at")
    sql = ("SELECT e.id, e.title, e.starts_at, e.base_price, v.city FROM events e JOIN venues v ON v.id = e.venue_id "
           f"WHERE e.status = 'on_sale' AND (:city IS NULL OR v.city = :city) ORDER BY {order_col} "  # SAFE: sql-order-by
           "LIMIT :limit OFFSET :offset")
    rows = await session.execute(text(sql), {"city": city, "limit": limit, "offset": offset})  # SAFE: sql-limit
    return rows.mappings().all()


async def events_sorted(session: AsyncSession, sort_by: str, direction: str):
    sql = f"SELECT id, title, starts_at FROM events WHERE status = 'on_sale' ORDER BY {sort_by} {direction}"  # SEEDED: SEC sql-order-by
    rows = await session.execute(text(sql))  # SEEDED-ALSO
    return rows.mappings().all()


async def events_by_status(session: AsyncSession, status: str):
    if status not in STATUSES:
        raise ValueError(status)
    sql = f"SELECT id, title FROM events WHERE status = '{status}'"  # SAFE: sql-where
    return (await session.execute(text(sql))).mappings().all()


async def organiser_events(session: AsyncSession, organiser_name: str):
    sql = ("SELECT e.id, e.title FROM events e JOIN organisers o ON o.id = e.organiser_id "
           f"WHERE o.name = '{organiser_name}'")  # SEEDED: SEC sql-where
    return (await session.execute(text(sql))).mappings().all()


async def find_attendees(session: AsyncSession, event_id: int, name_part: str):
    sql = ("SELECT t.id, t.holder_name FROM tickets t JOIN orders o ON o.id = t.order_id "
           "WHERE o.event_id = :event_id AND t.holder_name ILIKE '%" + name_part + "%'")  # SEEDED: SEC sql-like
    return (await session.execute(text(sql), {"event_id": event_id})).mappings().all()


async def find_attendees_escaped(session: AsyncSession, event_id: int, name_part: str):
    pattern = "%" + name_part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = ("SELECT t.id, t.holder_name FROM tickets t JOIN orders o ON o.id = t.order_id "
           "WHERE o.event_id = :event_id AND t.holder_name ILIKE :pattern ESCAPE '\\'")  # SAFE: sql-like
    return (await session.execute(text(sql), {"event_id": event_id, "pattern": pattern})).mappings().all()


async def seats_by_ids(session: AsyncSession, seat_ids: Sequence[str]):
    sql = "SELECT id, section, row, number, status FROM seats WHERE id IN (" + ",".join(seat_ids) + ")"  # SEEDED: SEC sql-in-list
    return (await session.execute(text(sql))).mappings().all()


async def seats_by_ids_bound(session: AsyncSession, seat_ids: Sequence[int]):
    stmt = text("SELECT id, section, row, number, status FROM seats WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True))  # SAFE: sql-in-list
    return (await session.execute(stmt, {"ids": list(seat_ids)})).mappings().all()


async def orders_page(session: AsyncSession, user_id: int, limit: str, offset: str):
    sql = ("SELECT id, event_id, total, status FROM orders WHERE user_id = :uid ORDER BY id DESC LIMIT "
           + limit + " OFFSET " + offset)  # SEEDED: SEC sql-limit
    return (await session.execute(text(sql), {"uid": user_id})).mappings().all()


async def table_count(session: AsyncSession, table: str) -> int:
    if not IDENT.match(table):
        raise ValueError("bad table name")
    return (await session.execute(text(f'SELECT count(*) FROM "{table}"'))).scalar_one()  # SAFE: sql-identifier


async def venue_by_city(session: AsyncSession, city: str):
    stmt = select(Venue).where(Venue.city == city).order_by(Venue.name)  # SAFE: sql-where
    return (await session.execute(stmt)).scalars().all()


async def event_or_none(session: AsyncSession, event_id: int) -> Event | None:
    return await session.get(Event, event_id)
