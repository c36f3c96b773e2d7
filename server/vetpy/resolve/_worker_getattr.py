"""Which names a Python ``__getattr__`` of an installed class can serve on an instance, read from
its source: a ``__getattr__`` is open (any name, any value) unless every way out of it is one of

- ``raise ...`` or ``object.__getattribute__(self, name)`` (``super().__getattribute__(name)``):
  nothing beyond the instance's own names;
- any ``return`` under ``if name == "week":`` (``in ("a", "b")``): those literal names;
- ``getattr(self.x, name)``, or a variable bound to ``getattr(self.x, name, None)`` returned under
  ``if value is not None:``: the names of ``x``, when ``x`` is annotated on the class with a
  class whose instances' names are known, and every assignment to ``.x`` in the package builds
  that exact class (arrow's ``Arrow`` serves its ``datetime``'s names);
- ``self[name]`` where the class's ``__getitem__`` is annotated to give instances of classes
  that cannot be called (pandas' ``DataFrameGroupBy`` serves its columns): data, any name;
- a literal, or ``return`` without a value: data, any name.

Data is never called, so a called missing method is still certain on such a class.

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its source is put
after ``_worker_instances.py``'s and ``_worker_returns.py``'s, whose ``_class_node``, ``_instance``,
``_package_texts`` and ``_plain_construction`` it looks up when it runs, as ``_worker_subclasses.py``'s
``_subclass_modules_loaded`` and ``_subclasses_listed``).  Never imported by vetpy.
"""

import ast
import re
import sys
import types

_SERVED = {}  # (class, class defining __getattr__) -> None (open) or (frozenset of names, data?)
_SERVED_SUBCLASS_LIMIT = 200


def _getattr_served(cls, klass):
    """(names, data) that ``klass.__getattr__`` can serve on an instance of ``cls``; None when
    any name may be served with any value."""
    key = (cls, klass)
    if key not in _SERVED:
        _SERVED[key] = None  # a delegate that leads back here is open
        try:
            _SERVED[key] = _read_getattr(cls, klass)
        except Exception:  # third-party code may raise anything here: treat as open
            _SERVED[key] = None
    return _SERVED[key]


def _overridden_below(cls, names=("__getattr__", "__getattribute__")):
    """Does a subclass of ``cls`` in its own package (its tests left out) define one of ``names``
    itself (or are there more subclasses than are read, or is that unknowable)?  The modules that
    may declare such a subclass are imported first (``_worker_subclasses.py``), and other packages'
    subclasses are not read, so that the answer does not depend on what the worker imported before."""
    top = str(getattr(cls, "__module__", "") or "").split(".")[0]
    if not _subclass_modules_loaded(cls, top):
        return True
    subs = _subclasses_listed(cls, top, _SERVED_SUBCLASS_LIMIT)
    return subs is None or any(n in vars(sub) for sub in subs for n in names)


def _read_getattr(cls, klass):
    if not isinstance(vars(klass).get("__getattr__"), types.FunctionType) or _overridden_below(cls):
        return None
    # a standard-library class's answer is kept once per interpreter, as its other facts
    own, defining = _class_key(cls), _class_key(klass)
    key = None if own is None or defining is None else "served:%s|%s" % (own, defining)
    kept = _kept("classes", key, _valid_class_facts)
    if kept is None:
        served = _read_source_getattr(cls, klass)
        kept = "open" if served is None else (["<data>"] if served[1] else []) + sorted(served[0])
        _keep("classes", key, kept)
    if not isinstance(kept, list):
        return None
    return frozenset(n for n in kept if n != "<data>"), "<data>" in kept


def _read_source_getattr(cls, klass):
    node = _class_node(klass)
    if node is None:
        return None
    defs = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "__getattr__"]
    if len(defs) != 1 or not isinstance(defs[0], ast.FunctionDef) or defs[0].decorator_list:
        return None
    args = defs[0].args
    if args.posonlyargs or len(args.args) != 2 or args.vararg or args.kwarg or args.kwonlyargs:
        return None
    if any(isinstance(n, (ast.NamedExpr, ast.Global, ast.Nonlocal)) for n in ast.walk(defs[0])):
        return None  # `(name := name.lower())`: the name looked up is not the one asked for
    reading = _Reading(cls, klass, args.args[0].arg, args.args[1].arg)
    if not _ends(defs[0].body) or not reading.block(defs[0].body, None, frozenset()):
        return None
    names = set(reading.literal)
    for attr in reading.delegates:
        served = _delegate_names(cls, attr)
        if served is None:
            return None
        names |= served
    return frozenset(names), reading.data


