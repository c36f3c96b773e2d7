"""One mistake, one finding (issue 15's false positives): ``import pkg.sub`` of a submodule that
does not exist is reported at the import (HAL001); ``pkg.sub`` used below it is that same
mistake, not a second one.  The look-alike: ``pkg.sub`` used without importing it is reported
where it is used."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_context, target_python
from vetpy.engine import check_source

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python())
    yield context
    context.members.close()


def lines(ctx, code: str) -> list[str]:
    found = check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
    return [f"{f.line}:{f.code}" for f in found if f.code.startswith("HAL")]


def test_a_missing_submodule_is_reported_once_at_its_import(ctx):
    assert lines(ctx, """
        import json.fastpath


        def load(text):
            return json.fastpath.loads(text)
    """) == ["2:HAL001"]


def test_a_missing_submodule_used_without_its_import_is_reported_where_used(ctx):
    assert lines(ctx, """
        import json


        def load(text):
            return json.fastpath.loads(text)
    """) == ["6:HAL003"]


# -- the fallback of a feature probe ----------------------------------------------------------
# `json.dumps` exists and `json.dumps_fast` does not: code that runs only when a probe of an
# existing name fails is another release's fallback; a probe of a missing name decides nothing
# (and silences its own name everywhere in the file: each function below uses its own).

def test_the_fallback_of_a_probe_the_target_passes_is_not_checked(ctx):
    assert lines(ctx, """
        import json


        def early(obj):
            if hasattr(json, "dumps"):
                return json.dumps(obj)
            return json.dumps_fast(obj)


        def branches(obj):
            if hasattr(json, "dumps"):
                out = json.dumps(obj)
            else:
                out = json.dumps_fast(obj, indentation=2)
            if not hasattr(json, "dumps"):
                out = json.dumps_fast(obj)
            return out
    """) == []


def test_code_beside_a_probe_that_fails_or_does_not_end_is_checked(ctx):
    assert lines(ctx, """
        import json


        def missing_probe(obj):
            if hasattr(json, "dumps_fast"):
                return json.dumps_fast(obj)
            return json.dumps_faster(obj)


        def falls_through(obj):
            if hasattr(json, "dumps"):
                obj = dict(obj)
            return json.dumps_quick(obj)
    """) == ["8:HAL003", "14:HAL003"]


# -- the `except AttributeError:` fallback, and code after an import the target cannot make ------
# seaborn 0.13: `try: return mpl.colormaps[name]` / `except AttributeError: return
# mpl.cm.get_cmap(name)`; its vendored appdirs: `from com.sun import jna` (Jython) then
# `array.zeros(...)`, which CPython's array lacks: neither runs against the target.

def test_the_attribute_error_fallback_of_names_the_target_has_is_not_checked(ctx):
    assert lines(ctx, """
        import inspect
        import sys


        def signature_text(func):
            try:
                return str(inspect.signature(func))
            except (AttributeError, ValueError):
                return inspect.formatargspec(*inspect.getfullargspec(func))


        def utf8():
            try:
                return sys.flags.utf8_mode
            except AttributeError:
                return sys.flags.utf8_modes
    """) == []


def test_the_attribute_error_fallback_is_checked_when_the_try_may_fail_here(ctx):
    assert lines(ctx, """
        import inspect


        def signature_text(func, helper):
            try:
                return str(inspect.signaturee(func))
            except AttributeError:
                return inspect.formatargspec(func)


        def unknown(func, helper):
            try:
                return helper.describe(func)
            except AttributeError:
                return inspect.formatargspec(func)


        def other_errors(func):
            try:
                return str(inspect.signature(func))
            except ValueError:
                return inspect.formatargspec(func)
    """) == ["9:HAL003", "16:HAL003", "23:HAL003"]


def test_code_after_an_import_the_target_cannot_make_does_not_run_here(ctx):
    assert lines(ctx, """
        def jython_folder(size):
            import array
            from com.sun import jna
            return array.zeros("c", size), jna


        def cpython_folder(size):
            import array
            return array.zeros("c", size)
    """) == ["10:HAL003"]  # an unknown module imported in a function is an optional tool (no HAL001)


def test_code_under_type_checking_never_runs(ctx):
    # flask-admin 2.2's tests: `if t.TYPE_CHECKING: X = scoped_session[flask_sqlalchemy.Session.session]`
    assert lines(ctx, """
        import json
        import typing as t
        from typing import TYPE_CHECKING

        if t.TYPE_CHECKING:
            X = json.JSONDecoderr
        if TYPE_CHECKING:
            Y = json.JSONDecoderr
        else:
            Y = json.JSONDecoderr
    """) == ["11:HAL003"]


def test_names_new_sets_on_the_instance_it_makes(ctx):
    # click 8's `codecs.lookup(encoding).name`: CodecInfo.__new__ does `self = tuple.__new__(cls,
    # ...)` then `self.name = name`; a misspelt name is still reported
    assert lines(ctx, """
        import codecs


        def name(encoding):
            return codecs.lookup(encoding).name


        def misspelt(encoding):
            return codecs.lookup(encoding).namee
    """) == ["10:HAL003"]
