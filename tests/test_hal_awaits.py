"""``await f(...)`` where ``f`` is a plain installed function (issue 15, ``await`` results): what it
returns cannot be awaited, TypeError.  Reported only when the worker proves it: a plain ``def``
(no ``async``, no ``types.coroutine``, no wrapper), a return annotation naming a concrete class
that neither it nor a subclass of it can be awaited, called on an instance known exactly (a
subclass may override the method with an ``async def``).  Each beside look-alikes that run."""

from __future__ import annotations

import asyncio
import importlib
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

AWAITLIB = '''
import asyncio
import collections.abc
import functools
import types
from typing import Any, Awaitable, Optional


class Ticket:
    def __await__(self):
        return iter(())


class Base:
    pass


class Awaited(Base):
    def __await__(self):
        return iter(())


def passthrough(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return asyncio.sleep(0)
    return wrapper


class Response:
    def raise_for_status(self) -> "Response":
        return self

    def text(self) -> str:
        return ""

    def close(self) -> None:
        return None

    def json(self) -> Any:
        return asyncio.sleep(0)

    async def aread(self) -> bytes:
        return b""

    def later(self) -> Awaitable[int]:
        return asyncio.sleep(0, 1)

    async def chunks(self) -> collections.abc.AsyncIterator[bytes]:
        yield b""

    @types.coroutine
    def legacy(self) -> "Response":
        yield

    @passthrough
    def wrapped(self) -> "Response":
        return self

    def ticket(self) -> Ticket:
        return Ticket()

    def base(self) -> Base:
        return Awaited()

    def maybe(self) -> Optional["Response"]:
        return None

    def items(self) -> collections.abc.Iterable:
        return asyncio.get_event_loop().create_future()

    def untyped(self):
        return asyncio.sleep(0)


def make() -> Response:
    return Response()


def schedule():
    return asyncio.sleep(0)
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"awaitlib.py": AWAITLIB}) as context:
        yield context


FLAGGED = '''
import awaitlib

async def flagged():
    r = awaitlib.Response()
    await r.raise_for_status()
    await r.text()
    await r.close()
    await awaitlib.make()
'''

SILENT = '''
import awaitlib

async def silent(given: awaitlib.Response):
    r = awaitlib.Response()
    await r.json()
    await r.aread()
    await r.later()
    await r.legacy()
    await r.wrapped()
    await r.ticket()
    try:
        await r.base()
    except TypeError:
        pass
    await awaitlib.schedule()
    await r.untyped()
    await given.raise_for_status()  # a subclass may override it with an async def
    async for _chunk in r.chunks():
        pass

async def guarded():
    try:
        await awaitlib.make()
    except TypeError:
        pass
'''


def test_awaiting_a_plain_function_is_reported(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["6:HAL003", "7:HAL003", "8:HAL003", "9:HAL003"]


def test_awaitables_and_what_cannot_be_proven_stay_silent(ctx):
    assert hal_call_lines(ctx, SILENT) == []


def _run(tmp_path, code: str, function: str, *args) -> None:
    """Run ``function`` of ``code`` beside the package, both imported from files under ``tmp_path``."""
    for name, text in (("awaitlib", AWAITLIB), ("snippet", code)):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(text))
    sys.path.insert(0, str(tmp_path))
    try:
        snippet = importlib.import_module("snippet")
        asyncio.run(getattr(snippet, function)(*args))
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("awaitlib", "snippet"):
            sys.modules.pop(name, None)


@pytest.mark.parametrize("line", [line for line in FLAGGED.splitlines() if line.startswith("    await")])
def test_what_is_reported_raises(tmp_path, line):
    code = FLAGGED.replace("async def flagged():", "async def one():\n    r = awaitlib.Response()\n" + line + "\n\nasync def flagged():")
    with pytest.raises(TypeError, match="can't be used in 'await' expression"):
        _run(tmp_path, code, "one")


def test_what_stays_silent_runs(tmp_path):
    _run(tmp_path, SILENT, "silent", _Given())
    _run(tmp_path, SILENT, "guarded")


class _Given:
    async def raise_for_status(self):
        return None
