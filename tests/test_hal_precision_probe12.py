"""Precision on developer tools and data libraries (issue #16, freshprobe12's probe of pdm,
pylint, luigi, optuna and others).  Each case that must stay silent has a look-alike that is
still reported."""

from __future__ import annotations

import sys
import textwrap

import pytest

from test_hal_support import pinned_context
from vetpy.engine import check_source

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        pkg = context.root / "pkg"  # the modules the snippets import names from
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        (pkg / "guards.py").write_text("import contextlib\n\ntry_import = ImportGuard = contextlib.nullcontext\n")
        (pkg / "flags.py").write_text("HAS_CRT = CRT_AVAILABLE = CRT = HAS_GL = False\n")
        (pkg / "locks.py").write_text("import contextlib\n\nimporting_lock = contextlib.nullcontext\n")
        yield context


def found(ctx, code: str, codes=("HAL001", "HAL002", "HAL003", "HAL004", "HAL005"), name: str = "snippet.py"):
    return [(f.code, f.line) for f in check_source(textwrap.dedent(code), str(ctx.root / name), ctx) if f.code in codes]


# -- a Protocol that declares a member in a later release ----------------------------------------

@pytest.mark.skipif(sys.version_info >= (3, 12), reason="PackageMetadata.get is declared from Python 3.12")
def test_a_member_a_protocol_declares_in_a_later_release_is_not_missing(ctx):
    # pdm: `dist.metadata` is declared `PackageMetadata`, a Protocol that lists `get` from 3.12;
    # the object is importlib.metadata's email Message, which always had it
    assert found(ctx, """
        import importlib.metadata as im

        def name(dist: im.Distribution):
            return dist.metadata.get("Name")

        def pip_name():
            return im.distribution("pip").metadata.get("Name")
    """) == []


def test_a_name_no_release_of_the_protocol_declares_is_still_missing(ctx):
    # (tenacity's `_RetryDecorated` Protocol: `job.retry_stats`, in the recall corpus)
    assert found(ctx, """
        import importlib.metadata as im

        def text():
            return im.distribution("pip").read_txt("METADATA")

        def bogus():
            return im.distribution("pip").metadata.bogus_name
    """) == [("HAL003", 5), ("HAL003", 8)]


# -- an instance of a metaclass is a class it made ----------------------------------------------

def test_cls_in_a_metaclass_has_what_its_classes_define(ctx):
    # luigi's `Register(abc.ABCMeta).__call__`: `cls.get_params()` is `Task.get_params`
    assert found(ctx, """
        import abc

        class Register(abc.ABCMeta):
            def __call__(cls, *args, **kwargs):
                params = cls.get_params()
                return super().__call__(*args, **kwargs)

            @property
            def task_family(cls):
                return cls.get_task_namespace()

        class Plain(type):
            def build(cls):
                return cls.get_thing()
    """) == []


def test_self_of_a_class_that_is_no_metaclass_is_still_checked(ctx):
    assert found(ctx, """
        import requests

        class Client(requests.Session):
            def __init__(self):
                super().__init__()
                self.base = "https://example.org"

            def fetch(self, path):
                return self.gett(self.base + path)
    """) == [("HAL003", 10)]


# -- a compiled class named like the function beside it --------------------------------------

def test_a_class_calling_itself_like_a_function_does_not_replace_the_function(ctx):
    # pylint: `_csv.Writer` calls itself `_csv.writer`; once the file names `_csv.Writer`, the
    # factory `csv.writer(f, dialect=...)` was checked against the class ("no keyword `dialect`")
    code = """
        from __future__ import annotations

        import csv
        from io import StringIO
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            import _csv

        def dump(rows):
            out = StringIO()
            writer = csv.writer(out, dialect="excel")
            for row in rows:
                put(writer, row)
            return out.getvalue()

        def put(writer: _csv.Writer, row) -> None:
            writer.writerow(row)
    """
    assert found(ctx, code) == []
    # the class is still described as itself
    assert found(ctx, code.replace("writer.writerow(row)", "writer.writerowz(row)")) == [("HAL003", 19)]


