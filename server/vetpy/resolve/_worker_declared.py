"""The keywords a method takes on an instance known only by a declared return, for the
introspection worker: ``conn = self.connection_from_host(...)`` (declared ``-> HTTPConnectionPool``),
then ``conn.urlopen(method, url, **kw)`` (urllib3's ``PoolManager.urlopen``).

The instance may be of the defining class or of any subclass, and ``urlopen`` hands its
``**response_kw`` on to ``self._make_request(...)`` (and back to ``self.urlopen`` on a retry),
which a subclass may override.  So the method is followed once for each class it may run on: the
class that defines it and every loaded subclass (its package's modules that declare one imported
first, as ``_worker_subclasses.py`` does), each as the receiver of its own methods; the keywords
taken are their union, and any class whose keywords are open (its ``**kwargs`` reach an unknown
callee, a ``__getattr__`` or ``__getattribute__`` of its own, a method that is no plain function)
leaves them open.  A subclass the project defines is the rule's to look at: the names of the
methods that a ``**kwargs`` may reach through ``self`` (every ``self.name(...)`` call in these
classes' methods that passes a ``**`` dict or a method's ``**kwargs`` dict whole) are returned as
``through``, which leaves the keywords open where the project defines a method of such a name.

Stdlib only; runs INSIDE the target interpreter as part of the worker program (``_signature``,
``_generic_lookup``, ``_getattr_kind``, ``_subclass_modules_loaded``, ``_subclasses_listed`` and
``_SUBCLASS_LIMIT`` are the other worker modules', looked up when it runs).  Never imported by vetpy.
"""

import ast
import inspect
import textwrap


def _declared_signature(target):
    """The signature of the plain function ``target`` called on an instance of the class defining
    it or of a subclass (no receiver class known): as ``_signature`` answers without a receiver
    when that leaves its ``**kwargs`` closed, else the union over the classes it may run on."""
    sig = _signature(target, bound=True, owner=None)
    if sig is None or sig["forwards"] is not None or not any(p[1] == 4 for p in sig["params"]):
        return sig
    defining = _defining_class(target)
    top = str(getattr(defining, "__module__", "") or "").split(".")[0]
    if defining is None or not top or not _subclass_modules_loaded(defining, top):
        return sig
    subs = _subclasses_listed(defining, None, _SUBCLASS_LIMIT)
    if subs is None:
        return sig
    accepted, through = set(), {target.__name__}
    for cls in [defining, *subs]:
        if not _generic_lookup(cls) or _getattr_kind(cls) != "none":
            return sig
        method = inspect.getattr_static(cls, target.__name__, None)
        found = _signature(method, bound=True, owner=cls) if inspect.isfunction(method) else None
        forwards = found and found["forwards"]
        if not forwards or forwards.get("depends") or "returned" in forwards:
            return sig
        accepted.update(forwards["accepted"])
        accepted.update(p[0] for p in found["params"] if p[1] in (1, 3))
        through.update(forwards.get("through") or ())
        names = _self_forward_names(cls)
        if names is None:
            return sig
        through.update(names)
    return {"params": [[name, 3, True] for name in sorted(accepted)] + [["kwargs", 4, False]],
            "forwards": {"accepted": sorted(accepted), "depends": [], "through": sorted(through)}}


def _defining_class(target):
    """The class whose own namespace holds ``target`` (by its ``__qualname__``), or None."""
    owner_path = target.__qualname__.rpartition(".")[0]
    if not owner_path or "<locals>" in owner_path:
        return None
    obj = inspect.getmodule(target)
    for part in owner_path.split("."):
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) and vars(obj).get(target.__name__) is target else None


_SELF_NAMES = {}  # class -> the names of its MRO's methods that a **kwargs dict may reach through self


def _self_forward_names(cls):
    """The ``name`` of every ``self.name(...)`` call, in the methods of ``cls``'s MRO (builtins
    left out), that passes a ``**`` dict or a method's own ``**kwargs`` dict; None when a
    method's source cannot be read."""
    if cls not in _SELF_NAMES:
        _SELF_NAMES[cls] = _read_self_names(cls)
    return _SELF_NAMES[cls]


def _read_self_names(cls):
    names = set()
    for klass in cls.__mro__:
        if klass is object or getattr(klass, "__module__", "") == "builtins":
            continue
        for value in vars(klass).values():
            func = getattr(value, "__func__", value)
            if not inspect.isfunction(func):
                continue
            try:
                tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
            except (OSError, TypeError, SyntaxError):
                return None
            fn = tree.body[0] if tree.body else None
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return None
            first = (fn.args.posonlyargs + fn.args.args)[:1]
            kwname = fn.args.kwarg.arg if fn.args.kwarg is not None else None
            for node in ast.walk(fn):
                if (first and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == first[0].arg
                        and (any(k.arg is None for k in node.keywords)
                             or any(isinstance(a, ast.Name) and a.id == kwname for a in node.args))):
                    names.add(node.func.attr)
    return names
