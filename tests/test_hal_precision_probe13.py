"""Precision on fresh packages (issue #16, freshprobe13's probe of beautifulsoup4, hatch,
watchdog, kedro, trio and others).  Each case that must stay silent has a look-alike that is
still reported."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import one_package, site_context
from vetpy.engine import check_source

pytestmark = pytest.mark.slow

_BUILDERS = """
class BuilderInterface:
    project_id = "demo-1.0"


class CustomBuilder:
    def __new__(cls, root: str) -> BuilderInterface:
        return BuilderInterface()


class Plain:
    def __new__(cls, root: str) -> "Plain":
        return super().__new__(cls)


class Selfish:
    def __new__(cls, root: str):
        return super().__new__(cls)


class Sender:
    def send_nowait(self, item): ...


class Receiver:
    def receive_nowait(self): ...


class make_streams(tuple):  # anyio's create_memory_object_stream
    def __new__(cls, size: int = 0) -> "tuple[Sender, Receiver]":
        return tuple.__new__(cls, (Sender(), Receiver()))
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("builders", _BUILDERS)) as context:
        yield context


def found(ctx, code: str, name: str = "snippet.py", codes=("HAL001", "HAL002", "HAL003", "HAL004", "HAL005")):
    return [(f.code, f.line) for f in check_source(textwrap.dedent(code), str(ctx.root / name), ctx) if f.code in codes]


# -- `__new__` that makes an instance of another class -------------------------------------------

def test_what_str_new_makes_for_a_subclass_is_an_instance_of_that_subclass(ctx):
    # beautifulsoup4's NavigableString.__new__: `u = str.__new__(cls, value)` then `u.setup()`
    assert found(ctx, """
        class Navigable(str):
            def __new__(cls, value):
                u = str.__new__(cls, value)
                u.hidden = False
                u.setup()
                return u

            def setup(self):
                pass
    """) == []


def test_a_plain_str_is_still_a_str(ctx):
    assert found(ctx, """
        def f(value):
            return str(value).setup()
    """) == [("HAL003", 3)]


def test_an_installed_class_whose_new_returns_another_class_makes_that_one(ctx):
    # hatchling's `CustomBuilder.__new__(...) -> BuilderInterface`: `CustomBuilder(root).project_id`
    assert found(ctx, """
        from builders import CustomBuilder

        def f(root):
            return CustomBuilder(root).project_id
    """) == []


def test_an_installed_class_whose_new_makes_its_own_instance_is_still_checked(ctx):
    assert found(ctx, """
        from builders import Plain, Selfish

        def f(root):
            return Plain(root).project_id, Selfish(root).project_id
    """) == [("HAL003", 5), ("HAL003", 5)]


def test_an_installed_class_whose_new_returns_a_fixed_tuple_unpacks_to_its_items(ctx):
    # anyio's `create_memory_object_stream(tuple[...])` with `__new__ -> tuple[Send, Receive]`:
    # blind2's `send.put_nowait` (asyncio.Queue's name), missed while any other `__new__` return was open
    assert found(ctx, """
        from builders import make_streams

        def f():
            send, receive = make_streams(1)
            send.send_nowait(1)
            send.put_nowait(1)
            return receive.receive_nowait(), receive.get_nowait()
    """) == [("HAL003", 7), ("HAL003", 8)]


def test_a_local_class_whose_new_returns_another_object_is_open(ctx):
    assert found(ctx, """
        class Other:
            def __new__(cls, root):
                return make(root)

        def f(root):
            return Other(root).strip()
    """) == []


def test_a_local_class_whose_new_returns_what_super_new_made_is_still_checked(ctx):
    assert found(ctx, """
        class Made:
            def __new__(cls, root):
                self = super().__new__(cls)
                self.root = root
                return self

        def f():
            return Made("x").rooot
    """) == [("HAL003", 9)]


# -- a struct sequence takes a sequence and a dict ------------------------------------------------

def test_a_struct_sequence_takes_its_dict_of_extra_fields(ctx):
    # watchdog's tests: `os.stat_result(values, extra)`; inspect reads tuple's `(iterable=(), /)`
    assert found(ctx, """
        import os
        import time

        def f(path, extra):
            values = list(os.stat(path))
            return os.stat_result(values, extra), time.struct_time(values, {})
    """) == []


def test_tuple_still_takes_one_iterable(ctx):
    assert found(ctx, """
        def f(values):
            return tuple(values, 2)
    """) == [("HAL005", 3)]


# -- skip marks are conditions ---------------------------------------------------------------------

