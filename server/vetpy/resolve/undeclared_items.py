"""What indexing gives for an installed class whose ``__getitem__`` declares nothing (no
annotation at run time, no stub in the target) but whose result is one of a few classes on every
path, as the library documents and its code does.

One entry, read only when the class's ``__getitem__`` is still unannotated in the target (an
annotation, when a version adds one, is what the caller reads instead):

- ``pandas.DataFrame.__getitem__``: a ``Series`` (one column) or a ``DataFrame`` (a list of
  labels, a slice, a boolean mask, a top-level key of MultiIndex columns, a label that several
  columns share).  Which one depends on the columns at run time, so the value is the union: a
  name is reported only when both lack it.  Both are lower bounds (a subclass's ``_constructor``
  may give its own classes), so names of loaded subclasses stay silent.

Attribute-style column access (``df.k``) is not indexing and is not read here: the frame's
``__getattr__`` serves columns and the attribute rule treats an uncalled name as data.
"""

from __future__ import annotations

from vetpy.resolve.value import ANNOTATED, INSTANCE, Value, union_of

_ITEMS: dict[str, tuple[str, ...]] = {  # by the canonical path: pandas 3 sets `__module__ = "pandas"`, 2.x does not
    "pandas.DataFrame": ("pandas.Series", "pandas.DataFrame"),
    "pandas.core.frame.DataFrame": ("pandas.core.series.Series", "pandas.core.frame.DataFrame"),
}


def undeclared_item(value: Value, getitem: dict | None) -> Value | None:
    """``value[key]`` for an instance of a class of the table whose ``__getitem__`` (``getitem``:
    the member index's answer for it) is a function without a declared return, else None."""
    results = _ITEMS.get(value.path) if value.kind == INSTANCE else None
    if not results or not getitem or getitem.get("kind") != "function" or getitem.get("returns") is not None \
            or getitem.get("returns_form") is not None or getitem.get("owner") != value.path:
        return None
    return union_of([Value(INSTANCE, path, ANNOTATED) for path in results])
