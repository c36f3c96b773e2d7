"""What iterating an array of at least two dimensions gives, when the package's stub says it (issue
15, loop receivers): ``for row in np.eye(3)``.  numpy's stub (2.3 and later) declares the shape of
what many functions return (``eye -> ndarray[tuple[int, int], dtype[float64]]``) and overloads
``ndarray.__iter__`` on the shape of ``self``: a 1-d array gives its scalars (of a dtype, so not
known here), an array of two dimensions or more gives ``Iterator[ndarray[_AnyShape, DTypeT]]``:
an array again (`row.norm()` is then reported as on any array).

Followed only when the shape is a tuple of a fixed number ``n >= 2`` of ``int`` and the stub
class's ``__iter__`` overloads, read in order, reach one whose ``self`` is
``C[tuple[int, int, *tuple[int, ...]], D]`` returning ``Iterator[C[..., D]]`` after passing only
overloads whose ``self`` shape is a fixed tuple of another length (which cannot match).  Anything
else (an unknown or open shape: ``tuple[int, ...]``, ``Any``; an overload of another form first)
is unknown: silence.  The row is of the array's own class and certainty (a lower bound stays one:
iterating a subclass's instance may give the subclass's rows).
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any, Callable

from vetpy.resolve.stub_names import _named
from vetpy.resolve.value import INSTANCE, Value

_INT = "builtins.int"


def array_of_rows(path: str, args: list[Any], declared: Callable[[int], bool]) -> Value | None:
    """An instance of the class ``path`` whose stub form is ``path[shape, ...]`` (``args``), marked
    as iterating into rows of its own class when the shape and ``declared(dimensions)`` (does the
    class's stub declare rows for that many dimensions: :func:`rows_declared`) prove it."""
    if not args or not _fixed_ints(args[0]) or not declared(len(args[0]) - 1):
        return None
    return Value(INSTANCE, path, args=(Value(INSTANCE, path),))


def row_of(value: Value) -> Value | None:
    """What iterating ``value``, made by :func:`array_of_rows`, gives: an instance of its class,
    as certain as ``value`` itself (its shape unknown); None for any other value."""
    if value.kind != INSTANCE or len(value.args) != 1 or value.args[0] != Value(INSTANCE, value.path):
        return None
    return replace(value, args=())


def _fixed_ints(shape: Any) -> bool:
    """Is the form ``shape`` ``tuple[int, int, ...]`` with a fixed number (at least two) of ints?"""
    return isinstance(shape, tuple) and len(shape) >= 3 and shape[0] == "builtins.tuple" \
        and all(item == _INT for item in shape[1:])


def rows_declared(node: ast.ClassDef, dimensions: int, iterator: Callable[[ast.expr], bool]) -> bool:
    """Does the stub class ``node`` declare that iterating an instance of ``dimensions`` (at least
    2) dimensions gives instances of the class?  ``iterator(expr)``: does the stub's ``expr`` name
    ``Iterator``/``Iterable``/``Generator``?"""
    for d in _named(node).get("__iter__") or []:
        if not isinstance(d, ast.FunctionDef) or not d.args.posonlyargs + d.args.args:
            return False
        first = (d.args.posonlyargs + d.args.args)[0].annotation
        shape, dtype = _shape_and_dtype(first, node.name)
        if shape is None:
            return False
        fixed = _fixed_length(shape)
        if fixed is not None:
            if fixed == dimensions:
                return False  # an overload for exactly this shape: not read here
            continue  # another fixed number of dimensions: cannot match
        returns = d.returns
        return _at_least_two(shape) and isinstance(returns, ast.Subscript) and iterator(returns.value) \
            and _own_class(returns.slice, node.name, dtype)
    return False


def _shape_and_dtype(annotation: ast.expr | None, name: str) -> tuple[ast.expr | None, str | None]:
    """(shape, dtype text) of a ``self`` annotated ``name[shape, dtype]``."""
    if not (isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name)
            and annotation.value.id == name and isinstance(annotation.slice, ast.Tuple) and len(annotation.slice.elts) == 2):
        return None, None
    shape, dtype = annotation.slice.elts
    return shape, ast.unparse(dtype)


def _tuple_items(shape: ast.expr) -> list[ast.expr] | None:
    if isinstance(shape, ast.Subscript) and isinstance(shape.value, ast.Name) and shape.value.id == "tuple":
        return list(shape.slice.elts) if isinstance(shape.slice, ast.Tuple) else [shape.slice]
    return None


def _fixed_length(shape: ast.expr) -> int | None:
    """The number of items of ``tuple[A, B, ...]`` with no starred or ``...`` item; else None."""
    items = _tuple_items(shape)
    if items is None or any(isinstance(i, ast.Starred) or isinstance(i, ast.Constant) and i.value is Ellipsis for i in items):
        return None
    return len(items)


def _at_least_two(shape: ast.expr) -> bool:
    """Is ``shape`` exactly ``tuple[int, int, *tuple[int, ...]]``?"""
    return ast.unparse(shape) == "tuple[int, int, *tuple[int, ...]]"


def _own_class(inner: ast.expr, name: str, dtype: str | None) -> bool:
    """Is ``inner`` ``name[<any shape>, dtype]``?"""
    return isinstance(inner, ast.Subscript) and isinstance(inner.value, ast.Name) and inner.value.id == name \
        and isinstance(inner.slice, ast.Tuple) and len(inner.slice.elts) == 2 and ast.unparse(inner.slice.elts[1]) == dtype
