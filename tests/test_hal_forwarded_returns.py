"""What ``await asyncio.to_thread(fn, *args)`` gives (issue 15, blind2 corpus): typeshed declares
``async def to_thread(func: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs) -> _R``, so
awaiting it gives what ``fn(*args)`` gives: a helper's annotated return, an installed function's or
class's result.  Beside the look-alikes that stay silent: the call not awaited (a coroutine, whose
``close`` exists), awaited through another function (``wait_for``), a lambda or a function of
unknown return, a real member of the result."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {}) as context:  # the standard library only
        yield context


def test_a_missing_member_of_what_the_function_given_to_to_thread_returns_is_reported(ctx):
    assert hal_call_lines(ctx, """
        import asyncio
        import pathlib


        def load_counts() -> dict[str, int]:
            return {}


        async def main(name):
            counts = await asyncio.to_thread(load_counts)
            size = await asyncio.to_thread(len, name)
            path = await asyncio.to_thread(pathlib.PurePosixPath, "a/b.txt")
            return counts.has_key("a"), size.isdigit(), path.exists_ok
    """) == ["14:HAL003", "14:HAL003", "14:HAL003"]


def test_unawaited_indirect_unknown_and_real_members_stay_silent(ctx):
    assert hal_call_lines(ctx, """
        import asyncio


        def load_counts() -> dict[str, int]:
            return {}


        def unknown():
            return load_counts


        async def main(fn):
            pending = asyncio.to_thread(load_counts)
            pending.close()
            done = await asyncio.wait_for(asyncio.to_thread(load_counts), 1)
            other = await asyncio.to_thread(lambda: 3)
            given = await asyncio.to_thread(fn)
            made = await asyncio.to_thread(unknown())
            counts = await asyncio.to_thread(load_counts)
            return done.has_key, other.has_key, given.has_key, made.has_key, counts.items()
    """) == []
