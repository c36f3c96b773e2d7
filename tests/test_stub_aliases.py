"""What a stub's return annotation names when it is written through a type alias (``NDArray[T]``,
a private ``_Array1D[T]``, a tuple alias), with Python 3.12 type-parameter syntax (read on any
interpreter vetpy runs on), or across overloads that agree (issue 15: receivers of installed
callables).  Look-alikes that name no single class stay unknown."""

from __future__ import annotations

import ast
import textwrap

from vetpy.resolve.containers import detailed_form
from vetpy.resolve.stubs import StubIndex, _parse_newer_stub

TYPING = '''
from typing import Any, TypeAlias, TypeVar
from .core import ndarray, dtype

_T = TypeVar("_T")
NDArray: TypeAlias = ndarray[Any, dtype[_T]]
Number = int | float
'''

ALIASES = '''
from .core import NDArray as NDArray
'''

CORE = '''
from typing import Any, Self, overload, Literal
from ._typing import NDArray, Number

class dtype: ...
class generic: ...
class Other: ...

class ndarray:
    @overload
    def reshape(self, shape: None, /) -> Self: ...
    @overload
    def reshape[S](self, shape: S, /) -> ndarray[S, Any]: ...
    @overload
    def pick(self, flag: Literal[True]) -> ndarray: ...
    @overload
    def pick(self, flag: Literal[False]) -> Other: ...

type _Array1D[T: generic] = ndarray[tuple[int], dtype[T]]
type _Pair[A, B] = tuple[_Array1D[A], _Array1D[B]]
type _Either = ndarray | Other
_Twice = ndarray
_Twice = Other

def arange[T](
    stop: int,
    *,
    dtype: type[T] | None = None,
) -> _Array1D[T]: ...

def zeros(shape: int) -> NDArray[Any]: ...
def pair(x: int) -> _Pair[int, float]: ...
def either(x: int) -> _Either: ...
def number(x: int) -> Number: ...
def twice(x: int) -> _Twice: ...

@overload
def make(pos: int, **kw: Any) -> ndarray: ...
@overload
def make(item: Other, **kw: Any) -> ndarray: ...
@overload
def make(*args: Any, flag: Literal["x"], **kw: Any) -> Other: ...

@overload
def blend(pos: int, **kw: Any) -> _Array1D[generic]: ...
@overload
def blend(item: Other, **kw: Any) -> _Array1D[Other]: ...

@overload
def split(pos: int, **kw: Any) -> ndarray: ...
@overload
def split(item: Other, **kw: Any) -> Other: ...
'''


def stubs(tmp_path) -> StubIndex:
    package = tmp_path / "arr"
    package.mkdir()
    (package / "__init__.pyi").write_text("from .core import *\nfrom .core import arange as arange, zeros as zeros\n")
    (package / "core.pyi").write_text(textwrap.dedent(CORE))
    (package / "_typing.pyi").write_text(textwrap.dedent(TYPING))
    (package / "aliases.pyi").write_text(textwrap.dedent(ALIASES))
    return StubIndex([str(tmp_path)], frozenset())


def call(text: str) -> ast.Call:
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


def test_type_parameter_syntax_is_read_with_its_positions(tmp_path):
    path = tmp_path / "new.pyi"
    path.write_text("type A[T: int] = list[T]\nclass C[T](B[T]):\n    def f[U](\n        self,\n    ) -> C[U]: ...\n"
                    "    def g[\n        U,\n    ](self) -> U: ...\n    type = 3\nx = type(3)\n")
    tree = _parse_newer_stub(path)
    assert tree is not None
    alias, cls, assign = tree.body
    assert isinstance(alias, ast.Assign) and ast.unparse(alias) == "A = list[T]"
    assert isinstance(cls, ast.ClassDef) and ast.unparse(cls.bases[0]) == "B[T]"
    f, g, attr = cls.body
    assert (f.lineno, g.lineno, ast.unparse(g.returns)) == (3, 6, "U")
    assert ast.unparse(attr) == "type = 3" and ast.unparse(assign) == "x = type(3)"  # `type` as a plain name


def test_an_unclosed_parameter_list_is_no_tree(tmp_path):
    path = tmp_path / "broken.pyi"
    path.write_text("def f[T(x): ...\n")
    assert _parse_newer_stub(path) is None


def test_aliases_name_their_class(tmp_path):
    index = stubs(tmp_path)
    assert index.return_form("arr.core", "arange") == ("arr.core.ndarray", ("builtins.tuple", "builtins.int"), ("arr.core.dtype", None))
    assert index.return_form("arr", "arange")[0] == "arr.core.ndarray"  # through the package's re-export
    assert index.return_form("arr.core", "zeros")[0] == "arr.core.ndarray"  # an alias imported from another stub
    assert index.return_form("arr.core", "pair") == ("builtins.tuple", *[("arr.core.ndarray", ("builtins.tuple", "builtins.int"),
                                                                            ("arr.core.dtype", None))] * 2)