def _ends(body):
    """Does every path through ``body`` end in ``return`` or ``raise`` (no implicit ``None``)?"""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    return isinstance(last, ast.If) and _ends(last.body) and _ends(last.orelse)


def _literals(test, param):
    """The names ``test`` admits when it compares the name with literals, else None."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        parts = [_literals(v, param) for v in test.values]
        return None if any(p is None for p in parts) else frozenset().union(*parts)
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(op, ast.Eq) and isinstance(right, ast.Name):
        left, right = right, left
    if not (isinstance(left, ast.Name) and left.id == param):
        return None
    if isinstance(op, ast.Eq) and isinstance(right, ast.Constant) and isinstance(right.value, str):
        return frozenset([right.value])
    if isinstance(op, ast.In) and isinstance(right, (ast.Tuple, ast.List, ast.Set)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in right.elts):
        return frozenset(e.value for e in right.elts)
    return None


def _not_none(test):
    """The variable ``test`` proves is not None (``if value is not None:``)."""
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot)
            and isinstance(test.left, ast.Name) and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return test.left.id
    return None


class _Reading:
    def __init__(self, cls, klass, me, param):
        self.cls, self.klass, self.me, self.param = cls, klass, me, param
        self.literal, self.delegates, self.data = set(), set(), False
        self.bound = {}  # local variable -> its getattr(self.x, name, default) call

    def block(self, body, guard, not_none):
        for stmt in body:
            if isinstance(stmt, ast.If):
                admitted = _literals(stmt.test, self.param)
                inner = admitted if admitted is not None else guard
                checked = _not_none(stmt.test)
                if not self.block(stmt.body, inner, not_none | {checked} if checked else not_none):
                    return False
                if not self.block(stmt.orelse, guard, not_none):
                    return False
            elif isinstance(stmt, ast.Return):
                if not self.returned(stmt.value, guard, not_none):
                    return False
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if len(targets) != 1 or not isinstance(targets[0], ast.Name) or stmt.value is None:
                    return False
                name = targets[0].id
                if name in (self.me, self.param) or name in self.bound:
                    return False
                self.bound[name] = self._uncast(stmt.value)
            elif not isinstance(stmt, (ast.Raise, ast.Pass, ast.Expr)):
                return False  # loops, try, with, nested definitions: not read
        return True

    def _uncast(self, value):
        """``x`` of ``typing.cast(T, x)``."""
        if (isinstance(value, ast.Call) and len(value.args) == 2 and not value.keywords
                and _expr_object(self.klass, value.func) is _typing_cast()):
            return value.args[1]
        return value

    def returned(self, value, guard, not_none):
        value = self._uncast(value) if value is not None else None
        if guard is not None:
            self.literal |= guard
            return True
        if value is None or isinstance(value, (ast.Constant, ast.JoinedStr)):
            self.data = True
            return True
        if self._no_new_name(value):
            return True
        if isinstance(value, ast.Name) and value.id in self.bound:
            call = self.bound[value.id]
            attr = self._delegation(call)
            if attr is None:
                return False
            self.delegates.add(attr)
            if len(call.args) == 3:
                default = call.args[2]
                if not isinstance(default, ast.Constant):
                    return False
                if not (default.value is None and value.id in not_none):
                    self.data = True
            return True
        attr = self._delegation(value)
        if attr is not None:
            self.delegates.add(attr)
            if len(value.args) == 3:
                if not isinstance(value.args[2], ast.Constant):
                    return False
                self.data = True
            return True
        if (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id == self.me
                and isinstance(value.slice, ast.Name) and value.slice.id == self.param):
            if _items_not_callable(self.cls):
                self.data = True
                return True
        return False

    def _no_new_name(self, value):
        """``object.__getattribute__(self, name)`` / ``super().__getattribute__(name)``."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr == "__getattribute__" and not value.keywords):
            return False
        args = [a.id if isinstance(a, ast.Name) else None for a in value.args]
        owner = value.func.value
        if isinstance(owner, ast.Name) and owner.id == "object":
            return args == [self.me, self.param]
        return (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super"
                and not owner.args and args == [self.param])

    def _delegation(self, call):
        """``x`` of ``getattr(self.x, name[, default])``."""
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "getattr"
                and len(call.args) in (2, 3) and not call.keywords):
            return None
        target, name = call.args[0], call.args[1]
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == self.me
                and isinstance(name, ast.Name) and name.id == self.param):
            return target.attr
        return None


