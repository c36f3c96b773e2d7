"""The grid of Axes that matplotlib's ``subplots`` returns (issue 15, unpacking, loop and index
receivers): ``fig, (ax1, ax2) = plt.subplots(1, 2)``, ``for ax in axes.flat``, ``axes[0]``.

matplotlib declares the result ``tuple[Figure, Any]`` (``np.ndarray`` for ``squeeze=False``): the
declared types say nothing of the elements.  The installed source says it:
``pyplot.subplots`` -> ``Figure.subplots`` -> ``GridSpecBase.subplots`` fills
``np.empty((nrows, ncols), dtype=object)`` with ``figure.add_subplot(...)`` (declared ``-> Axes``)
and, with ``squeeze`` true, returns ``axarr.item()`` for one cell, else ``axarr.squeeze()``.  So
with literal ``nrows``/``ncols`` and ``squeeze``, the shape is certain: one Axes (1x1, squeezed:
already what the overload says), a 1-d object array (one of them 1, squeezed), else a 2-d one.

A narrow recogniser (a general "object array filled only by calls of one declared return" would
follow three functions through the source; not done): the callee must be ``matplotlib.pyplot.subplots``
or the ``subplots`` method that ``matplotlib.figure.FigureBase`` defines (``Figure``,
``SubFigure``), every argument plain (no ``*``/``**``), ``nrows``/``ncols`` literal positive ints,
``squeeze`` absent or a literal bool, and no ``subplot_kw`` (a projection there makes other Axes
classes: still subclasses, but silence costs nothing).  The element is ``matplotlib.axes.Axes``,
what every overload of ``Figure.add_subplot`` declares, as a lower bound (the stub's overloads are
not read here: with no call to select one, the stub reader gives nothing).  Anything else: the declared result, unchanged.

An object array is an ``numpy.ndarray`` instance whose one argument is what iterating it gives
(an element, or for 2-d the 1-d array of a row); the other arrays with an argument are
:mod:`resolve.array_rows`' (argument: the bare array class), told apart by :func:`object_element`.
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.value import ANNOTATED, INSTANCE, METHOD, OBJECT, Value

_ARRAY = "numpy.ndarray"
_PYPLOT = "matplotlib.pyplot.subplots"
_FIGURE_BASE = "matplotlib.figure.FigureBase"
_PARAMETERS = ("nrows", "ncols")
_AXES = "matplotlib.axes.Axes"


def subplot_grid(inference: Any, func: Value | None, call: ast.Call | None, declared: Value | None) -> Value | None:
    """``declared`` (what ``func(...)`` is declared to give), with the grid of Axes in place of
    its unknown part when ``call`` is a ``subplots`` call of certain shape (module docstring)."""
    if func is None or call is None or declared is None and func.kind == OBJECT:
        return declared
    pyplot = func.kind == OBJECT and (inference.members.describe(func.path) or {}).get("canonical", func.path) == _PYPLOT
    method = func.kind == METHOD and func.name == "subplots" \
        and (inference.members.method(func.path, "subplots") or {}).get("owner") == _FIGURE_BASE
    if not (pyplot or method):
        return declared
    dimensions = _dimensions(call)
    if dimensions is None:
        return declared
    axes = inference.members.describe(_AXES) or {}  # every overload of `add_subplot` declares `-> Axes`
    if axes.get("kind") != "class":
        return declared
    element = Value(INSTANCE, axes.get("canonical") or _AXES, ANNOTATED)
    grid = element
    for _ in range(dimensions):
        grid = Value(INSTANCE, _ARRAY, args=(grid,))
    if pyplot:  # tuple[Figure, Any]
        if declared is None or declared.path != "builtins.tuple" or len(declared.args) != 2:
            return declared
        return Value(declared.kind, declared.path, declared.name, declared.receiver, (declared.args[0], grid))
    return grid


def _dimensions(call: ast.Call) -> int | None:
    """0 (one Axes), 1 or 2: the dimensions of the grid ``call`` certainly makes; None: not known."""
    if len(call.args) > 2 or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    given: dict[str, ast.expr] = dict(zip(_PARAMETERS, call.args))
    for keyword in call.keywords:
        if keyword.arg is None or keyword.arg == "subplot_kw" or keyword.arg in given:
            return None
        given[keyword.arg] = keyword.value
    sizes = []
    for name in _PARAMETERS:
        node = given.get(name)
        size = 1 if node is None else node.value if isinstance(node, ast.Constant) else None
        if type(size) is not int or size < 1:
            return None
        sizes.append(size)
    squeeze_node = given.get("squeeze")
    squeeze = True if squeeze_node is None else squeeze_node.value if isinstance(squeeze_node, ast.Constant) else None
    if type(squeeze) is not bool:
        return None
    if not squeeze:
        return 2
    return sum(1 for size in sizes if size > 1)


def object_element(value: Value) -> Value | None:
    """What iterating an object array made by :func:`subplot_grid` gives (None: another value)."""
    if value.kind != INSTANCE or value.path != _ARRAY or len(value.args) != 1 or value.args[0] is None:
        return None
    element = value.args[0]
    return None if element == Value(INSTANCE, _ARRAY) else element  # array_rows' arrays of rows


def object_item(value: Value, key: ast.AST, an_index: Any) -> Value | None:
    """``value[key]`` of an object array: an int index gives what iterating gives, a tuple of
    ``n`` int indexes goes ``n`` levels down; a slice or anything else: None."""
    keys = key.elts if isinstance(key, ast.Tuple) else [key]
    found: Value | None = value
    for k in keys:
        if found is None or isinstance(k, (ast.Slice, ast.Starred)) or not an_index(k):
            return None
        found = object_element(found)
    return found


def flat_elements(value: Value) -> Value | None:
    """The innermost element of an object array (what iterating ``value.flat`` gives)."""
    found = object_element(value)
    while found is not None:
        inner = object_element(found)
        if inner is None:
            return found
        found = inner
    return None
