"""What the instance model learned about the standard library, kept on disk (issue 17).

Stdlib only; runs INSIDE the target interpreter as part of the introspection worker: its source
is put first in the one ``python -c`` program, before ``_worker_instances.py``, whose functions use
these.  Never imported by vetpy.
"""

import hashlib
import inspect
import json
import os
import sys
import types

# -- what the instance model learned about the standard library, kept on disk -------------------
# The standard library of one interpreter never changes, so what the instance model works out
# from its source (a class's source attributes, a package's foreign names and filled classes) is
# the same in every worker of that interpreter, whichever project it serves: it is kept in one
# file per interpreter fingerprint (implementation, ``sys.version`` with its build, platform, the
# standard library's real path and its ``os.py``'s size and modification time) under the
# directory named by $VETPY_WORKER_FACTS (the parent names a directory per worker source digest).
# Only what is read from standard-library files is kept (never a site-packages inside it); an
# unreadable or malformed file is treated as empty and rewritten.
_FACTS_FORMAT = 1
_STDLIB = os.path.join(os.path.realpath(os.path.dirname(os.__file__)), "")
_STORE = {"path": False, "classes": {}, "packages": {}, "dirty": False}


def _in_stdlib(path):
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    real = os.path.realpath(path)
    return real.startswith(_STDLIB) and real[len(_STDLIB):].split(os.sep)[0] not in ("site-packages", "dist-packages")


def _store_path():
    """The facts file of this interpreter (loaded into _STORE the first time), or None."""
    if _STORE["path"] is False:
        _STORE["path"] = None
        base = os.environ.get("VETPY_WORKER_FACTS")
        try:
            if base:
                st = os.stat(os.__file__)
                fingerprint = json.dumps([_FACTS_FORMAT, sys.implementation.name, sys.version, sys.platform, _STDLIB,
                                          st.st_size, st.st_mtime_ns])
                _STORE["path"] = os.path.join(base, hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + ".json")
                _STORE["classes"], _STORE["packages"] = _read_store(_STORE["path"])
        except (OSError, ValueError):
            pass
    return _STORE["path"]


def _read_store(path):
    """(classes, packages) of a facts file; empty when it is missing, unreadable or malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if isinstance(data, dict) and data.get("format") == _FACTS_FORMAT \
                and isinstance(data.get("classes"), dict) and isinstance(data.get("packages"), dict):
            return data["classes"], data["packages"]
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        pass
    return {}, {}


def _save_facts():
    """Write what was learned since the last save (merged with what other workers wrote meanwhile;
    a failure only costs their recomputation)."""
    path = _STORE["path"]
    if not path or not _STORE["dirty"]:
        return
    _STORE["dirty"] = False
    classes, packages = _read_store(path)
    classes.update(_STORE["classes"])
    packages.update(_STORE["packages"])
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"format": _FACTS_FORMAT, "classes": classes, "packages": packages}, f)
        os.replace(tmp, path)
    except (OSError, ValueError, TypeError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _class_key(klass):
    """The store's key of a standard-library class (``module:qualname``), or None."""
    module, qualname = getattr(klass, "__module__", None), getattr(klass, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None and module.split(".")[0] not in names:
        return None
    try:
        path = inspect.getsourcefile(klass)
    except (TypeError, OSError):
        return None
    if not _in_stdlib(path) or _store_path() is None:
        return None
    return module + ":" + qualname


def _kept(kind, key, valid):
    """The kept value of ``key`` when it passes ``valid``, else None."""
    if key is None:
        return None
    value = _STORE[kind].get(key)
    try:
        return value if value is not None and valid(value) else None
    except (TypeError, ValueError, AttributeError, KeyError):
        return None


def _keep(kind, key, value):
    if key is not None:
        _STORE[kind][key] = value
        _STORE["dirty"] = True


def _valid_class_facts(value):
    return value in ("none", "open") or isinstance(value, list) and all(isinstance(v, str) for v in value)


def _valid_package_facts(value):
    return isinstance(value, dict) and isinstance(value["names"], list) and isinstance(value["filling"], list) \
        and all(isinstance(n, str) for n in value["names"]) and isinstance(value["files"], dict) \
        and all(isinstance(p, str) and isinstance(lines, list) and all(isinstance(n, int) for n in lines)
                for p, lines in value["filling"])


def _parsed_by_hand(obj):
    """Is ``obj`` a compiled function or method outside the standard library?  Its signature is
    the ``__text_signature__`` someone wrote in its docstring, not the parser's: which arguments it
    requires only the C code says (numpy's ``arange(start_or_stop, /, stop=None, ...)`` takes
    ``arange(stop=10)``).  The standard library's come from Argument Clinic, which generates both
    from one declaration.  Before Python 3.10 (no ``sys.stdlib_module_names``) nothing changes."""
    if not (inspect.isbuiltin(obj) or isinstance(obj, (types.MethodDescriptorType, types.ClassMethodDescriptorType,
                                                         types.WrapperDescriptorType))):
        return False
    names = getattr(sys, "stdlib_module_names", None)
    owner = getattr(obj, "__objclass__", None) or getattr(obj, "__self__", None)
    module = getattr(obj, "__module__", None)
    if module is None and owner is not None:
        module = owner.__name__ if isinstance(owner, types.ModuleType) else getattr(
            owner if isinstance(owner, type) else type(owner), "__module__", None)
    return bool(names) and bool(module) and str(module).split(".")[0] not in names


def _borrowed_signature(cls):
    """Is ``inspect.signature(cls)`` a base's, not what calling ``cls`` takes?  A compiled class with
    its own compiled ``__new__``/``__init__`` and no text signature of its own is given the first
    base's that has one: ``os.stat_result(values, extra)`` (a struct sequence, which takes a
    sequence and a dict) would read as ``tuple(iterable=(), /)``."""
    own = [vars(cls)[n] for n in ("__new__", "__init__") if n in vars(cls)]
    return bool(own) and not any(isinstance(f, (staticmethod, classmethod, types.FunctionType)) for f in own) \
        and cls.__text_signature__ is None and any(b.__text_signature__ for b in cls.__mro__[1:])
