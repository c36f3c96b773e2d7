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

from vetpy.astutil import is_type_checking_test
from vetpy.resolve.value import EXACT, LOCAL_CLASS, OBJECT, Value, lower_bound



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


def declared_class_attribute(inference: Any, base: str, name: str) -> Value | None:
    """What ``Cls.name`` holds for a class of this file whose installed base ``base`` declares
    ``name: ClassVar[X]`` without a value in its class body, or under its ``if TYPE_CHECKING:``
    (SQLAlchemy's ``DeclarativeBase``: ``metadata: ClassVar[MetaData]``, which its
    ``__init_subclass__`` sets on each subclass): an ``X`` (a lower bound) in the package's own
    stub or typed source, else None.  Asked only for a name that neither the class of this file nor
    any installed base gives at run time."""
    stubs = inference.stubs
    info = inference.members.describe(base) or {}
    module, _, cls_name = str(info.get("canonical") or base).rpartition(".")
    if stubs is None or not module or name.startswith("__") or info.get("kind") != "class":
        return None
    tree = stubs.tree(module) if _own_file(stubs, module) else None
    by_name: dict[str, list[ast.ClassDef]] = {}
    for st in tree.body if tree is not None else ():
        if isinstance(st, ast.ClassDef):
            by_name.setdefault(st.name, []).append(st)
    todo, declared, owner = [cls_name], [], None
    while todo and not declared and len(todo) < 16:  # the class, then its bases of the same module
        classes = by_name.get(todo.pop(0)) or []
        if len(classes) != 1:
            return None
        owner = classes[0]
        body = [*owner.body, *(s for st in owner.body if isinstance(st, ast.If) and is_type_checking_test(st.test)
                               for s in st.body)]
        declared = [st for st in body if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.target.id == name]
        todo += [b.id for b in owner.bases if isinstance(b, ast.Name) and b.id in by_name]
    if len(declared) != 1 or declared[0].value is not None or not _class_var(declared[0].annotation) \
            or not isinstance(declared[0].annotation, ast.Subscript):
        return None
    form = stubs._annotation(tree, module, owner, declared[0].annotation.slice)  # type: ignore[arg-type]
    if not isinstance(form, str) or form == "self":
        return None
    return lower_bound(inference._form_value(form))


def declared_on_local_class(inference: Any, owner: Value, name: str) -> Value | None:
    """:func:`declared_class_attribute` for ``owner``, a class of this file (or its instance) whose
    members the inference does not list (a base of other classes: ``class Base(DeclarativeBase):
    pass``): its bases are all installed classes, none of which has ``name`` at run time, and
    nothing of this file binds it (the class body, a decorator, a metaclass keyword, a store
    ``Base.name = ...`` anywhere).  Only the class itself (``Base.metadata``): ``self`` or ``cls``
    may be a subclass's, whose body may bind the name."""
    if owner.kind != LOCAL_CLASS or owner.name != EXACT:
        return None
    node = inference._local_nodes.get(owner.path)
    if node is None or node.decorator_list or node.keywords or name in inference.assigned_attrs:
        return None
    for st in ast.walk(node):
        if isinstance(st, ast.Name) and st.id == name and not isinstance(st.ctx, ast.Load) \
                or isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and st.name == name and st is not node:
            return None
    bases = [inference.infer(b) for b in node.bases]
    if not bases or any(b is None or b.kind != OBJECT for b in bases):
        return None
    for base in bases:
        info = inference.members.describe(base.path) or {}
        if info.get("kind") != "class" or info.get("getattr") != "none" or name in (info.get("members") or ()):
            return None
    return next((v for b in bases if (v := declared_class_attribute(inference, b.path, name)) is not None), None)
