"""HAL005 for a method of an installed instance used as a value in arithmetic
(``arrow.utcnow().timestamp + 60``: a property in arrow 0.x, a method since 1.0), beside the
look-alikes that run or are not certain: the method called, a property, ``%`` formatting, an
annotated receiver (a subclass may make it a property), an operand of unknown type, and a handler
expecting ``TypeError``."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, pinned_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


def test_a_method_read_as_a_number_is_reported(ctx):
    assert hal_call_lines(ctx, """
        import datetime
        now = datetime.datetime.now()
        later = now.timestamp + 60
        label = "at " + now.isoformat
        earlier = 60 - now.timestamp
    """) == ["4:HAL005", "5:HAL005", "6:HAL005"]


def test_a_called_method_a_property_formatting_or_an_uncertain_operand_is_not(ctx):
    assert hal_call_lines(ctx, """
        import datetime

        def use(stamp: datetime.datetime, other, count: int):
            now = datetime.datetime.now()
            a = now.timestamp() + 60
            b = now.year + 1
            c = "%s" % now.timestamp
            d = stamp.timestamp + 60
            e = other + now.timestamp
            f = count * now.isoformat
            try:
                g = now.timestamp - 1
            except TypeError:
                g = 0
            return a, b, c, d, e, f, g
    """) == []
