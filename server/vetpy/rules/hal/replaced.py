"""The keywords ``dataclasses.replace(obj, **changes)`` (and Python 3.13's ``copy.replace``, which
calls the dataclass's ``__replace__``, the same function) takes, for HAL004 unknown-keyword: it
calls ``obj.__class__(**changes)`` with the fields it was not given, so a keyword that is no
parameter of the generated ``__init__`` raises TypeError.

Only where the class is certain: ``obj`` an instance made right there or bound once by calling a
``@dataclass`` class of this file by its own name (not a parameter annotated with it: a subclass
may add fields), whose generated ``__init__`` the inference knows (plain fields and options, no
base).  A keyword naming one of its ``field(init=False)`` fields raises ValueError instead: never
reported as unknown.  attrs' ``evolve(inst, **changes)`` does the same for a class that
``@attrs.define`` / ``frozen`` / ``mutable`` make (keywords: the fields' init names, ``_token``
taken as ``token``); a keyword naming an ``init=False`` field is left open there too.  Fields
declared ``InitVar`` are ``__init__`` parameters, so taken.
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.declared import FIELD_MAKERS
from vetpy.resolve.value import EXACT, LOCAL_INSTANCE, OBJECT

EVOLVE = "attr._make.evolve"  # attrs.evolve / attr.evolve: inst.__class__(**changes) with the other init fields
REPLACERS = frozenset({"dataclasses.replace", "copy.replace", EVOLVE})


def replace_signature(inference: Any, call: ast.Call) -> tuple[dict[str, Any] | None, str, str]:
    """The signature a ``replace(obj, ...)`` call is checked against, its label (the class it
    calls: "`Point()` in this file has no keyword `z`") and module; None when not certain."""
    if len(call.args) != 1 or isinstance(call.args[0], ast.Starred):
        return None, "", ""
    obj = inference.infer(call.args[0])
    if obj is None or obj.kind != LOCAL_INSTANCE or obj.name != EXACT:
        return None, "", ""
    node = inference.class_node(obj.path)
    params = inference.constructor(obj.path)
    if node is None or params is None or len(node.decorator_list) != 1:
        return None, "", ""
    decorator = node.decorator_list[0]
    maker = inference.infer(decorator.func if isinstance(decorator, ast.Call) else decorator)
    replacer = inference.infer(call.func)
    family = "attrs" if replacer is not None and replacer.path == EVOLVE else "dataclass"
    if maker is None or maker.kind != OBJECT or FIELD_MAKERS.get(maker.path) != family:
        return None, "", ""  # attrs' classes: replace() refuses them (not a dataclass); evolve() the other way
    declared = {s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
    taken = [[name, 3, True] for name, _kind, _default in params]
    # init=False fields: a ValueError, not this TypeError; their names are left open
    extra = [[name, 3, True] for name in sorted(declared - {p[0] for p in params})]
    return {"params": [["obj", 0, False], *taken, *extra], "forwards": None}, node.name, ""
