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
