"""A typed package's own source read as its stub (PEP 561 ``py.typed``): its ``@overload``s say
what a call gives (the one the call's arguments select), never its implementation's annotation."""

from __future__ import annotations

import ast
import textwrap

from vetpy.resolve.stubs import StubIndex

SOURCE = '''
from typing import Literal, overload

class Raises: ...
class Info: ...

@overload
def raises(kind: type, *, match: str | None = ...) -> Raises: ...
@overload
def raises(kind: type, func: object, *args: object) -> Info: ...
def raises(kind, func=None, *args, match=None) -> Raises | Info:
    return Raises()

@overload
def mode(flag: Literal[True]) -> Raises: ...
@overload
def mode(flag: Literal[False]) -> Info: ...
def mode(flag):
    return Raises() if flag else Info()

def plain() -> Info:
    return Info()

def cached(fn): return fn

@cached
def wrapped() -> Info:
    return Info()

class Session:
    def info(self) -> Info:
        return Info()

class Child(Session):
    info = staticmethod(lambda: 1)
'''


def call(text: str) -> ast.Call:
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


def index(tmp_path, typed: bool = True) -> StubIndex:
    package = tmp_path / "typedpkg"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(SOURCE))
    if typed:
        (package / "py.typed").write_text("")
    return StubIndex([str(tmp_path)], frozenset())


def test_overloads_of_a_typed_package_pick_by_the_call(tmp_path):
    stubs = index(tmp_path)
    assert stubs.return_form("typedpkg", "raises", call("raises(ValueError)")) == "typedpkg.Raises"
    assert stubs.return_form("typedpkg", "raises", call("raises(ValueError, match='x')")) == "typedpkg.Raises"
    assert stubs.return_form("typedpkg", "raises", call("raises(ValueError, f, 1)")) == "typedpkg.Info"
    assert stubs.return_form("typedpkg", "mode", call("mode(True)")) == "typedpkg.Raises"
    assert stubs.return_form("typedpkg", "mode", call("mode(False)")) == "typedpkg.Info"
    assert stubs.return_form("typedpkg", "plain") == "typedpkg.Info"
    assert stubs.return_form("typedpkg", "Session.info", bound=True) == "typedpkg.Info"


def test_what_the_source_does_not_settle_is_unknown(tmp_path):
    stubs = index(tmp_path)
    assert stubs.return_form("typedpkg", "raises") is None  # no call: overloads disagree
    assert stubs.return_form("typedpkg", "mode", call("mode(flag)")) is None  # the argument decides
    assert stubs.return_form("typedpkg", "wrapped") is None  # a decorator may change the result
    assert stubs.return_form("typedpkg", "Child.info", bound=True) is None  # bound otherwise in the subclass


def test_an_untyped_package_source_is_no_stub(tmp_path):
    stubs = index(tmp_path, typed=False)
    assert stubs.tree("typedpkg") is None
    assert stubs.return_form("typedpkg", "plain") is None
