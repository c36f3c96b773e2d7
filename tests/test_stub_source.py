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

class Pair(tuple): ...

@overload
def grid(rows: Literal[1] = ..., cols: Literal[1] = ..., *, squeeze: Literal[True] = ...) -> tuple[Info, Raises]: ...
@overload
def grid(rows: int = ..., cols: int = ..., *, squeeze: Literal[False]) -> tuple[Info, list]: ...
@overload
def grid(rows: int = ..., cols: int = ..., *, squeeze: bool = ...) -> tuple[Info, object]: ...
def grid(rows=1, cols=1, *, squeeze=True):
    return Info(), Raises()

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


def test_overloads_of_one_class_pick_its_arguments_by_the_call(tmp_path):
    """Overloads that all give a ``tuple`` differ in what it holds (matplotlib's ``subplots``): the
    one the call selects tells the elements; a left-out ``Literal`` parameter whose default is
    ``...`` takes the overload's own type (as type checkers read it)."""
    stubs = index(tmp_path)
    assert stubs.return_form("typedpkg", "grid", call("grid()")) == ("builtins.tuple", "typedpkg.Info", "typedpkg.Raises")
    assert stubs.return_form("typedpkg", "grid", call("grid(1, 1)")) == ("builtins.tuple", "typedpkg.Info", "typedpkg.Raises")
    assert stubs.return_form("typedpkg", "grid", call("grid(squeeze=False)")) == (
        "builtins.tuple", "typedpkg.Info", "builtins.list")
    # another count, or one decided at run time: only the element they all agree on
    assert stubs.return_form("typedpkg", "grid", call("grid(1, 2)")) == ("builtins.tuple", "typedpkg.Info", None)
    assert stubs.return_form("typedpkg", "grid", call("grid(n, n)")) == ("builtins.tuple", "typedpkg.Info", None)
    assert stubs.return_form("typedpkg", "grid") == ("builtins.tuple", "typedpkg.Info", None)


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


def test_the_name_index_of_a_kept_stub_tree_answers_like_a_scan_of_its_flattened_body():
    """``definitions``/``_lookup`` read a stub's statements through an index built once per tree
    (numpy's stub has thousands of statements): for every module and class body of real
    typeshed stubs, and of a body with version branches and a name bound twice, the index holds
    exactly the named statements of ``_flat``, by name, in their order."""
    from vetpy.resolve import stubs

    branched = ast.parse(textwrap.dedent('''
        import sys
        if sys.version_info >= (3, 12):
            def f(x: int) -> int: ...
            class C:
                if sys.platform == "win32":
                    def g(self) -> int: ...
                else:
                    def g(self) -> str: ...
        else:
            def f(x: str) -> str: ...
        def f(x: bytes) -> bytes: ...
        X = 1
    '''))
    index = StubIndex([], frozenset({"builtins", "os", "re", "json", "typing"}))
    trees = [branched] + [t for t in (index.tree(m) for m in ("builtins", "os", "re", "json", "typing")) if t is not None]
    assert len(trees) > 1, "typeshed's stubs are found"
    checked = 0
    for tree in trees:
        for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]:
            flat = stubs._flat(node.body)
            assert stubs._flat_of(node) == flat and stubs._flat_of(node) is stubs._flat_of(node)
            expected: dict[str, list[ast.stmt]] = {}
            for st in flat:
                if isinstance(getattr(st, "name", None), str):
                    expected.setdefault(st.name, []).append(st)  # type: ignore[attr-defined]
            assert stubs._named(node) == expected
            checked += 1
    assert [type(s).__name__ for s in stubs._named(branched)["f"]] == ["FunctionDef"] * 3
    assert len(stubs._named(stubs._named(branched)["C"][0])["g"]) == 2
    assert checked > 100
