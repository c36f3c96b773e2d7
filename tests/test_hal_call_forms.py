"""Calls checked through forms that were open before (issue 15, the call side of the independent
corpus's misses):

- a required parameter left out while the callee's ``**kwargs`` is open: the keyword given
  instead never fills it (``csv.DictWriter(f, fields=[...])``: ``fieldnames`` is missing);
- ``*args`` passed on whole (``dict(*args, **kwargs)`` in jinja2's ``Template.render``) to callees
  that take a bounded number of positional arguments: more than they take fails in each of them;
- a method of a compiled class that Cython compiles with its Python signature
  (``Generator.integers``: ``cython_function_or_method`` in the class's dict);
- ``functools.partial(f, ...)``: the keywords and positional arguments it binds are passed to
  ``f`` on every call, so one that ``f`` does not take fails whenever the partial is called.

Beside each, the look-alikes that run: keywords an open ``**kwargs`` takes, ``*args`` that
reach an open callee or are used otherwise, a ``TypeError`` caught around the forward, a
subclass of the project overriding the method the arguments go to, a partial whose callee has
no readable signature (``int``) or takes ``**kwargs``."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, pinned_context, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


SPREADS = '''
def two(a, b=1):
    return a, b


def passes(*args, **kwargs):
    return two(*args, **kwargs)


def passes_after(x, *args):
    return two(x, *args)


def to_print(*args):
    print(*args)


def counted(*args):
    if len(args) > 5:
        raise ValueError("too many")
    return two(*args)


def caught(*args):
    try:
        return two(*args)
    except TypeError:
        return None


def later(*args):
    def inner():
        return two(*args)
    return inner


def to_dict(*args, **kwargs):
    return dict(*args, **kwargs)


def needs(a, **kw):
    return a, kw


class Box:
    def put(self, *args):
        return self._store(*args)

    def _store(self, item):
        return item
'''


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("spreadpkg", SPREADS)) as context:
        yield context


# -- a required parameter beside an open **kwargs ---------------------------------------------

def test_a_required_parameter_missing_beside_an_open_kwargs_is_reported(ctx, pkg):
    assert hal_call_lines(ctx, """
        import csv
        import io
        csv.DictWriter(io.StringIO(), fields=["a"])
    """) == ["4:HAL005"]
    assert hal_call_lines(pkg, """
        import spreadpkg
        spreadpkg.needs(b=1)
    """) == ["3:HAL005"]


def test_keywords_an_open_kwargs_takes_beside_the_required_ones_are_silent(ctx, pkg):
    assert hal_call_lines(ctx, """
        import csv
        import io
        csv.DictWriter(io.StringIO(), fieldnames=["a"], delimiter=";")
        csv.DictWriter(io.StringIO(), ["a"], quoting=csv.QUOTE_ALL)
        def build(opts, rest):
            csv.DictWriter(io.StringIO(), **opts)
            csv.DictWriter(*rest, delimiter=";")
    """) == []
    assert hal_call_lines(pkg, """
        import spreadpkg
        spreadpkg.needs(1, b=2)
        spreadpkg.needs(a=1, b=2)
    """) == []


# -- *args passed on whole ---------------------------------------------------------------------

def test_more_positional_arguments_than_the_forwarded_callees_take_are_reported(ctx, pkg):
    assert hal_call_lines(ctx, """
        from jinja2 import Template
        Template("{{ a }}").render({"a": 1}, {"b": 2})
    """) == ["3:HAL005"]
    assert hal_call_lines(pkg, """
        import spreadpkg
        spreadpkg.passes(1, 2, 3)
        spreadpkg.passes_after(1, 2, 3)
        spreadpkg.to_dict({}, {})
        spreadpkg.Box().put(1, 2)
    """) == ["3:HAL005", "4:HAL005", "5:HAL005", "6:HAL005"]


def test_star_args_that_fit_reach_an_open_callee_or_are_used_otherwise_are_silent(ctx, pkg):
    assert hal_call_lines(ctx, """
        from jinja2 import Template
        Template("{{ a }}").render({"a": 1})
        Template("{{ a }}").render({"a": 1}, b=2)
        Template("{{ a }}").render(a=1)
    """) == []
    assert hal_call_lines(pkg, """
        import spreadpkg
        spreadpkg.passes(1, 2)
        spreadpkg.passes_after(1, 2)
        spreadpkg.to_print(1, 2, 3, 4)
        spreadpkg.counted(1, 2, 3)
        spreadpkg.caught(1, 2, 3)
        spreadpkg.later(1, 2, 3)
        spreadpkg.to_dict({}, a=1)
        spreadpkg.Box().put(1)
    """) == []


def test_a_project_subclass_overriding_the_forward_target_keeps_star_args_open(tmp_path_factory):
    """``put`` passes ``*args`` to ``self._store``: a receiver annotated ``Box`` may be a project
    subclass whose ``_store`` takes more; a new ``Box()`` is still checked."""
    with site_context(tmp_path_factory, one_package("spreadpkg", SPREADS)) as context:
        (context.root / "shelves.py").write_text(textwrap.dedent("""
            import spreadpkg

            class Shelf(spreadpkg.Box):
                def _store(self, *items):
                    return items
        """))
        assert hal_call_lines(context, """
            import spreadpkg

            def fill(box: spreadpkg.Box):
                box.put(1, 2)
        """) == []


# -- Cython methods ----------------------------------------------------------------------------

def test_a_cython_method_called_with_too_many_arguments_is_reported(ctx):
    assert hal_call_lines(ctx, """
        import numpy as np
        rng = np.random.default_rng(0)
        rng.integers(0, 10, 3, np.int64, True, 5)
        rng.integers(0, 10, sizes=3)
    """) == ["4:HAL005", "5:HAL004"]


def test_calls_a_cython_method_accepts_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import numpy as np
        rng = np.random.default_rng(0)
        rng.integers(0, 10, 3, np.int64, True)
        rng.integers(low=0, high=10, size=3, endpoint=True)
        rng.choice([1, 2, 3], 2, replace=False)
        rng.standard_normal((2, 2))
    """) == []


