"""The subclasses of an installed class in its own package, whatever the worker imported before
(and the modules whose functions fill instances with computed names, for the same reason).

Stdlib only; runs INSIDE the target interpreter as part of the introspection worker (its source
is put before ``_worker.py``'s in the one ``python -c`` program; it uses ``_worker_instances.py``'s
``_package_texts`` and ``_PACKAGE_BYTES`` and ``_worker.py``'s ``_import``).  Never imported by vetpy.

``type.__subclasses__`` lists only the subclasses of modules already imported: ``numpy.ma``'s
``MaskedArray`` is a subclass of ``numpy.ndarray`` once something imported ``numpy.ma``.  An answer
built from it would depend on the questions asked before (and it is kept on disk), so the modules
of the package whose source declares a class that may derive from the class are imported first
(a subclass not imported yet still exists for the user's program).
"""

import os
import re
import sys

_CLASS_STATEMENT = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]*)\)", re.M)
_DECLARED = {}  # top-level package -> [(module, class name, names in its bases)]; None when unknowable
_SUBCLASS_MODULES = {}  # class -> are the modules that may declare a subclass of it imported?


def _subclass_modules_loaded(cls, top):
    """Import every module of the package ``top`` whose source declares a class whose bases name
    ``cls`` or such a class (by name: an over-approximation).  A module that needs what is not
    installed is left out.  False when that is unknowable: the package's source was cut short, or
    such a module fails to import otherwise."""
    if cls not in _SUBCLASS_MODULES:
        _SUBCLASS_MODULES[cls] = _load_subclass_modules(cls, top)
    return _SUBCLASS_MODULES[cls]


def _load_subclass_modules(cls, top):
    declared = _declared_classes(top)
    if declared is None:
        return False
    names, modules, grown = {cls.__name__}, set(), True
    while grown:
        grown = False
        for module, name, bases in declared:
            if module not in modules and bases & names:
                modules.add(module)
                names.add(name)
                grown = True
    for module in sorted(modules):
        if module in sys.modules:
            continue
        try:
            _import(module)
        except ImportError:  # it needs what is not installed: none of its classes exists here
            continue
        except BaseException:  # it raises or exits otherwise (what it needs may be set at runtime): unknowable
            return False
    return True


def _subclasses_listed(cls, top, limit):
    """Every subclass of ``cls`` at any depth, once, in the order of a walk down from ``cls``:
    those of the package ``top`` (its tests left out), or every loaded one when ``top`` is None;
    None when there are more than ``limit`` or ``type.__subclasses__`` refuses a class.  Callers
    that mean the package's subclasses import their modules first (:func:`_subclass_modules_loaded`)."""
    seen, found, todo = set(), [], [cls]
    while todo:
        try:
            subs = type.__subclasses__(todo.pop())
        except TypeError:
            return None
        for sub in subs:
            module = str(getattr(sub, "__module__", "") or "")
            if sub in seen or top is not None and (module.split(".")[0] != top or _test_module(module)):
                continue
            seen.add(sub)
            found.append(sub)
            if len(found) > limit:
                return None
            todo.append(sub)
    return found


def _import_filling(top, filling):
    """Import the modules of the package ``top`` that hold these files (a module that needs what is
    not installed, or fails otherwise, stays out)."""
    roots = [os.path.abspath(r) for r in list(getattr(sys.modules.get(top), "__path__", None) or [])]
    for path, _lines in filling:
        module = _module_name(top, roots, os.path.abspath(path))
        if module in sys.modules or _script_module(module):
            continue
        try:
            _import(module)
        except BaseException:  # third-party code may raise or exit in any way: not loaded, as before
            continue


def _declared_classes(top):
    """Every class statement of the package ``top``'s source files (its tests left out)."""
    if top not in _DECLARED:
        roots = [os.path.abspath(r) for r in list(getattr(sys.modules.get(top), "__path__", None) or [])]
        found, total = [], 0
        for path, text in _package_texts(top):
            total += len(text)
            module = _module_name(top, roots, os.path.abspath(path))
            if _script_module(module):  # never imported: a test folder holds scripts (twisted/test/)
                continue
            for match in _CLASS_STATEMENT.finditer(text):
                found.append((module, match.group(1), frozenset(re.findall(r"\w+", match.group(2)))))
        _DECLARED[top] = None if total >= _PACKAGE_BYTES else found
    return _DECLARED[top]


def _module_name(top, roots, path):
    for root in roots:
        if path.startswith(root + os.sep):
            parts = os.path.splitext(path[len(root) + 1:])[0].split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            return ".".join([top] + parts)
    return top


def _test_module(name):
    """Is ``name`` a module of a package's tests (whose subclasses no user program meets)?"""
    return any(part in ("tests", "test") or part.startswith("test_") for part in name.split("."))


def _script_module(name):
    """Is ``name`` a module that runs as a program when imported (a package's tests, whose folder
    holds scripts: ``twisted/test/process_twisted.py``; its ``__main__``)?  Never imported."""
    return _test_module(name) or name.rsplit(".", 1)[-1] == "__main__"
