"""What calling a class takes when its ``__new__`` takes anything and only makes the instance, for
the introspection worker: ``inspect.signature(cls)`` reads the first ``__new__`` or ``__init__`` of
the MRO, so a ``__new__(cls, *args, **kwargs)`` that records the arguments (Django's
``@deconstructible``: ``obj = super(klass, cls).__new__(cls); obj._constructor_args = (args,
kwargs); return obj``) reads as taking anything.  Python then runs ``type(obj).__init__`` with the
same arguments, and ``type(obj)`` is exactly the class, so the call takes what that ``__init__``
takes (``EmailValidator(whitelist=[...])`` raises TypeError).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (``_worker.py``'s
``_signature`` asks :func:`_class_signature`; ``_worker_returns.py``'s ``_own_returns`` is looked up
when it runs).  Never imported by vetpy.
"""

import ast
import inspect
import textwrap
import types


def _class_signature(obj):
    """``inspect.signature(obj)``; for a class whose ``__new__`` only makes the instance
    (:func:`_new_only_makes`), the signature of the ``__init__`` it runs, without ``self``."""
    sig = inspect.signature(obj)
    init = _new_only_makes(obj) if isinstance(obj, type) else None
    if init is None:
        return sig
    try:
        params = list(inspect.signature(init).parameters.values())
    except (TypeError, ValueError):
        return sig
    if not params or params[0].kind not in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD):
        return sig
    return sig.replace(parameters=params[1:])


def _new_only_makes(cls):
    """The Python ``__init__`` that ``cls(...)`` runs when the call is plain but for a Python
    ``__new__(cls, *args, **kwargs)`` (the first of the MRO, and no other class of it but ``object``
    defines one) whose every ``return`` gives a variable bound once, to ``super(...).__new__(cls)``
    or ``object.__new__(cls)``: an instance of exactly ``cls``.  None otherwise."""
    found = _plain_new(cls)
    if found is None:
        return None
    init = next((vars(k)["__init__"] for k in cls.__mro__ if "__init__" in vars(k)), None)
    if not isinstance(init, types.FunctionType) or getattr(init, "__wrapped__", None) is not None:
        return None
    fn = found[1]
    return init if _makes_only(fn, fn.args.args[0].arg) else None


def _plain_new(cls):
    """(the function, its parsed source) of the Python ``__new__(cls, *args, **kwargs)`` that
    ``cls(...)`` runs: the call otherwise plain (no metaclass ``__call__``), the first ``__new__``
    of the MRO, no other class of it but ``object`` defining one, no signature set by hand.
    None otherwise."""
    try:
        if type(cls).__call__ is not type.__call__:
            return None
        news = [k for k in cls.__mro__ if "__new__" in vars(k)]
        if len(news) != 2 or news[1] is not object:
            return None
        new = vars(news[0])["__new__"]
        new = new.__func__ if isinstance(new, staticmethod) else new
        if not isinstance(new, types.FunctionType) or getattr(new, "__wrapped__", None) is not None \
                or "super" in new.__globals__ or "object" in new.__globals__:
            return None  # (a module that rebinds `super` or `object`: not the builtins read below)
        code = new.__code__
        if code.co_argcount != 1 or code.co_kwonlyargcount or code.co_posonlyargcount or (
                code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) != inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
            return None
        if any("__signature__" in vars(k) or "__text_signature__" in vars(k) for k in cls.__mro__[:-1]):
            return None
        tree = ast.parse(textwrap.dedent(inspect.getsource(new)))
    except Exception:  # third-party classes and sources may raise anything here: treat as unknown
        return None
    fn = tree.body[0] if tree.body else None
    if not isinstance(fn, ast.FunctionDef) or fn.name != new.__name__ or not fn.args.args:
        return None
    return new, fn


def _makes_only(fn, me):
    """Does every ``return`` of ``fn`` give a variable bound once (and otherwise never stored) to
    ``super(...).__new__(me)`` or ``object.__new__(me)``, ``me`` never rebound and nothing yielded?"""
    returns = _own_returns(fn)
    if not returns or any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)) for n in ast.walk(fn)):
        return False
    stores = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores[node.id] = stores.get(node.id, 0) + 1
    if me in stores:
        return False
    made = {s.targets[0].id for s in ast.walk(fn) if isinstance(s, ast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Name) and stores.get(s.targets[0].id) == 1 and _instance_made(s.value, me)}
    return all(isinstance(r.value, ast.Name) and r.value.id in made for r in returns)


