"""Which names a pandas ``Series`` or ``DataFrame`` just built from literal data can serve through
``__getattr__`` (issue 15, constructor receivers: ``pd.Series([1, 2, 3]).is_monotonic``, removed in
pandas 2.0).

``NDFrame.__getattr__`` serves ``self[name]`` only when the *info axis* (a Series' index, a
DataFrame's columns) can hold identifiers and holds ``name``; any other name raises
AttributeError.  A Series made from a list, tuple or list comprehension with no ``index=`` has a
``RangeIndex``, which holds no identifiers: it serves nothing.  A DataFrame made from a dict
literal whose keys are all string constants, with no ``columns=``, has exactly those keys as
columns.  So a name that is neither a member of the class nor such a label is missing.

Only where nothing can have changed the labels: the receiver is the call itself, or a name bound once in the function
to that call (:func:`fresh_receiver`: every other use reads an attribute of it), and the flagged
read is the first use of the name after the call, outside any loop (a later ``s.loc["k"] = v`` or
``df["ix"] = 0`` adds a label; ``df.rename(columns=..., inplace=True)`` renames them), for a name not
starting with ``_`` (pandas' internals store their own).
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.rules.hal.fresh import fresh_receiver

_SERIES = frozenset({"pandas.Series", "pandas.core.series.Series"})  # canonical in pandas 3 / before
_FRAME = frozenset({"pandas.DataFrame", "pandas.core.frame.DataFrame"})
_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def serves_nothing(inference: Any, path: str, receiver: ast.expr | None, name: str) -> bool:
    """Is ``name`` certainly not served by the ``__getattr__`` of ``receiver``, a pandas
    ``Series``/``DataFrame`` (``path``, canonical) just made from literal data?"""
    if path not in _SERIES | _FRAME or name.startswith("_") or not isinstance(receiver, (ast.Name, ast.Call)):
        return False
    if not fresh_receiver(inference, receiver):
        return False
    if isinstance(receiver, ast.Call):  # `pd.Series([1, 2]).is_monotonic`: read as it is made
        labels = _labels(receiver, series=path in _SERIES)
        return labels is not None and name not in labels
    bindings = inference.lookup(receiver.id, receiver)
    call = bindings[0].node if bindings else None
    if not isinstance(call, ast.Call) or not _first_use(inference, receiver, bindings[0].stmt):
        return False
    labels = _labels(call, series=path in _SERIES)
    return labels is not None and name not in labels


def _labels(call: ast.Call, series: bool) -> frozenset[str] | None:
    """The string labels of the info axis ``call`` builds, when its literal data proves them."""
    keywords = {k.arg for k in call.keywords}
    if None in keywords or any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > 1:
        return None
    data = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "data"), None)
    if data is None:
        return None
    if series:
        if not keywords <= {"data", "dtype", "name", "copy"}:
            return None
        return frozenset() if isinstance(data, (ast.List, ast.Tuple, ast.ListComp)) else None
    if not keywords <= {"data", "index", "dtype", "copy"} or not isinstance(data, ast.Dict):
        return None
    keys = data.keys
    if not keys or any(not (isinstance(k, ast.Constant) and isinstance(k.value, str)) for k in keys):
        return None  # `**other` spread (a None key) or a computed label
    return frozenset(k.value for k in keys)  # type: ignore[union-attr]


def _first_use(inference: Any, receiver: ast.Name, stmt: ast.AST | None) -> bool:
    """Is ``receiver`` the first use of its name after the binding ``stmt``, outside any loop?"""
    if stmt is None:
        return False
    scope = inference.scope_of(receiver)
    parents = inference.parents
    node: ast.AST | None = receiver
    while node is not None and node is not scope:
        if isinstance(node, _LOOPS):
            return False
        node = parents.get(node)
    here = (receiver.lineno, receiver.col_offset)
    for other in ast.walk(scope):
        if isinstance(other, ast.Name) and other.id == receiver.id and other is not receiver \
                and isinstance(other.ctx, ast.Load) and (other.lineno, other.col_offset) < here:
            return False
    return (stmt.lineno, stmt.col_offset) < here  # type: ignore[attr-defined]
