"""What reading a descriptor through an instance gives, as its class's ``__get__`` is annotated.

An attribute a class binds to an instance of a descriptor class (pandas' ``DataFrame.index`` is an
``AxisProperty``, compiled: its stub says ``def __get__(self, obj: DataFrame | Series, type) ->
Index``) has no return of its own to read; what ``df.index`` gives is what the descriptor class's
``__get__`` returns when ``obj`` is an instance.  That is read from the stub (or the typed source)
of the descriptor class, never by running anything: with overloads, the ones whose ``obj`` is not
annotated ``None`` (that one is the read through the class, which usually gives the descriptor
itself) must all give the same class; a single ``def`` must give one class (not a union, not
``Self``, not ``object``).  A ``TypeVar`` (``Mapped[_T]``) names no class and gives nothing here.

The answer is a lower bound, as any declared type: the member check still looks at subclasses
(``df.index`` may be a ``MultiIndex``).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetpy.environment.modules import parse_module_file
from vetpy.resolve.stub_names import _lookup

if TYPE_CHECKING:
    from vetpy.resolve.stubs import Form, StubIndex

# Heads that say nothing about one class: the reader may get anything.
_NO_CLASS = frozenset({"self", "builtins.object", "typing.Any", "typing_extensions.Any", "typing.Union",
                       "typing_extensions.Union", "typing.Optional", "typing_extensions.Optional", "types.UnionType"})


def instance_read(stubs: "StubIndex | None", cls_path: str) -> "Form":
    """The form (a class path or a generic form) that reading an instance of the descriptor class
    ``cls_path`` through an instance of its owner gives, when its ``__get__`` says so; else None.
    Kept per stub index (its stubs never change)."""
    return kept(stubs, "descriptor_reads.instance_read", cls_path, _instance_read)


def kept(stubs: "StubIndex | None", kind: str, cls_path: str, derive: Any) -> Any:
    """``derive(stubs, cls_path)``, kept in the stub index under ``(kind, cls_path)``; None
    without stubs or a path."""
    if stubs is None or not cls_path:
        return None
    key = (kind, cls_path)
    if key not in stubs.derived:
        stubs.derived[key] = derive(stubs, cls_path)
    return stubs.derived[key]


def declared_get(stubs: "StubIndex", cls_path: str) -> Any:
    """The ``__get__`` defs of the class ``cls_path`` as :meth:`StubIndex.declared` gives them
    (owner, defs, defining module, its tree), from the stub of the deepest module that has one."""
    parts = cls_path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        module, qual = ".".join(parts[:i]), ".".join(parts[i:])
        if stubs.tree(module) is not None:
            return stubs.declared(module, f"{qual}.__get__")
    return None


def _instance_read(stubs: "StubIndex", cls_path: str) -> "Form":
    declared = declared_get(stubs, cls_path)
    if declared is None:
        return None
    owner, defs, defining, tree = declared
    if len(defs) > 1:
        objs = [_obj_annotation(d) for d in defs]
        if any(o is None for o in objs):
            return None  # an overload that does not say which reads it serves
        defs = [d for d, o in zip(defs, objs) if not _is_none(o)]
    elif defs and _obj_annotation(defs[0]) is not None and _is_none(_obj_annotation(defs[0])):
        return None  # only the read through the class is declared
    answers = {stubs._annotation(tree, defining, owner, d.returns) for d in defs}
    if len(answers) != 1:
        return None
    form = _through_sources(stubs, answers.pop())
    head = form[0] if isinstance(form, tuple) else form
    if not isinstance(head, str) or head in _NO_CLASS or head == cls_path:
        return None
    return form


def _obj_annotation(func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The annotation of ``__get__``'s instance parameter (the one after ``self``)."""
    params = [*func.args.posonlyargs, *func.args.args]
    return params[1].annotation if len(params) > 1 else None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _through_sources(stubs: "StubIndex", form: Any, _depth: int = 0) -> Any:
    """``form`` with each class path that a stub imported from a module with no stub (pandas'
    ``properties.pyi`` imports ``Index`` from ``pandas._typing``, which imports it only under
    ``TYPE_CHECKING``) followed through that module's source imports to where it is defined."""
    if isinstance(form, tuple):
        return tuple(_through_sources(stubs, f, _depth) for f in form)
    if not isinstance(form, str) or "." not in form or _depth > 4:
        return form
    module, _, name = form.rpartition(".")
    if stubs.tree(module) is not None:
        return form
    source = _source_tree(stubs, module)
    if source is None:
        return form
    tree, is_package = source
    further = _lookup(tree, module, name, is_package)
    if not further or further == form or further.rpartition(".")[2] != name:
        return form
    return _through_sources(stubs, further, _depth + 1)


def _source_tree(stubs: "StubIndex", module: str) -> tuple[ast.Module, bool] | None:
    """The parsed source of an installed module (read, never run) and whether it is a package."""
    parts = module.split(".")
    for site in stubs.site_dirs:
        base = os.path.join(site, *parts)
        for path, is_package in ((base + ".py", False), (os.path.join(base, "__init__.py"), True)):
            if os.path.isfile(path):
                tree = parse_module_file(Path(path))
                return (tree, is_package) if tree is not None else None
    return None
