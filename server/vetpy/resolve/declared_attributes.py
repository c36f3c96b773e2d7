"""What an instance attribute of an installed class holds when the package's own stub (a ``.pyi``
beside its module, or the source of a typed ``py.typed`` package) declares it in the class body
without a value (typeshed's and ``-stubs`` distributions' declarations are not read).

SQLAlchemy's ``class Engine: ... url: URL`` (set in ``__init__``, so no class member at run time
says what it is): ``engine.url`` is a ``URL``, and ``engine.url.db_name`` is reported (``URL`` has
``database``).  The annotation is a lower bound (a subclass may be stored), and it is read only
for a name that the runtime says an instance has and that no member of the class (a method, a
property, a class attribute) answers already; a declaration under an ``if`` or ``try`` of the
class body, a ``ClassVar``, an annotation the stub reader cannot name, an inherited declaration:
unknown.
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.value import Value, lower_bound



def declared_attribute(inference: Any, owner: Value, name: str) -> Value | None:
    """The lower bound of ``owner.name`` (``owner`` an instance of an installed class) from an
    annotation without a value in the class body of the class's stub, else None."""
    stubs = inference.stubs
    module, _, cls_name = owner.path.rpartition(".")
    if stubs is None or not module or name.startswith("__"):
        return None
    tree = stubs.tree(module) if _own_file(stubs, module) else None
    classes = [st for st in (tree.body if tree is not None else ()) if isinstance(st, ast.ClassDef) and st.name == cls_name]
    if len(classes) != 1:
        return None
    declared = [st for st in classes[0].body if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)
                and st.target.id == name]
    if len(declared) != 1 or declared[0].value is not None or _class_var(declared[0].annotation):
        return None
    instance = inference.members.instance(owner.path) or {}
    if name not in (instance.get("members") or ()):
        return None  # no instance has it: the attribute's finding, not a value
    form = stubs._annotation(tree, module, classes[0], declared[0].annotation)  # type: ignore[arg-type]
    if form is None or form == "self":
        return None
    return lower_bound(inference._form_value(form))


def _own_file(stubs: Any, module: str) -> bool:
    """Is the stub of ``module`` a file of the installed package itself (its typed source or its
    own ``.pyi``)?  Typeshed's and ``<pkg>-stubs`` distributions' declarations are another
    project's reading of some version; an attribute's declared type is taken only from the package."""
    path = stubs.stub_path(module)
    top = module.split(".")[0]
    return path is not None and any(path.is_relative_to(site / top) for site in stubs.site_dirs)


def _class_var(annotation: ast.expr) -> bool:
    node = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return "ClassVar" in annotation.value
    return isinstance(node, (ast.Name, ast.Attribute)) and getattr(node, "id", getattr(node, "attr", "")) == "ClassVar"
