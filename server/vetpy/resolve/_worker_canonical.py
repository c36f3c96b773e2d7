"""The dotted path an installed object is known by.

Stdlib only; runs INSIDE the target interpreter as part of the introspection worker: its source
is put before ``_worker.py``'s in the one ``python -c`` program.  Never imported by vetpy.

``module.qualname``, unless that path names another object of the module: ``_csv.Writer``
calls itself ``_csv.writer``, which is the factory function beside it (the member index files an
answer under its canonical path too, so the function would be described as the class and
``csv.writer(f, dialect="x")`` checked against the class's constructor).  Such a class is known by
a name its module binds it to, or has no canonical path.
"""

import sys


def _canonical(obj):
    mod = getattr(obj, "__module__", None)
    qual = getattr(obj, "__qualname__", None)
    if not (isinstance(mod, str) and isinstance(qual, str) and "<" not in qual):
        return None
    module = sys.modules.get(mod) if isinstance(obj, type) and "." not in qual else None
    if module is None:
        return "%s.%s" % (mod, qual)
    try:
        bound = getattr(module, qual, obj)
        if bound is obj or isinstance(bound, type):
            return "%s.%s" % (mod, qual)
        names = sorted(name for name, value in vars(module).items() if value is obj)
    except Exception:  # a module's own __getattr__ may raise anything
        return None
    return "%s.%s" % (mod, names[0]) if names else None


def _imported_path(module, is_package, stmt, alias):
    """The dotted path ``from ... import alias`` of the module ``module`` (``is_package``: its
    file is a package's ``__init__``) names: relative imports resolved against it."""
    if not stmt.level:
        return ".".join((stmt.module.split(".") if stmt.module else []) + [alias.name])
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (stmt.level - 1)] + (stmt.module.split(".") if stmt.module else [])
    return ".".join(base + [alias.name])


def _locally_imported(func, fn, name):
    """(bound, object): does a ``from ... import`` of ``fn``'s body (``fn``: the parsed source of
    ``func``) bind ``name``, and the one object it names (None when imported twice, from a star or
    not importable).  A factory importing the class it returns inside its body, to break an
    import cycle (kombu's ``Connection.SimpleQueue``: ``from .simple import SimpleQueue``)."""
    import ast
    import os

    found = []
    for stmt in ast.walk(fn):
        if isinstance(stmt, ast.Import) and any((a.asname or a.name).split(".")[0] == name for a in stmt.names):
            return True, None
        if isinstance(stmt, ast.ImportFrom):
            found += [(stmt, a) for a in stmt.names if (a.asname or a.name) == name]
    if len(found) != 1 or found[0][1].name == "*":
        return bool(found), None
    module = getattr(func, "__module__", None) or ""
    path = getattr(sys.modules.get(module), "__file__", None) or ""
    try:
        obj, missing = _resolve(_imported_path(module, os.path.basename(path).startswith("__init__."), *found[0]))
    except Exception:  # third-party code may raise anything here: treat as unknown
        return True, None
    return True, obj if missing is None else None
