"""Is a receiver an instance just made here and handed to no other code?

``resp = web.Response(text="x")`` then ``resp.status_code``: the object exists only in this
function, so what the project's code assigns on other objects (``r.status_code = 200`` on a
``requests.Response`` elsewhere) or what the class's package assigns from outside (Django's test
client sets ``response.json``) cannot be on it.  Proven only syntactically: the name is bound once,
in the function that reads it, to a call of an installed class, and every use of the name in that
function reads an attribute of it (``resp.x``, ``resp.m()``); passed, returned, stored, put in a
container, used in a ``with`` or declared ``global``/``nonlocal``, it may reach code that adds names.
"""

from __future__ import annotations

import ast
import weakref
from typing import Any

from vetpy.resolve.value import ANNOTATED, INSTANCE, LOCAL_CLASS, OBJECT
from vetpy.rules.hal.project_facts import assigns


def _constructed(inference: Any, call: ast.AST) -> bool:
    """Is ``call`` a call of an installed class that gives an instance of it?"""
    if not isinstance(call, ast.Call):
        return False
    func = inference.infer(call.func)
    if func is None or func.kind != OBJECT:
        return False
    info = inference.members.describe(func.path)
    if not info or info.get("kind") != "class" or info.get("is_enum"):
        return False  # `HTTPStatus(200)` looks up a member that `__new__` filled (`phrase`)
    new = inference.members.method(func.path, "__new__") or {}
    if new.get("owner") not in (None, "builtins.object", "builtins.type"):
        return False  # its own `__new__` may return a kept object, or set names on the one it makes
    made = inference.infer(call)
    return made is not None and made.kind == INSTANCE and made.name != ANNOTATED


def fresh_receiver(inference: Any, expr: ast.expr) -> bool:
    """Is ``expr`` (a receiver) an instance of an installed class made in this function by a call
    of the class, which no code but its own methods has seen?"""
    if isinstance(expr, ast.Call):
        return _constructed(inference, expr)
    if not isinstance(expr, ast.Name):
        return False
    scope = inference.scope_of(expr)
    if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False  # a module's or class's name: other modules may reach it
    bindings = inference.lookup(expr.id, expr)
    if not bindings or len(bindings) != 1:
        return False
    binding = bindings[0]
    if binding.kind != "value" or binding.index or binding.stmt is None or not _constructed(inference, binding.node):
        return False
    if inference.scope_of(binding.stmt) is not scope:
        return False
    parents = inference.parents
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and node.id == expr.id and node is not expr and isinstance(node.ctx, ast.Load):
            parent = parents.get(node)
            if not (isinstance(parent, ast.Attribute) and parent.value is node and isinstance(parent.ctx, ast.Load)):
                return False  # passed, returned, stored, entered: other code may add to it
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and expr.id in node.names:
            return False
    return True


_COMPUTED: "weakref.WeakKeyDictionary[Any, bool]" = weakref.WeakKeyDictionary()


def _sets_computed_names(inference: Any) -> bool:
    """Does the file set attributes by computed names (``setattr(x, name, v)``, ``x.__dict__``,
    ``vars(x)``) anywhere?"""
    found = _COMPUTED.get(inference)
    if found is None:
        found = any(isinstance(c.func, ast.Name) and (
            c.func.id == "setattr" and not (len(c.args) > 1 and isinstance(c.args[1], ast.Constant))
            or c.func.id == "vars" and bool(c.args)) for c in inference.calls) \
            or any(a.attr == "__dict__" for a in inference.attributes)
        _COMPUTED[inference] = found
    return found


def exactly(checker: Any, owner: Any, local: Any, name: str) -> bool:
    """Is ``name`` certainly missing on ``owner``, a class of this file named by its own name (not
    ``cls``) or an instance made by calling it, whose members ``local`` lists: its class is exactly
    that one, not a subclass in another file?  Not for a dunder (``dataclass`` and attrs add
    them), a class attribute of a class with an installed base (its metaclass may serve it) or of
    ``type`` (``Point.mro()``; an enumeration's class attribute is checked against its metaclass,
    see :func:`_enumeration_lacks`), a name the project assigns on objects, or in a file that sets
    attributes by computed names."""
    if name.startswith("__") and name.endswith("__"):
        return False
    if owner.kind == LOCAL_CLASS:
        if any(b.path != "builtins.object" for b in local.bases) and not _enumeration_lacks(checker, local, name):
            return False
        info = checker.members.describe("builtins.type")
        if not info or name in (info.get("members") or ()):
            return False
    facts = checker.ctx.first_party
    if facts is not None and assigns(checker.ctx, name):
        return False
    return not _sets_computed_names(checker.inference)


# The standard library's enumerations: their metaclass, enum.EnumType, gives a class made from them
# the members of its body and names of its own (sunder and dunder: `_member_map_`) and nothing else.
_ENUMERATIONS = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"})


def _enumeration_lacks(checker: Any, local: Any, name: str) -> bool:
    """Is the class attribute ``name`` missing on an enumeration of this file (``Color.values``):
    its installed bases are the standard library's enumerations (builtins such as ``str`` mixed
    in), its metaclass is ``enum.EnumType`` (no other: a base of another package may bring its
    own, Django's ``ChoicesType`` gives ``values``), which serves nothing through ``__getattr__``
    and lacks the name too; a name starting with ``_`` is left alone (the metaclass sets sunder
    names on the class)."""
    if name.startswith("_") or not any(b.path in _ENUMERATIONS for b in local.bases) \
            or any(b.path not in _ENUMERATIONS and not b.path.startswith("builtins.") for b in local.bases):
        return False
    meta = checker.members.describe("enum.EnumType")
    if not meta or meta.get("kind") != "class" or meta.get("instance_getattr") != "none" \
            or name in (meta.get("members") or ()):
        return False
    return all((checker.members.describe(b.path) or {}).get("getattr") == "none" for b in local.bases)
