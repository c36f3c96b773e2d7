"""Indexing an instance of an installed class gives what its ``__getitem__`` is declared to return,
read like a method call's result (issue 15, blind3 corpus: iniconfig's ``cfg["server"].getint(...)``,
``IniConfig.__getitem__(self, name: str) -> SectionWrapper``, a configparser idiom).  Beside the
look-alikes that stay silent: a member the declared class has, an unannotated or ``Any`` or
type-variable ``__getitem__``, a declared class serving attributes through ``__getattr__``, a
dict subclass, and builtin containers whose items are unknown.  The flagged lines raise
AttributeError at run time and the look-alikes run (both proven below)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Section:
    def get(self, key):
        return key


class Served:
    def __getattr__(self, name):
        return name


class Config:
    def __getitem__(self, name: str) -> Section:
        return Section()


class Loose:
    def __getitem__(self, name) -> Any:
        return name.upper()


class Box(Generic[T]):
    def __init__(self, item: T) -> None:
        self.item = item

    def __getitem__(self, index: int) -> T:
        return self.item


class Lookup:
    def __getitem__(self, name: str) -> Served:
        return Served()


class Table(dict):
    pass
'''

FLAGGED = '''
import fakeitems


def use(*_):
    cfg = fakeitems.Config()
    cfg["server"].getint("port")


def use2(*_):
    return fakeitems.Config()["a"].items()
'''

SILENT = '''
import fakeitems


def use(names: list, table: dict):
    cfg = fakeitems.Config()
    cfg["server"].get("port")
    fakeitems.Loose()["a"].lower()
    fakeitems.Box("text")[0].upper()
    fakeitems.Lookup()["a"].anything
    fakeitems.Table(a="x")["a"].upper()
    names[0].whatever
    return table["k"].whatever
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("fakeitems", SOURCE)) as context:
        yield context


def _run(tmp_path, code: str, call: str = "use") -> str:
    (tmp_path / "fakeitems").mkdir(exist_ok=True)
    (tmp_path / "fakeitems" / "__init__.py").write_text(SOURCE)
    script = textwrap.dedent(code) + f"\ntry:\n    {call}(*ARGS)\nexcept AttributeError as e:\n    print('AttributeError', e)\n"
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
                           f"import types\nARGS = {ARGS}\n" + script], capture_output=True, text=True, check=True).stdout


ARGS = "([types.SimpleNamespace(whatever=1)], {'k': types.SimpleNamespace(whatever=1)})"


def test_the_flagged_line_raises_and_the_look_alikes_run(tmp_path):
    assert _run(tmp_path, FLAGGED).startswith("AttributeError")
    assert _run(tmp_path, FLAGGED, "use2").startswith("AttributeError")
    assert _run(tmp_path, SILENT) == ""


def test_a_member_the_declared_item_class_lacks_is_reported(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["7:HAL003", "11:HAL003"]


def test_declared_members_any_type_variables_getattr_and_containers_stay_silent(ctx):
    assert hal_call_lines(ctx, SILENT) == []
