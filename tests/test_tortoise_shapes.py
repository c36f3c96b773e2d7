"""Tortoise ORM seen as the rules see SQLAlchemy, Django and peewee (issue #20).

Specification (names checked against tortoise-orm 1.1.9):

* EDGE031: ``await Model.get_or_none(...)`` is a lookup that may be None, also refined before it
  is awaited (``await Unit.get_or_none(id=pk).prefetch_related("leases")``: ``QuerySetSingle``'s
  ``prefetch_related``/``select_related``/``only``/``annotate``/``values``/``values_list``), reported where the row is used,
  never at the refinement (the un-awaited ``get_or_none(...)`` is the query, not None).
  ``await Model.get(...)`` raises ``DoesNotExist``: not reported.  ``.filter(...).first()`` stays
  EDGE009 (opt-in), as SQLAlchemy's and Django's ``.first()`` do.
* SEC024/SEC001: the SQL of a connection's ``execute_query``, ``execute_query_dict``,
  ``execute_insert``, ``execute_many`` and ``execute_script`` (``Tortoise.get_connection(name)``,
  ``connections.get(name)``, ``get_connection(name)``), and ``Model.raw(sql)``, built by string
  formatting; values passed as parameters (``execute_query(sql, [name])``) and constant SQL are
  not reported.
* EDGE018: a field read, changed in Python and saved is a lost update inside ``in_transaction()``
  too (a transaction does not lock the row it read); ``select_for_update()`` locks it.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE", "SEC"])


def flagged(src: str) -> set[tuple[int, str]]:
    return {(f.line, f.code) for f in check_source(textwrap.dedent(src), path="app.py", ctx=CTX)}


def marked(src: str) -> set[tuple[int, str]]:
    return {(i, line.rsplit("# !", 1)[1].strip()) for i, line in enumerate(textwrap.dedent(src).splitlines(), 1)
            if "# !" in line}


LOOKUPS = """
from app.models import Unit


def found(obj):
    if obj is None:
        raise LookupError("not found")
    return obj


async def by_key(pk):
    unit = await Unit.get_or_none(id=pk)
    return unit.name  # ! EDGE031


async def refined(pk):
    unit = await Unit.get_or_none(id=pk).prefetch_related("leases")
    return unit.name  # ! EDGE031


async def refined_twice(pk):
    unit = await Unit.get_or_none(id=pk).select_related("owner").only("id", "name")
    return unit.name  # ! EDGE031


async def in_a_transaction(pk, conn):
    unit = await Unit.get_or_none(id=pk).using_db(conn).select_for_update()
    return unit.name  # ! EDGE031


async def in_a_transaction_checked(pk, conn):
    unit = found(await Unit.get_or_none(id=pk).using_db(conn))
    return unit.name


async def values_of_one(pk):
    row = await Unit.get_or_none(id=pk).values("id", "name")
    return row["name"]  # ! EDGE031


async def refined_and_checked(pk):
    unit = await Unit.get_or_none(id=pk).prefetch_related("leases")
    if unit is None:
        raise LookupError(pk)
    return unit.name


async def raising(pk):
    unit = await Unit.get(id=pk)
    return unit.name


async def raising_refined(pk):
    unit = await Unit.get(id=pk).prefetch_related("leases")
    return unit.name


async def first_of_filtered(pk):
    unit = await Unit.filter(id=pk).first()
    return unit.name  # ! EDGE009
"""


def test_lookups():
    assert flagged(LOOKUPS) == marked(LOOKUPS)


SQL = """
from tortoise import Tortoise, connections, get_connection

from app.models import Unit


async def by_query(name):
    conn = Tortoise.get_connection("default")
    return await conn.execute_query(f"SELECT * FROM unit WHERE name = '{name}'")  # ! SEC024


async def by_dict(name):
    return await connections.get("default").execute_query_dict("SELECT * FROM unit WHERE name = '%s'" % name)  # ! SEC024


async def by_insert(name):
    return await get_connection("default").execute_insert(f"INSERT INTO unit (name) VALUES ('{name}')", [])  # ! SEC024


async def by_many(name):
    return await get_connection("default").execute_many(f"UPDATE unit SET note = '{name}' WHERE id = ?", [[1]])  # ! SEC024


async def by_script(table):
    await connections.get("default").execute_script("DROP TABLE " + table)  # ! SEC024


async def by_raw(name):
    return await Unit.raw(f"SELECT * FROM unit WHERE name = '{name}'")  # ! SEC024


async def parameters(name):
    conn = Tortoise.get_connection("default")
    return await conn.execute_query_dict("SELECT * FROM unit WHERE name = $1", [name])


async def constant():
    await connections.get("default").execute_script("DELETE FROM unit WHERE archived")
    return await Unit.raw("SELECT * FROM unit")


async def by_filter(name):
    return await Unit.filter(name=name)
"""


def test_raw_sql():
    assert flagged(SQL) == marked(SQL)


RACES = """
from tortoise.transactions import atomic, in_transaction

from app.models import Unit


async def lost(pk, amount):
    unit = await Unit.get(id=pk)
    unit.balance = unit.balance + amount  # ! EDGE018
    await unit.save()


async def lost_in_a_transaction(pk, amount):
    async with in_transaction():
        unit = await Unit.get(id=pk)
        unit.balance += amount  # ! EDGE018
        await unit.save()


@atomic()
async def lost_in_an_atomic_function(pk, amount):
    unit = await Unit.get(id=pk)
    unit.balance += amount  # ! EDGE018
    await unit.save()


async def locked(pk, amount):
    async with in_transaction():
        unit = await Unit.filter(id=pk).select_for_update().get()
        unit.balance = unit.balance + amount
        await unit.save()


async def locked_by_model(pk, amount):
    async with in_transaction() as conn:
        unit = await Unit.select_for_update().using_db(conn).get(id=pk)
        unit.balance += amount
        await unit.save(using_db=conn)
"""


def test_races():
    assert {f for f in flagged(RACES) if f[1] == "EDGE018"} == marked(RACES)


def test_a_unique_field_alone_does_not_make_a_check_then_insert_safe():
    """Three authors seeded this shape on a unique column as a defect (service25 SQLAlchemy
    `User.email`, service27 Tortoise `Shipment.tracking_code`, service31 peewee
    `Payment.provider_ref`): the race's second insert raises `IntegrityError`, a 500 unless caught."""
    src = """
    from tortoise import fields
    from tortoise.models import Model


    class Shipment(Model):
        tracking_code = fields.CharField(max_length=32, unique=True)


    async def import_reference(code):
        if not await Shipment.exists(tracking_code=code):  # ! EDGE018
            await Shipment.create(tracking_code=code)


    async def import_reference_caught(code):
        if not await Shipment.exists(tracking_code=code):
            try:
                await Shipment.create(tracking_code=code)
            except IntegrityError:
                pass
    """
    assert {f for f in flagged(src) if f[1] == "EDGE018"} == marked(src)
