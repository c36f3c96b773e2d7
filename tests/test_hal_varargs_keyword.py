"""A keyword named like a function's ``*args`` parameter (issue 15, blind corpus
``rich.table.Table(headers=[...])`` for ``Table(*headers, title=...)``): ``*headers`` takes
positional arguments only, so ``headers=`` is an unexpected keyword (TypeError) unless the callee
also takes ``**kwargs``.  Beside the look-alikes that stay silent: the arguments passed by
position, the callee with ``**kwargs``, and a keyword-only parameter of another name."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

LIB = '''
class Table:
    def __init__(self, *headers, title=None):
        self.headers = headers
        self.title = title


def table(*headers, **options):
    return headers, options
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"tablelib.py": LIB}) as context:
        yield context


names = hal_call_lines


def test_a_keyword_named_like_the_star_args_parameter_is_reported(ctx):
    assert names(ctx, """
        import tablelib


        def local(*rows):
            return rows


        def use():
            return tablelib.Table(headers=["a", "b"]), local(rows=[1])
    """) == ["10:HAL004", "10:HAL004"]


def test_positional_arguments_and_callees_taking_kwargs_stay_silent(ctx):
    assert names(ctx, """
        import tablelib


        def use():
            return tablelib.Table("a", "b", title="t"), tablelib.table(headers=["a"])
    """) == []
