"""Calls of compiled classes' members that their stubs make certain (issue 15,
blind corpus): a computed attribute (a getset descriptor: ``ndarray.size``, ``date.year``) whose
stub declares a builtin data type such as ``int``, which is never callable, called like a method
(``arr.size(0)``); and a method whose runtime signature is unknown called with more positional
arguments than its stub declares for the target Python (``now.strftime("%Y", "%m")``:
``date.strftime(self, format)`` takes one).  Beside the look-alikes that stay silent: the
attribute read without a call, a method of the same class, a compiled attribute whose value is a
callable (``partial.func``), the right count, keywords (a stub may name a parameter otherwise than
the runtime), and a receiver known only from an annotation (a subclass may differ)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {}) as context:
        yield context


names = hal_call_lines


def test_a_compiled_computed_attribute_of_a_data_type_called_is_reported(ctx):
    assert names(ctx, """
        import datetime


        def use():
            now = datetime.datetime.now()
            return now.year(), datetime.date.today().month(1)
    """) == ["7:HAL005", "7:HAL005"]


def test_read_methods_callable_values_and_annotated_receivers_stay_silent(ctx):
    assert names(ctx, """
        import datetime
        import functools


        def use(day: datetime.date):
            now = datetime.datetime.now()
            later = functools.partial(print, 1)
            return now.year, now.timestamp(), later.func(2), day.year()
    """) == []



def test_more_positional_arguments_than_the_stub_declares_are_reported(ctx):
    assert names(ctx, """
        import datetime


        def use():
            now = datetime.datetime.now()
            return now.strftime("%Y", "%m"), datetime.date.today().isoformat("T")
    """) == ["7:HAL005", "7:HAL005"]


def test_the_right_count_keywords_varargs_and_annotated_receivers_stay_silent(ctx):
    assert names(ctx, """
        import datetime


        def use(day: datetime.date):
            now = datetime.datetime.now()
            return (now.strftime("%Y"), now.strftime(format="%Y"), now.isoformat("T"), day.strftime("%Y", "%m"),
                    datetime.date.today().isoformat())
    """) == []