def _instance_made(value, me):
    """Is ``value`` ``super(...).__new__(me)`` or ``object.__new__(me)``?"""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "__new__"
            and len(value.args) == 1 and not value.keywords and isinstance(value.args[0], ast.Name)
            and value.args[0].id == me):
        return False
    owner = value.func.value
    if isinstance(owner, ast.Name):
        return owner.id == "object"
    return isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super" and not owner.keywords


def _new_picked_keywords(cls):
    """The forwards (``{"accepted": [...], "depends": []}``) of ``cls(*args, **kwargs)`` when its
    ``__new__(cls, *args, **kwargs)`` may give an instance of a subclass it picks first (pandas'
    ``Grouper``: ``if kwargs.get("freq") is not None: cls = TimeGrouper``, then ``return
    super().__new__(cls)``): Python runs that instance's ``__init__`` with the same arguments, so a
    keyword that no ``__init__`` of the classes it may make takes raises TypeError, whichever it
    picks.  Each class assigned must be a subclass of ``cls`` (else no ``__init__`` runs) and each
    ``__init__`` a plain function; one taking ``**kwargs`` counts with the keywords it forwards
    (open: None).  None for any other ``__new__``."""
    found = _plain_new(cls)
    if found is None:
        return None
    new, fn = found
    me = fn.args.args[0].arg
    picked = _picked_classes(new, fn, me)
    if picked is None or any(not isinstance(k, type) or not issubclass(k, cls) for k in picked):
        return None
    accepted = set()
    for klass in {cls, *picked}:
        names = _init_keywords(klass)
        if names is None:
            return None
        accepted |= names
    return {"accepted": sorted(accepted), "depends": []}


def _picked_classes(new, fn, me):
    """The classes ``fn`` (the source of ``new``) assigns to its first parameter ``me`` (``cls =
    Sub``, ``cls = A if test else B``, names of its module or imported in its body), when every
    ``return`` gives ``super().__new__(me)`` / ``object.__new__(me)`` (or a variable bound once to
    it) and nothing else stores ``me``; else None.  [] when it never assigns ``me``."""
    if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)) for n in ast.walk(fn)):
        return None
    stores, picked, assigns = {}, [], 0
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores[node.id] = stores.get(node.id, 0) + 1
    params = {a.arg for a in fn.args.args + fn.args.kwonlyargs + [fn.args.vararg, fn.args.kwarg] if a is not None}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == me for t in node.targets):
            if len(node.targets) != 1:
                return None
            assigns += 1
            values = [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
            for value in values:
                if not isinstance(value, ast.Name) or value.id in params or value.id in stores:
                    return None  # a local or a parameter: not the module's class of that name
                local, klass = _locally_imported(new, fn, value.id)  # `from .resample import TimeGrouper` in the body
                picked.append(klass if local else new.__globals__.get(value.id))
    if stores.get(me, 0) != assigns:
        return None  # `me` stored some other way (a loop, a `with`, an augmented assignment)
    returns = _own_returns(fn)
    made = {s.targets[0].id for s in ast.walk(fn) if isinstance(s, ast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Name) and stores.get(s.targets[0].id) == 1 and _instance_made(s.value, me)}
    if not returns or not all(_instance_made(r.value, me) or isinstance(r.value, ast.Name) and r.value.id in made
                              for r in returns):
        return None
    return picked


def _init_keywords(klass):
    """The names a call may pass by keyword to the ``__init__`` an instance of exactly ``klass``
    runs (a plain function; its ``**kwargs`` as far as it forwards them); None when open."""
    init = next((vars(k)["__init__"] for k in klass.__mro__ if "__init__" in vars(k)), None)
    if not isinstance(init, types.FunctionType) or getattr(init, "__wrapped__", None) is not None:
        return None
    try:
        params = list(inspect.signature(init).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    for p in params:
        if p.kind == p.VAR_KEYWORD:
            forwards = _forwarded_keywords(init, p.name, depth=0, owner=klass)
            if forwards is None or forwards.get("through"):  # (`self.m(**kw)`: self is of exactly klass)
                return None
            names |= set(forwards["accepted"])
    return names