# -- functools.partial -------------------------------------------------------------------------

def test_a_partial_binding_what_its_callee_does_not_take_is_reported(ctx, pkg):
    assert hal_call_lines(ctx, """
        import functools
        from functools import partial
        functools.partial(sorted, reversed=True)([3, 1])
        partial(sorted, key=len, reversed=True)
    """) == ["4:HAL004", "5:HAL004"]
    assert hal_call_lines(pkg, """
        from functools import partial
        import spreadpkg
        partial(spreadpkg.two, 1, 2, 3)
        partial(spreadpkg.needs, 1, 2)
    """) == ["4:HAL005", "5:HAL005"]


def test_partials_their_callee_takes_are_silent(ctx, pkg):
    assert hal_call_lines(ctx, """
        import functools
        from functools import partial
        functools.partial(sorted, reverse=True)([3, 1])
        partial(sorted, key=len)
        partial(int, base=2)
        partial(print, "a", "b", sep="")
        def bind(f, opts):
            partial(sorted, **opts)
            partial(f, anything=1)
    """) == []
    assert hal_call_lines(pkg, """
        from functools import partial
        import spreadpkg
        partial(spreadpkg.two, 1)
        partial(spreadpkg.two, b=2)
        partial(spreadpkg.needs, 1, b=2, c=3)
        partial(spreadpkg.needs, c=3)
    """) == []


# -- attrs.evolve ------------------------------------------------------------------------------

ATTRS_PINS = ("attrs==26.1.0",)


@pytest.fixture(scope="module")
def attrs_ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory, ATTRS_PINS) as context:
        yield context


def test_evolve_with_a_keyword_the_attrs_class_does_not_take_is_reported(attrs_ctx):
    assert hal_call_lines(attrs_ctx, """
        import attr
        import attrs

        @attrs.frozen
        class Config:
            name: str
            retries: int = 3

        attrs.evolve(Config("svc"), timeout=5)
        cfg = Config("svc")
        attr.evolve(cfg, retry=1)
    """) == ["10:HAL004", "12:HAL004"]


def test_evolve_with_fields_the_class_takes_or_of_an_uncertain_class_is_silent(attrs_ctx):
    assert hal_call_lines(attrs_ctx, """
        import attrs

        @attrs.define
        class Config:
            name: str
            _token: str = ""
            cached: int = attrs.field(init=False, default=0)

        cfg = Config("svc")
        attrs.evolve(cfg, name="other")
        attrs.evolve(cfg, token="t")
        attrs.evolve(cfg, cached=1)

        def change(c: Config, opts):
            attrs.evolve(c, anything=1)
            attrs.evolve(cfg, **opts)
    """) == []
