"""EDGE013 across modules: a coroutine calling the project's own synchronous helper that blocks
(vetpy.rules.edge.blocking_calls).

Specification (issue #20, service23's misses: ``db.mark_overdue(session, ...)`` in a sweeper
task, ``db.list_invoices(session, ...)`` in an ``async def`` route): a call, inside ``async def``,
of a module-level ``def`` of another module of the project (``from . import db``,
``from app.db import mark_paid``) whose own body makes a blocking call (a synchronous SQLAlchemy
session's ``execute``/``commit`` on a parameter annotated ``Session``, ``requests``, a
synchronous ``httpx`` request, ``time.sleep``) is reported at the call, naming the helper's
blocking call, its file and line; a session made from a ``sessionmaker`` of another module
(``with SessionLocal() as session: session.execute(...)``) is a synchronous session too.

Look-alikes, never reported: the helper handed to ``asyncio.to_thread``/``run_in_threadpool``;
a helper that does no I/O; a helper taking an ``AsyncSession`` (awaited by the caller, it is a
coroutine function anyway); a helper called from a ``def`` route; a session of an
``async_sessionmaker`` of another module; a same-named function of a library.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

DB = """\
import time

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("sqlite:///app.db")
SessionLocal = sessionmaker(bind=engine)
AsyncSessionLocal = async_sessionmaker(create_async_engine("sqlite+aiosqlite:///app.db"))


def mark_paid(session: Session, number: str) -> None:
    session.execute(text("UPDATE invoices SET status = 'paid' WHERE number = :n"), {"n": number})
    session.commit()


def fetch_rate(currency):
    return requests.get("https://rates.example.com", params={"c": currency}, timeout=5).json()


def pause():
    time.sleep(1)


def fmt(number: str) -> str:
    return number.upper()


async def mark_paid_async(session: AsyncSession, number: str) -> None:
    await session.execute(text("UPDATE invoices SET status = 'paid' WHERE number = :n"), {"n": number})
"""

VIEWS = """\
import asyncio

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import text

from app import db
from app.db import AsyncSessionLocal, SessionLocal, fetch_rate

app = FastAPI()


@app.post("/paid/{number}")
async def paid(number: str):
    with SessionLocal() as session:
        db.mark_paid(session, number)  # !
        session.execute(text("SELECT 1"))  # !
    return {"rate": fetch_rate("EUR")}  # !


async def sweeper():
    while True:
        db.pause()  # !
        await asyncio.sleep(60)


@app.post("/paid-v2/{number}")
async def paid_v2(number: str):
    with SessionLocal() as session:
        await asyncio.to_thread(db.mark_paid, session, number)
        await run_in_threadpool(db.mark_paid, session, number)
    async with AsyncSessionLocal() as session:
        await db.mark_paid_async(session, number)
        await session.execute(text("SELECT 1"))
    return {"number": db.fmt(number)}


@app.post("/paid-v3/{number}")
def paid_v3(number: str):
    with SessionLocal() as session:
        db.mark_paid(session, number)
"""


def _project(tmp_path):
    return write(tmp_path, {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "", "app/db.py": DB,
                            "app/views.py": VIEWS})


def test_blocking_helpers_of_another_module_are_reported_at_the_call(tmp_path):
    root = _project(tmp_path)
    found = [f for f in check_file(root, "app/views.py", context_for(root)) if f.code == "EDGE013"]
    expected = [i + 1 for i, line in enumerate(VIEWS.splitlines()) if line.endswith("# !")]
    assert sorted(f.line for f in found) == expected
    by_line = {f.line: f.message for f in found}
    assert "`session.execute` of a synchronous SQLAlchemy session (db.py, line 14)" in by_line[expected[0]]
    assert "`requests.get` (db.py, line 19)" in by_line[expected[2]]
    assert "`time.sleep` (db.py, line 23)" in by_line[expected[3]]


def test_nothing_is_reported_in_the_helpers_module(tmp_path):
    root = _project(tmp_path)
    assert [f for f in check_file(root, "app/db.py", context_for(root)) if f.code == "EDGE013"] == []