def test_aliases_that_name_no_single_class_stay_unknown(tmp_path):
    index = stubs(tmp_path)
    assert index.return_form("arr.core", "either") is None  # a union
    # a union imported from another stub: its path, which the runtime finds is no class
    assert index.return_form("arr.core", "number") == "arr._typing.Number"
    assert index.return_form("arr.core", "twice") is None  # bound twice


def test_self_or_the_owner_class_is_the_receivers_class(tmp_path):
    index = stubs(tmp_path)
    assert index.return_form("arr.core", "ndarray.reshape", bound=True) == "self"
    assert index.return_form("arr.core", "ndarray.pick", bound=True) is None  # another class: the argument decides


def test_overloads_that_may_take_a_call_and_agree_give_their_answer(tmp_path):
    index = stubs(tmp_path)
    assert index.return_form("arr.core", "make", call("make(1)")) == "arr.core.ndarray"  # pos or item: both ndarray
    assert index.return_form("arr.core", "split", call("split(v)")) is None  # pos or item: they disagree
    # the same class holding different things: the class, with what they agree on
    assert index.return_form("arr.core", "blend", call("blend(v)")) == ("arr.core.ndarray", ("builtins.tuple", "builtins.int"),
                                                                       ("arr.core.dtype", None))


def test_the_stubs_arguments_complete_a_bare_generic():
    assert detailed_form("builtins.tuple", ("builtins.tuple", "m.Figure", None)) == ("builtins.tuple", "m.Figure", None)
    assert detailed_form(None, "m.Figure") == "m.Figure"
    assert detailed_form("builtins.tuple", ("builtins.list", "m.Figure")) == "builtins.tuple"  # another class: the runtime's
    assert detailed_form("builtins.tuple", None) == "builtins.tuple"


VERSIONED = '''
import sys
from collections.abc import Generator, Iterator
class Path:
    if sys.version_info >= (3, 13):
        def glob(self, pattern: str, *, deep: bool = False) -> Iterator[Path]: ...
    elif sys.version_info >= (3, 12):
        def glob(self, pattern: str, *, case: bool = False) -> Generator[Path, None, None]: ...
    else:
        def glob(self, pattern: str) -> list[Path]: ...
if sys.platform == "win32":
    def native() -> Path: ...
else:
    def native() -> str: ...
'''


def test_the_target_pythons_version_branch_gives_the_answer(tmp_path):
    (tmp_path / "vers.pyi").write_text(textwrap.dedent(VERSIONED))
    glob = call("p.glob('*')")
    assert StubIndex([str(tmp_path)], frozenset(), (3, 11, 9)).return_form("vers", "Path.glob", glob, True) == \
        ("builtins.list", "vers.Path")
    assert StubIndex([str(tmp_path)], frozenset(), (3, 12, 1)).return_form("vers", "Path.glob", glob, True) == \
        ("collections.abc.Generator", "vers.Path", None, None)
    assert StubIndex([str(tmp_path)], frozenset(), (3, 13, 0)).return_form("vers", "Path.glob", glob, True) == \
        ("collections.abc.Iterator", "vers.Path")
    assert StubIndex([str(tmp_path)], frozenset()).return_form("vers", "Path.glob", glob, True) is None  # no target: unknown
    # a platform test is left open: both sides count, and they disagree
    assert StubIndex([str(tmp_path)], frozenset(), (3, 12, 1)).return_form("vers", "native", call("native()")) is None


VERSIONED_OVERLOADS = '''
import sys
from typing import TypeVar, overload
_C = TypeVar("_C", bound=Connection)
class Connection: ...
if sys.version_info >= (3, 12):
    @overload
    def connect(database: str, *, autocommit: bool = ...) -> Connection: ...
    @overload
    def connect(database: str, *, factory: type[_C], autocommit: bool = ...) -> _C: ...
else:
    @overload
    def connect(database: str, timeout: float = 5.0) -> Connection: ...
    @overload
    def connect(database: str, timeout: float = 5.0, *, factory: type[_C]) -> _C: ...
'''


def test_overloads_inside_the_target_pythons_branch_select_by_the_call(tmp_path):
    # sqlite3.connect: the overloads of the target's branch decide; the other branch's are not a
    # second, empty alternative that makes the answer unknown
    (tmp_path / "db.pyi").write_text(textwrap.dedent(VERSIONED_OVERLOADS))
    for version in ((3, 11, 9), (3, 12, 1)):
        index = StubIndex([str(tmp_path)], frozenset(), version)
        assert index.return_form("db", "connect", call("connect(':memory:')")) == "db.Connection"
        assert index.return_form("db", "connect", call("connect(':memory:', factory=Mine)")) is None  # a TypeVar: not one class
    assert StubIndex([str(tmp_path)], frozenset()).return_form("db", "connect", call("connect(':memory:')")) == "db.Connection"
