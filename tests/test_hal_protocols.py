"""HAL003 for a ``with`` / ``async with`` whose value's class lacks ``__enter__`` / ``__aenter__``
(issue 15: ``with var.set(value):`` before Python 3.14).  Beside the look-alikes that stay
silent: a class that has the method, a value known only from an annotation (a subclass may have
it), a ``with`` inside ``try`` expecting the ``TypeError``."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

VESSELS = '''
class Plain:
    def close(self):
        pass


class Managed:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class AsyncOnly:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None


def plain() -> Plain:
    return Plain()
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"vessels.py": VESSELS}) as context:
        yield context


def test_a_value_whose_class_cannot_be_entered_is_reported(ctx):
    assert hal_call_lines(ctx, """
        import vessels

        def sync():
            with vessels.Plain():
                pass
            with vessels.plain() as p:
                return p

        async def asynchronous():
            async with vessels.Managed():
                pass
            with vessels.AsyncOnly():
                pass
    """) == ["5:HAL003", "7:HAL003", "11:HAL003", "13:HAL003"]


def test_a_class_that_can_be_entered_or_an_uncertain_value_is_silent(ctx):
    assert hal_call_lines(ctx, """
        import vessels

        async def entered(p: vessels.Plain):
            with vessels.Managed() as m, p:
                pass
            async with vessels.AsyncOnly():
                pass
            try:
                with vessels.Plain():
                    pass
            except TypeError:
                pass
            return m
    """) == []
