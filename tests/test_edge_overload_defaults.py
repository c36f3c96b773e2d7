"""EDGE009 and a stub's overloads that disagree about what a positional argument is.

werkzeug 3's ``MultiDict.get`` is ``get(key, default=None, type=None)`` at run time, and its own
overloads include ``get(self, key: str, type: Callable[[V], T]) -> T | None``: read by arity, the
second positional argument of ``form.get("k", "csv")`` would be ``type`` and the call Optional,
while at run time it is the default.  When any overload that accepts the call reads one of its
arguments as a default (``get(key, default: V) -> V``), the call passes a fallback: not reported.
The calls no overload reads so (``get("k")``, ``get("k", type=int)``) are still reported."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from test_hal_support import hal_context

from vetpy.engine import check_source

pytestmark = pytest.mark.slow

RUNTIME = '''
class MultiDict:
    def __init__(self, items=()):
        self._d = dict(items)

    def get(self, key, default=None, type=None):
        if key not in self._d:
            return default
        return type(self._d[key]) if type is not None else self._d[key]
'''

STUB = '''
from typing import Callable, Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class MultiDict(Generic[K, V]):
    def __init__(self, items: object = ...) -> None: ...
    @overload
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: V) -> V: ...
    @overload
    def get(self, key: K, default: T) -> V | T: ...
    @overload
    def get(self, key: str, type: Callable[[V], T]) -> T | None: ...
    @overload
    def get(self, key: str, default: T, type: Callable[[V], T]) -> T: ...
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    from conftest import make_venv

    python = make_venv(tmp_path_factory.mktemp("venv"))
    site = Path(subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (site / "formdict").mkdir()
    (site / "formdict" / "__init__.py").write_text(RUNTIME)
    (site / "formdict" / "__init__.pyi").write_text(STUB)
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text('[tool.vetpy]\nselect = ["EDGE"]\n')  # EDGE009 is opt-in
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, python)
    yield context
    context.members.close()


def lines(ctx, src: str) -> list[int]:
    text = textwrap.dedent(src)
    return sorted(f.line for f in check_source(text, str(ctx.root / "app.py"), ctx) if f.code == "EDGE009")


def test_a_positional_default_that_one_overload_reads_as_another_parameter_is_a_default(ctx) -> None:
    assert lines(ctx, """
        from formdict import MultiDict
        def fmt(form: MultiDict):
            return form.get("format", "csv").upper()
        def fallback(form: MultiDict):
            return form.get("format", "csv", str).upper()
    """) == []


def test_calls_that_no_overload_reads_as_passing_a_default_are_still_reported(ctx) -> None:
    assert lines(ctx, """
        from formdict import MultiDict
        def fmt(form: MultiDict):
            return form.get("format").upper()
        def typed(form: MultiDict):
            return form.get("limit", type=int).bit_length()
    """) == [4, 6]
