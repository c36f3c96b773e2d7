"""EDGE014 for dict defaults: writes that keep one call's data for the calls after it.

A dict default written by a constant key with a fresh value (``criterions["type"] = kind``) is
overwritten the same way by every call: shared, but each call sees its own value (EDGE021,
opt-in). Two writes do not behave so, and the next call sees the earlier one's data:

- ``filters.setdefault("owner_id", current_user.id)``: a constant key with a value that changes
  from call to call. ``setdefault`` writes only when the key is missing, so the first call's value
  stays for good and every later call reads it (the second user filters by the first one's id).
  With a constant value (``opts.setdefault("timeout", 30)``, ``setdefault("headers", {})``) every
  call would store the same thing: not reported. With a key that changes per call
  (``table.setdefault(key, len(table))``) it is a memo, left to EDGE021.
- ``seen.update(row)`` / ``seen.update({k: v for k, v in row.items() if v})``: a mapping whose keys
  change from call to call; a key one call stored and the next call's data lacks is still there
  (a column of the previous row). An update with constant keys only (``opts.update(page=1)``,
  ``opts.update({"page": n})``) overwrites the same keys every call: EDGE021.
"""

from __future__ import annotations

import ast

KEPT_MESSAGES = {
    "grows": "the default of `{}` is created once and grows with every call: each call sees the items of the calls before it",
    "setdefault": "the default of `{}` is created once and `setdefault` writes only the first call's value: "
    "every later call reads that value, not its own",
    "update": "the default of `{}` is created once and `update` keeps every call's keys: "
    "a key an earlier call stored stays for the calls whose data lacks it",
}


def _constant(node: ast.expr) -> bool:
    """A value that is the same on every call: a literal (``30``, ``"x"``, ``()``, ``{}``, ``[]``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "dict", "set", "tuple"):
        return not node.args and not node.keywords
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


def _constant_keys(mapping: ast.expr) -> bool:
    """A dict display whose keys are all literals (no ``**other``), or a constant by its name: the
    same keys on every call."""
    if isinstance(mapping, ast.Name) and mapping.id.isupper():
        return True  # a module constant (``DEFAULTS``): the same mapping on every call
    return isinstance(mapping, ast.Dict) and all(k is not None and _constant(k) for k in mapping.keys)


def keeps_call_data(node: ast.AST, name: str) -> str | None:
    """"setdefault" or "update" when ``node`` is such a write into ``name`` (see the module's doc)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    receiver = node.func.value
    if not (isinstance(receiver, ast.Name) and receiver.id == name):
        return None
    if node.func.attr == "setdefault" and len(node.args) == 2 and not node.keywords:
        key, value = node.args
        return "setdefault" if _constant(key) and not _constant(value) else None
    if node.func.attr == "update" and len(node.args) == 1 and not isinstance(node.args[0], ast.Starred):
        return None if _constant_keys(node.args[0]) else "update"
    return None