def test_a_test_skipped_where_its_platform_check_fails_is_not_checked_there(ctx):
    # watchdog: `@pytest.mark.skipif(not platform.is_windows(), ...)` then `signal.SIGBREAK`
    assert found(ctx, """
        import queue
        import signal
        import sys
        import unittest

        import pytest

        from watchdog.utils import platform

        @pytest.mark.skipif(not platform.is_windows(), reason="Windows only")
        def test_break():
            assert signal.CTRL_BREAK_EVENT

        @pytest.mark.skipif(sys.version_info < (3, 13), reason="3.13")
        def test_shutdown():
            assert queue.ShutDown

        class TestWindows(unittest.TestCase):
            @unittest.skipUnless(sys.platform == "win32", "Windows only")
            def test_break(self):
                assert signal.CTRL_BREAK_EVENT
    """, name="test_marks.py", codes=("HAL003",)) == []


def test_a_module_pytestmark_skip_is_a_condition_of_every_test(ctx):
    assert found(ctx, """
        import signal
        import sys

        import pytest

        pytestmark = [pytest.mark.skipif(sys.platform != "win32", reason="Windows only")]

        def test_break():
            assert signal.CTRL_BREAK_EVENT
    """, name="test_module_mark.py", codes=("HAL003",)) == []


def test_a_test_whose_skip_condition_is_false_on_the_target_is_still_checked(ctx):
    assert found(ctx, """
        import queue
        import signal
        import sys
        import unittest

        import pytest

        @pytest.mark.skipif(sys.version_info < (3, 8), reason="old")
        def test_typo():
            assert queue.ShutDow

        @pytest.mark.slow
        def test_unmarked():
            assert signal.CTRL_BREAK_EVENT

        class TestWindows(unittest.TestCase):
            @unittest.skipIf(sys.platform == "win32", "not on Windows")
            def test_break(self):
                assert signal.CTRL_BREAK_EVENT
    """, name="test_kept.py", codes=("HAL003",)) == [("HAL003", 11), ("HAL003", 15), ("HAL003", 20)]


# -- a Cython module of the project ----------------------------------------------------------------

def test_a_relative_import_of_a_pyx_module_beside_the_file_is_built(ctx):
    # trio's tests/cython/run_test_cython.py: `from .test_cython import invoke_main_entry_point`
    folder = ctx.root / "cython_demo"
    folder.mkdir(exist_ok=True)
    (folder / "fast.pyx").write_text("def run():\n    return 1\n")
    assert found(ctx, """
        from .fast import run
        from .slow import run as run_slow
    """, name="cython_demo/run_it.py", codes=("HAL001",)) == [("HAL001", 3)]


# -- a template's folder is no package name ---------------------------------------------------------

def _template_package(root, name: str) -> None:
    folder = root / "templates" / name
    folder.mkdir(parents=True, exist_ok=True)
    (root / "templates" / "__init__.py").write_text("")
    (folder / "__init__.py").write_text("from .pipeline import create_pipeline\n")
    (folder / "pipeline.py").write_text("def create_pipeline():\n    return 1\n")


def test_a_relative_import_in_a_template_folder_finds_its_sibling(ctx):
    # kedro's `templates/pipeline/{{ cookiecutter.pipeline_name }}/__init__.py`: `from .pipeline import ...`
    _template_package(ctx.root, "{{ cookiecutter.pipeline_name }}")
    assert found(ctx, "from .pipeline import create_pipeline\n",
                 name="templates/{{ cookiecutter.pipeline_name }}/__init__.py", codes=("HAL001", "HAL002")) == []


def test_a_missing_sibling_of_a_package_is_still_reported(ctx):
    _template_package(ctx.root, "pipeline_demo")
    assert found(ctx, "from .pipelin import create_pipeline\n",
                 name="templates/pipeline_demo/__init__.py", codes=("HAL001", "HAL002")) == [("HAL001", 1)]


# -- a folder without __init__.py inside a package is a namespace subpackage -------------------------

def test_an_import_in_a_namespace_folder_inside_a_package_is_not_its_neighbour(ctx):
    # marimo's `marimo/_sql/engines/sqlalchemy.py` (no `__init__.py` there): `from sqlalchemy import text`
    folder = ctx.root / "nspkg" / "engines"
    folder.mkdir(parents=True, exist_ok=True)
    (ctx.root / "nspkg" / "__init__.py").write_text("")
    (folder / "sqlalchemy.py").write_text("def connect():\n    return 1\n")
    assert found(ctx, """
        def f():
            from sqlalchemy import text
            return text
    """, name="nspkg/engines/sqlalchemy.py", codes=("HAL002",)) == []


def test_an_import_of_a_neighbour_in_a_script_folder_is_still_checked(ctx):
    folder = ctx.root / "tools"
    folder.mkdir(exist_ok=True)
    (folder / "helper.py").write_text("x = 1\n")
    assert found(ctx, "from helper import nothing\n", name="tools/run.py", codes=("HAL002",)) == [("HAL002", 1)]
