"""A declared union return narrowed by a parameter the call leaves at its ``None`` default (issue
15, chain receivers; branch recall29, resolve/default_branches.py).

pandas' ``rolling(...) -> Window | Rolling`` returns the ``Window`` only under ``if win_type is not
None:``; a call that never passes ``win_type`` gets the ``Rolling``, whose ``mean`` takes no
``min_periods`` (``Window.mean`` takes ``**kwargs``).  Written first as what must be reported and
what must stay silent: the branch's parameter passed (by keyword, by position, spread), rebound in
the function (each of these runs: ``Weighted.total`` takes ``**kwargs``)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

PACKAGE = {
    "windows/__init__.py": '''
        class Plain:
            def total(self, numeric_only=False):
                return 0


        class Weighted:
            def total(self, numeric_only=False, **kwargs):
                return 0


        def make(size, kind=None) -> Weighted | Plain:
            """A window."""
            if kind is not None:
                return Weighted()
            return Plain()


        def make_truthy(size, kind=None, *, strict=False) -> Weighted | Plain:
            if kind and size:
                return Weighted()
            return Plain()


        def make_rebound(size, kind=None) -> Weighted | Plain:
            kind = kind or "weighted"
            if kind is not None:
                return Weighted()
            return Plain()


        class Frame:
            def rolling(self, window, win_type=None) -> Weighted | Plain:
                if win_type is not None:
                    return Weighted()
                return Plain()
    ''',
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, PACKAGE) as context:
        yield context


def test_the_branch_a_none_default_skips_selects_the_returned_class(site):
    assert hal_call_lines(site, """
        from windows import Frame, make, make_truthy


        def use(frame: Frame):
            make(3).total(min_periods=1)
            make_truthy(3, strict=True).total(min_periods=1)
            Frame().rolling(2).total(min_periods=1)
            frame.rolling(2).total(min_periods=1)
    """) == ["6:HAL004", "7:HAL004", "8:HAL004", "9:HAL004"]


def test_real_keywords_and_calls_that_may_take_the_other_branch_stay_silent(site):
    assert hal_call_lines(site, """
        from windows import Frame, make, make_rebound


        def use(kind, args, options):
            make(3).total(numeric_only=True)
            make(3, "weighted").total(min_periods=1)
            make(3, kind=kind).total(min_periods=1)
            make(*args).total(min_periods=1)
            make(3, **options).total(min_periods=1)
            make_rebound(3).total(min_periods=1)
            Frame().rolling(2, "triang").total(std=1)
            Frame().rolling(2, win_type="triang").total(std=1)
    """) == []