# -- a with block that guards imports -----------------------------------------------------------

def test_imports_under_a_context_manager_named_for_guarding_them_are_optional(ctx):
    # optuna: `with try_import() as _imports: import plotly`; its __exit__ keeps the ImportError
    assert found(ctx, """
        import contextlib
        from pkg.guards import try_import, ImportGuard

        with try_import() as _imports:
            import plotly_not_installed_xyz
            from matplotlib_not_installed_xyz import pyplot

        with ImportGuard():
            import sklearn_not_installed_xyz

        def test_missing(self):
            with self.assertRaises(ModuleNotFoundError):
                import yet_another_missing_xyz
    """, codes=("HAL001",)) == []


def test_imports_under_other_context_managers_are_still_checked(ctx):
    assert found(ctx, """
        import warnings
        from pkg.locks import importing_lock

        with warnings.catch_warnings():
            import plotly_not_installed_xyz

        with importing_lock():
            import sklearn_not_installed_xyz

        with open("x") as fh:
            import pandas_not_installed_xyz
    """, codes=("HAL001",)) == [("HAL001", 6), ("HAL001", 9), ("HAL001", 12)]


# -- narrowing by an early exit and by a class pattern -----------------------------------------

_NARROWING_HELPERS = """
    import re

    def is_special(x):
        return isinstance(x, Special)

    class Special:
        special = 1
"""


def test_a_name_after_an_exit_on_its_test_and_in_a_class_case_is_narrowed(ctx):
    # pylint: `if not isinstance(parent_class, nodes.ClassDef): return`, then `.mymethods()`;
    # `if not assigned_bool(node): return False`, then `node.targets`; `case nodes.For(): node.iter`
    assert found(ctx, _NARROWING_HELPERS + """
    def first(u):
        r = re.compile(u)
        if not is_special(r):
            return None
        return r.special

    def each(urls):
        for u in urls:
            r = re.compile(u)
            if not isinstance(r, Special):
                continue
            r.special()

    def matched(u):
        r = re.compile(u)
        match r:
            case Special():
                return r.special
    """, codes=("HAL003",)) == []


def test_an_exit_on_another_name_or_a_test_that_does_not_leave_narrows_nothing(ctx):
    assert found(ctx, _NARROWING_HELPERS + """
    def other(u, v):
        r = re.compile(u)
        if not is_special(v):
            return None
        return r.special

    def stays(u):
        r = re.compile(u)
        if not is_special(r):
            print("plain")
        return r.special

    def matched(u, v):
        r = re.compile(u)
        match v:
            case Special():
                return r.special

    def after_the_exit(u):
        r = re.compile(u)
        found = r.special
        if not is_special(r):
            return None
        return found

    def not_negated(u):
        r = re.compile(u)
        if isinstance(r, Special):
            return None
        return r.special
    """, codes=("HAL003",)) == [("HAL003", 14), ("HAL003", 20), ("HAL003", 26), ("HAL003", 30), ("HAL003", 39)]


# -- a HAS_ flag named for part of the module ---------------------------------------------------

def test_a_has_flag_named_for_part_of_the_module_guards_it(ctx):
    # boto3: `from botocore.compat import HAS_CRT`, then `if HAS_CRT: import awscrt.s3`
    assert found(ctx, """
        from pkg.flags import HAS_CRT, CRT_AVAILABLE

        if HAS_CRT:
            import xyzawscrt.s3

        if CRT_AVAILABLE:
            import not_installed_xyzcrt
    """, codes=("HAL001",)) == []


def test_a_flag_naming_another_module_or_none_guards_nothing(ctx):
    assert found(ctx, """
        from pkg.flags import HAS_CRT, CRT, HAS_GL

        if HAS_CRT:
            import numpy_not_installed_xyz

        if CRT:
            import xyzawscrt

        if HAS_GL:
            import xyzopengl
    """, codes=("HAL001",)) == [("HAL001", 5), ("HAL001", 8), ("HAL001", 11)]
