"""The overload of a binary operator's method that the right operand's class selects, read from
the stub: ``datetime - datetime`` is ``datetime.__sub__``'s ``(value: Self) -> timedelta``
overload (the other one takes a ``timedelta``), ``Timestamp - Timestamp`` pandas' ``(other:
datetime) -> Timedelta`` one.

Only the certain case: the method is declared in the stub of the left operand's class itself as
overloads (of the target Python's version branch), each taking one operand; the right operand is
an instance of a class whose every base the stubs name (its ancestry is known); exactly one
overload's operand annotation names that class or one of its bases (or ``Self`` for the left
operand's own class, or ``object``/``Any``), and every other one certainly does not: it names
only classes outside that ancestry that are neither protocols nor abstract collections (an
instance may satisfy those without inheriting).  Anything else (a type variable, a generic
annotation that may take it, an overload under another test): no answer.
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.astutil import parse
from vetpy.resolve.elements import _GENERIC, _path
from vetpy.resolve.stub_names import _flat_of, _named
from vetpy.resolve.stubs import Form, StubIndex, _is_overload, _on_version, _parameters

_ACCEPT_ALL = frozenset({"builtins.object", "typing.Any", "typing_extensions.Any"})
# Modules whose classes an instance may satisfy without inheriting them (protocols, ABCs with
# ``register``, typing's special forms): never a certain rejection.
_STRUCTURAL = frozenset({"typing", "typing_extensions", "collections.abc", "_collections_abc", "abc", "numbers",
                         "_typeshed", "os", "io", "types"})
# Classes type checkers let others stand for without inheriting (`int` for `float`, `bytearray` for `bytes`).
_PROMOTED = frozenset({"builtins.float", "builtins.complex", "builtins.bytes"})
Located = tuple[ast.Module, str, ast.ClassDef]


def operand_selected(stubs: StubIndex | None, members: Any, method: str, left: str, right: str) -> Form:
    """The return form of the overload of ``method`` (declared by the stub of the left operand's
    class ``left`` itself) that an instance of ``right`` selects; None unless certain."""
    if stubs is None:
        return None
    found = _declared(stubs, _stub_paths(members, left, method), method)
    if found is None:
        return None
    owner, defs, defining = found
    tree = stubs.tree(defining)
    mine = (tree, defining, owner) if right == left and tree is not None else _class_node(stubs, members, right)
    ancestry = _ancestors(stubs, members, mine) if mine is not None else None
    if tree is None or ancestry is None:
        return None
    chosen = []
    for d in defs:
        params = _parameters(d.args, drop_first=True)
        if len(params) != 1 or "*" in params or "**" in params or next(iter(params)).startswith("="):
            return None
        annotation, _default = next(iter(params.values()))
        verdict = _takes(stubs, members, tree, defining, annotation, ancestry, right == left, 0)
        if verdict is None:
            return None
        if verdict:
            chosen.append(d)
    if len(chosen) != 1:
        return None
    return stubs._annotation(tree, defining, owner, chosen[0].returns)


def _stub_paths(members: Any, cls: str, method: str) -> list[str]:
    """Where a stub may declare the class ``cls``: its path, and the module of the class that the
    runtime says defines the method under the class's own name, when the runtime confirms that name
    is the same class (pandas sets ``Timestamp.__module__`` to ``pandas``; its stub is
    ``pandas/_libs/tslibs/timestamps.pyi``, where the method's owner ``_Timestamp`` lives)."""
    paths = [cls]
    owner = (members.method(cls, method) or {}).get("owner")
    if isinstance(owner, str) and "." in owner:
        sibling = f"{owner.rpartition('.')[0]}.{cls.rpartition('.')[2]}"
        info = members.describe(sibling) if sibling != cls else None
        if info and info.get("kind") == "class" and (info.get("canonical") or sibling) == cls:
            paths.append(sibling)
    return paths


def _declared(stubs: StubIndex, paths: list[str], method: str) -> tuple[ast.ClassDef, list, str] | None:
    """(class, its overloads of ``method`` for the target Python, defining module) from the first
    of ``paths`` whose stub declares the method in that class itself."""
    for path in paths:
        parts = path.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module, qual = ".".join(parts[:i]), ".".join(parts[i:])
            if stubs.tree(module) is None:
                continue
            found = stubs.definitions(module, f"{qual}.{method}")
            if found is None or found[0] is None or found[0].name != parts[-1]:
                break
            owner, defs, defining = found
            if stubs.version is not None:
                defs = [d for d in defs if _on_version(owner.body, d, stubs.version)]
            if defining in stubs._sources:  # a typed source: its overloads, then the implementation
                defs = defs[:-1] if defs and not _is_overload(defs[-1]) and not defs[-1].decorator_list else []
            if len(defs) < 2 or not all(_is_overload(d) for d in defs) \
                    or any(stubs._on_target(owner.body, d) is not True for d in defs):
                return None
            return owner, defs, defining
    return None


def _class_node(stubs: StubIndex, members: Any, path: str, depth: int = 0) -> Located | None:
    """The stub class ``path`` names, following re-exports (in the stubs, else by the runtime's
    canonical path of the class: ``pandas._libs.tslibs.Tick`` is ``...tslibs.offsets.Tick``)."""
    module, _, name = path.rpartition(".")
    tree = stubs.tree(module) if module and depth < 8 else None
    if tree is None:
        info = members.describe(path) if module and depth < 8 else None
        canonical = info.get("canonical") if info and info.get("kind") == "class" else None
        return _class_node(stubs, members, canonical, depth + 1) if canonical and canonical != path else None
    found = _named(tree).get(name)
    if found:
        return (tree, module, found[0]) if len(found) == 1 and isinstance(found[0], ast.ClassDef) else None
    target = _path(tree, module, stubs, ast.Name(id=name))
    return _class_node(stubs, members, target, depth + 1) if target and target != path else None


def _ancestors(stubs: StubIndex, members: Any, located: Located, depth: int = 0) -> dict[int, str] | None:
    """id of each stub class node the class is or inherits -> its module; None when a base is not found."""
    tree, module, node = located
    out = {id(node): module}
    if depth > 12:
        return None
    for base in node.bases:
        head = base.value if isinstance(base, ast.Subscript) else base
        path = _path(tree, module, stubs, head) or _special(head)
        if path in _GENERIC or path == "builtins.object":
            continue
        found = _class_node(stubs, members, path) if path else None
        more = _ancestors(stubs, members, found, depth + 1) if found is not None else None
        if more is None:
            return None
        out.update(more)
    return out


def _takes(stubs: StubIndex, members: Any, tree: ast.Module, module: str, node: ast.expr | None, ancestry: dict[int, str],
           same: bool, depth: int) -> bool | None:
    """Does a parameter annotated ``node`` take the right operand: True, False, or None (unsure)."""
    if node is None or depth > 6:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(node, ast.Constant) and node.value is None:
        return False  # the operand is an instance of a class, not None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        verdicts = [_takes(stubs, members, tree, module, side, ancestry, same, depth + 1) for side in (node.left, node.right)]
        return True if True in verdicts else None if None in verdicts else False
    if isinstance(node, ast.Subscript):  # `ndarray[...]`: it may take it only if the class does
        return False if _takes(stubs, members, tree, module, node.value, ancestry, same, depth + 1) is False else None
    if isinstance(node, ast.Name) and node.id == "Self":
        return True if same else None
    path = _path(tree, module, stubs, node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    if path is None:
        return None
    if path in _ACCEPT_ALL:
        return True
    found = _class_node(stubs, members, path)
    if found is None:  # a type alias (`StrOrBytesPath: TypeAlias = str | bytes | PathLike[str] | ...`)
        aliased = _aliased(stubs, path)
        return _takes(stubs, members, aliased[0], aliased[1], aliased[2], ancestry, same, depth + 1) if aliased else None
    if id(found[2]) in ancestry:
        return True
    if path in _PROMOTED:
        return None  # an `int` is taken where a `float` is declared (type checkers' promotions)
    return False if _nominal(stubs, members, found) else None


def _aliased(stubs: StubIndex, path: str) -> tuple[ast.Module, str, ast.expr] | None:
    """(tree, module, value) of the one top-level assignment of a stub that binds ``path``."""
    module, _, name = path.rpartition(".")
    tree = stubs.tree(module) if module else None
    if tree is None:
        return None
    values = [st.value for st in _flat_of(tree) if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None
              and any(isinstance(t, ast.Name) and t.id == name for t in (st.targets if isinstance(st, ast.Assign) else [st.target]))]
    return (tree, module, values[0]) if len(values) == 1 else None


def _nominal(stubs: StubIndex, members: Any, located: Located, depth: int = 0) -> bool:
    """Is an instance of this class only ever one by inheriting it: neither it nor a base is a
    protocol, an abstract class that others may register, a special form, or has a metaclass,
    and the class itself is no typing-only one?"""
    tree, module, node = located
    if depth > 12 or module.split(".")[0] in _STRUCTURAL or node.keywords:
        return False
    if depth == 0 and any(_decorator_name(d) == "type_check_only" for d in node.decorator_list):
        return False
    for base in node.bases:
        head = base.value if isinstance(base, ast.Subscript) else base
        path = _path(tree, module, stubs, head) or _special(head)
        if path in ("builtins.object", "typing.Generic", "typing_extensions.Generic"):
            continue
        found = _class_node(stubs, members, path) if path and path not in _GENERIC else None
        if found is None or not _nominal(stubs, members, found, depth + 1):
            return False
    return True


def _special(head: ast.expr) -> str | None:
    """typing's own stub binds ``Protocol``/``Generic`` as special forms, no class or import."""
    return f"typing.{head.id}" if isinstance(head, ast.Name) and head.id in ("Protocol", "Generic") else None


def _decorator_name(node: Any) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return getattr(node, "id", getattr(node, "attr", ""))