def _typing_cast():
    typing = sys.modules.get("typing")
    return getattr(typing, "cast", _typing_cast)  # (never a name's value when typing is not loaded)


def _annotated_class(cls, attr):
    """The class ``attr`` is annotated with on ``cls`` (a plain class, not a ``ClassVar``)."""
    for klass in cls.__mro__:
        found = vars(klass).get("__annotations__")
        if found is None:
            try:
                import inspect
                found = inspect.get_annotations(klass) if hasattr(inspect, "get_annotations") else {}
            except Exception:  # an annotation that does not evaluate: unknown
                return None
        if attr in found:
            value = found[attr]
            if isinstance(value, str):
                value = _global_name(klass, value)
            return value if isinstance(value, type) and type(value) is type else None
    return None


def _global_name(klass, text):
    """The object the dotted name ``text`` is in the module of ``klass``."""
    if not re.fullmatch(r"[A-Za-z_][\w.]*", text):
        return None
    parts = text.split(".")
    value = getattr(sys.modules.get(klass.__module__), parts[0], None)
    for part in parts[1:]:
        value = getattr(value, part, None)
    return value


def _expr_object(klass, node):
    if isinstance(node, ast.Name):
        return _global_name(klass, node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_expr_object(klass, node.value), node.attr, None)
    return None


def _delegate_names(cls, attr):
    """The names an instance of ``cls`` serves from ``self.<attr>``: those of the annotated class,
    when every assignment to ``.<attr>`` in the package builds exactly that class."""
    target = _annotated_class(cls, attr)
    if target is None or not _constructs_exactly(target):
        return None
    built = 0
    for klass in cls.__mro__:
        if klass is object or getattr(klass, "__module__", "") == "builtins":
            continue
        node = _class_node(klass)
        if node is None:
            return None
        for sub in ast.walk(node):
            if isinstance(sub, (ast.AugAssign, ast.AnnAssign)) and isinstance(sub.target, ast.Attribute) \
                    and sub.target.attr == attr:
                return None
            if isinstance(sub, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == attr for t in sub.targets):
                if len(sub.targets) != 1 or not isinstance(sub.value, ast.Call) \
                        or _expr_object(klass, sub.value.func) is not target:
                    return None
                built += 1
    if not built or _assigned_elsewhere(cls, attr, built):
        return None
    kind = _getattr_kind(target)
    members = _instance(target)
    if kind != "none" or not members.get("complete"):
        return None
    return set(members["members"])


def _constructs_exactly(target):
    """Does calling ``target`` give an instance of exactly ``target``: plain construction, or a
    compiled ``__new__`` of a standard-library class (``datetime``)?"""
    if _plain_construction(target):
        return True
    new = vars(target).get("__new__")
    return (type(target).__call__ is type.__call__ and isinstance(new, types.BuiltinFunctionType)
            and str(getattr(target, "__module__", "")).split(".")[0] in getattr(sys, "stdlib_module_names", ()))


def _assigned_elsewhere(cls, attr, built):
    """Does code of the package of ``cls`` assign ``.<attr>`` more often than its classes do, or
    name it in a string (``setattr(obj, "attr", ...)``)?"""
    top = str(getattr(cls, "__module__", "") or "").split(".")[0]
    pattern = re.compile(r"\.%s\s*=(?!=)|['\"]%s['\"]" % (re.escape(attr), re.escape(attr)))
    found = read = 0
    for _path, text in _package_texts(top):
        read += len(text)
        found += len(pattern.findall(text))
    return read >= _PACKAGE_BYTES or found != built  # not read to the end: it may be assigned there


def _items_not_callable(cls):
    """Is ``cls.__getitem__`` annotated to give only instances of classes that cannot be called?"""
    getitem = getattr(cls, "__getitem__", None)
    if not isinstance(getitem, types.FunctionType):
        return False
    try:
        import typing
        returned = typing.get_type_hints(getitem).get("return")
    except Exception:  # an annotation that does not evaluate: unknown
        return False
    options = getattr(returned, "__args__", None) if type(returned).__name__ in ("UnionType", "_UnionGenericAlias") \
        else (returned,)
    if not options:
        return False
    return all(isinstance(o, type) and o is not object and not any("__call__" in vars(k) for k in o.__mro__)
               and not _overridden_below(o, ("__call__",)) for o in options)
