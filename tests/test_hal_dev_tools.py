"""Precision on developer tools (issue #16, the tenth session's probe B: sphinx, poetry, rich,
textual): code that the target never runs, names that exist only for type checkers, narrowing
assertions and the relative imports of a package's ``__init__.pyi``.  Each case has its
look-alike that must still be reported."""

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
    pkg = root / "demo" / "widgets"
    pkg.mkdir(parents=True)
    (root / "demo" / "__init__.py").write_text("")
    (pkg / "_log.py").write_text("class Log:\n    pass\n")
    (pkg / "__init__.py").write_text("from ._log import Log as Log\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python())
    yield context
    context.members.close()


def lines(ctx, code: str, name: str = "snippet.py") -> list[str]:
    found = check_source(textwrap.dedent(code), str(ctx.root / name), ctx)
    return [f"{f.line}:{f.code}" for f in found if f.code.startswith("HAL")]


def test_code_after_an_exit_under_a_check_the_target_takes_never_runs(ctx):
    # sphinx 9's `if sys.version_info[:2] < (3, 12): return ...` then `relative_to(root, walk_up=True)`
    assert lines(ctx, """
        import json
        import sys


        def load(text):
            if sys.version_info >= (3, 0):
                return json.loads(text)
            return json.loadz(text)


        def load_too(text):
            if sys.version_info < (3, 0):
                return json.loads(text)
            return json.loadz(text)


        def each(texts):
            for text in texts:
                if sys.version_info < (3, 0):
                    pass
                else:
                    continue
                json.loadz(text)
    """) == ["15:HAL003"]  # the look-alike: the early exit is for other releases


def test_the_else_of_a_try_whose_body_raises_unless_a_check_holds(ctx):
    # rich 15's `_windows.py`: `if sys.platform == "win32": ... else: raise ImportError(...)`
    # in the `try`, then `else: sys.getwindowsversion()`
    assert lines(ctx, """
        import json
        import sys

        try:
            import ctypes
            if sys.version_info < (3, 0):
                windll = ctypes
            else:
                raise ImportError("not Python 2")
        except ImportError:
            pass
        else:
            def load(text):
                return json.loadz(text)

        try:
            import ctypes
            if sys.version_info >= (3, 0):
                windll = ctypes
            else:
                raise ImportError("Python 2")
        except ImportError:
            json.loadz("")
        else:
            def load_too(text):
                return json.loadz(text)
    """) == ["24:HAL003", "27:HAL003"]  # the handler and the `else:` of a check the target passes


def test_a_name_for_type_checkers_in_a_postponed_annotation(ctx):
    # sphinx 9's `-> hashlib._Hash`, poetry-core's vendored packaging `info: sys._version_info`
    # (typeshed binds them; under `from __future__ import annotations` they are never evaluated)
    assert lines(ctx, """
        from __future__ import annotations

        import hashlib
        import sys


        def digest(data: bytes) -> hashlib._Hash:
            return hashlib.md5(data)


        def version(info: sys._version_info) -> str:
            kind: hashlib._Hashy = hashlib.md5()
            return str(info.major)


        def undigest(data: bytes) -> hashlib._Hashy:
            return hashlib.md5(data)


        x = hashlib._Hash
    """) == ["13:HAL003", "17:HAL003", "21:HAL003"]  # not in the stubs either; or evaluated when it runs


def test_an_annotation_evaluated_at_definition_is_still_checked(ctx):
    assert lines(ctx, """
        import hashlib


        def digest(data: bytes) -> hashlib._Hash:
            return hashlib.md5(data)
    """) == ["5:HAL003"]


def test_a_name_an_assertion_narrows_is_open(ctx):
    # poetry 2.5's `application = self.application` (cleo's Application) then
    # `assert isinstance(application, Application)` (poetry's subclass), `application.poetry`
    assert lines(ctx, """
        import json


        class Decoder(json.JSONDecoder):
            def poetry(self):
                return 1


        def get(decoder: json.JSONDecoder):
            assert isinstance(decoder, Decoder)
            return decoder.poetry()


        def get_too(decoder: json.JSONDecoder):
            found = decoder
            assert isinstance(found, Decoder)
            return found


        def use(decoder: json.JSONDecoder):
            return get_too(decoder).poetry()


        def get_other(decoder: json.JSONDecoder, other):
            assert isinstance(other, Decoder)
            return decoder.poetry()


        def get_late(decoder: json.JSONDecoder):
            decoder.poetry()
            assert isinstance(decoder, Decoder)
    """) == ["27:HAL003", "31:HAL003"]  # another name asserted; the name used before its assertion


def test_relative_imports_of_a_package_stub_are_relative_to_the_package(ctx):
    # textual 8's `widgets/__init__.pyi`: `from ._log import Log as Log` is `demo.widgets._log`
    assert lines(ctx, """
        from ._log import Log as Log
        from ._log import Logg as Logg
    """, name="demo/widgets/__init__.pyi") == ["3:HAL002"]


def test_a_name_of_the_stubs_in_a_stub_file(ctx):
    # streamlit 1.67's generated `proto/Alert_pb2.pyi`: `enum_type_wrapper._EnumTypeWrapper[...]`
    assert lines(ctx, """
        import hashlib

        def digest(data: bytes) -> hashlib._Hash: ...
        def undigest(data: bytes) -> hashlib._Hashy: ...
    """, name="digests.pyi") == ["5:HAL003"]


def test_an_operand_after_a_check_that_short_circuits_on_the_target(ctx):
    # dask's `sys.version_info >= (3, 13) and not sys._is_gil_enabled()`
    assert lines(ctx, """
        import json
        import sys

        a = sys.version_info < (3, 0) and json.loadz("")
        b = sys.version_info >= (3, 0) and json.loadz("")
        c = sys.version_info >= (3, 0) or json.loadz("")
        d = sys.version_info < (3, 0) or json.loadz("")
    """) == ["6:HAL003", "8:HAL003"]
