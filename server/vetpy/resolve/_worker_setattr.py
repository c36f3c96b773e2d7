"""Which names a ``setattr`` on the instance may set, for the instance model of the introspection
worker (``_worker_instances.py``): a literal, a variable tested against literals, a name read
first with ``getattr``, or a name the instance itself lists (``if key not in self.get_params():
raise``, then ``setattr(self, key, value)``: scikit-learn's ``set_params``).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its source is put
after ``_worker_instances.py``'s, whose ``_nodes`` it looks up when it runs).  Never imported by vetpy.
"""

import ast
import inspect
import re
import sys
import textwrap

# Names of the methods whose setattr() sets only names the instance itself lists (validated
# against a collection it gives), or that copy another object's __dict__ into the instance's:
# such a method sets data, it does not add what is called.
# Filled by _set_names while one class is read (_attrs_in empties it first).
_VALIDATED = []
# (getter, separator) of each such setattr() whose name is the head of ``key.partition(separator)``
# checked against ``me.getter()``; filled as _VALIDATED is.  Per class: _LISTED_BY[klass] (its MRO
# decides which getter runs: _lists_existing).
_LISTED = []
_LISTED_BY = {}
# Attributes ``attr`` of the instance whose values name what a setattr() sets (``setattr(self,
# self._position_map[key], value)``: SQLAlchemy's syntax-extension points); filled as _VALIDATED is.
# Per class: _MAPPED_BY[klass] (the class the instance is of decides the mapping: _mapped_names).
_MAPPED = []
_MAPPED_BY = {}
_MUTATORS = frozenset(("update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"))
_READING = [None, None]  # the class whose methods are being read and its ClassDef (set by _attrs_in)
_LITERAL_FIRST = re.compile(r"[ \t]*\(\s*(['\"])(\w+)\1\s*,")  # `("name", ` after a method's name
_DEF_BEFORE = re.compile(r"(?<!\w)def[ \t]+$")
_CALLER_LITERALS = {}  # (package, method name) -> the literals every call of it in the package passes first, or None
_STRINGS_LIMIT = 64  # strings a name built from literals may take, at most
_GETTERS_READ = {}  # (getter function, separator) -> are its keys names it read, or joined with the separator?


def _set_names(fn, call, me, parents):
    """The names ``setattr(me, name, value)`` (or ``object.__setattr__``) may set in ``fn``, or
    None when any name may be set: a literal; a variable tested against literals by an enclosing
    ``if name == "axes":`` (``in ("a", "b")``) or taken through literals by an enclosing ``for``; a name that ``getattr(me, name)`` without default
    read earlier in the function's own body (it exists already, or that read raised); a name the
    instance lists (:func:`_validated_before`; noted in ``_VALIDATED``); any name when the value set is
    a literal, which is data (noted in ``_VALIDATED`` too)."""
    name = call.args[1] if len(call.args) > 1 else None
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return {name.value}
    if name is None:
        return None
    if isinstance(name, ast.Name):
        child, cur = call, parents.get(call)
        while cur is not None and cur is not fn:
            looped = _looped_literals(cur, name.id) if isinstance(cur, ast.For) and any(
                child is stmt for stmt in cur.body) else None
            if looped is not None and not any(
                    isinstance(n, ast.Name) and n.id == name.id and not isinstance(n.ctx, ast.Load)
                    for stmt in cur.body for n in _nodes(stmt)):
                return looped  # `for name in ("verbose", "quiet"): setattr(self, name, ...)` (fontTools' TTFont)
            if isinstance(cur, ast.If) and any(child is stmt for stmt in cur.body):
                literals = _tested_literals(cur.test, name.id)
                if literals is not None and not any(
                        isinstance(n, ast.Name) and n.id == name.id and not isinstance(n.ctx, ast.Load)
                        for stmt in cur.body for n in _nodes(stmt)):  # not rebound before it is set
                    return literals
            child, cur = cur, parents.get(cur)
    values = _string_values(fn, name, parents, ())
    if values is None and isinstance(name, ast.Name):
        values = _caller_literals(fn, me, name.id)
    if values is not None:
        return values  # `f"hide_{objs}_"`, `"hide_" + obj + "_"` with `objs`/`obj` bound only to literals (pandas' Styler)
    mapped = _mapped_attribute(fn, name, me)
    if mapped is not None:
        _MAPPED.append(mapped)  # the values of `me.<mapped>` on the instance's class: _mapped_names
        return set()
    if _read_before(fn, call, me, name, parents) or _copied_from_own_kind(fn, call, name, parents):
        return set()
    if _validated_before(fn, call, me, name, parents):
        listed = _partition_head_listed(fn, call, me, name, parents)
        if listed is not None:
            _LISTED.append(listed)  # a name the instance has already, if the getter's source shows it: nothing new
        else:
            _VALIDATED.append(fn.name)  # what it sets the instance already lists: data re-set
        return set()
    if len(call.args) > 2 and isinstance(call.args[2], ast.Constant):
        # a literal (None, a number, a string) is never callable: whatever name it sets is data
        # (matplotlib's `setattr(self, name, None)` when a figure's suptitle is removed)
        _VALIDATED.append(fn.name)
        return set()
    return None


def _mapped_attribute(fn, name, me):
    """``attr`` when the name a setattr() sets is an item of ``me.attr`` (``me.attr[key]``,
    directly or through a local of ``fn`` bound once to it) and the code of the class being read
    neither rebinds ``me.attr`` (nor any ``<x>.attr``) nor stores into it; else None."""
    expr = name
    if isinstance(name, ast.Name):
        stores = [n for n in _nodes(fn) if isinstance(n, ast.Name) and n.id == name.id and not isinstance(n.ctx, ast.Load)]
        bound = [s for s in _nodes(fn) if isinstance(s, ast.Assign) and len(s.targets) == 1 and s.targets[0] in stores]
        if len(stores) != 1 or len(bound) != 1:
            return None
        expr = bound[0].value
    if not (isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute)
            and isinstance(expr.value.value, ast.Name) and expr.value.value.id == me):
        return None
    attr = expr.value.attr
    return None if _stores_into(_READING[1], attr) else attr


def _stores_into(root, attr):
    """Does code under ``root`` rebind ``<x>.attr``, store an item into it or call a method of it that does?"""
    for node in _nodes(root):
        if isinstance(node, ast.Attribute) and node.attr == attr and not isinstance(node.ctx, ast.Load):
            return True  # `self._map = {...}`: the instance's own mapping
        if isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load) \
                and isinstance(node.value, ast.Attribute) and node.value.attr == attr:
            return True  # `self._map[key] = name`
        if isinstance(node, ast.Attribute) and node.attr in _MUTATORS and isinstance(node.value, ast.Attribute) \
                and node.value.attr == attr:
            return True  # `self._map.update(...)`
    return False


def _mapped_names(cls, klass, names):
    """Add to ``names`` the values of each mapping whose items name what a setattr() of
    ``klass``'s methods sets (_MAPPED_BY), as found on ``cls``; False when one is not a dict
    (``immutabledict`` is one) of strings there, or when the code of another class of its MRO may
    change it on the instance (``self._map = ...``)."""
    for attr in _MAPPED_BY.get(klass, ()):
        for other in cls.__mro__:
            if other is klass or other is object or getattr(other, "__module__", "") == "builtins":
                continue
            node = _class_node(other)
            if node is None and any(inspect.isfunction(getattr(v, "__func__", v)) for v in list(vars(other).values())):
                return False  # Python code whose source is not found
            if node is not None and _stores_into(node, attr):
                return False
        try:
            value = inspect.getattr_static(cls, attr)
            if not isinstance(value, dict):
                return False
            values = list(dict.values(value))
        except Exception:  # third-party objects may raise anything here: treat as unknown
            return False
        if not all(isinstance(v, str) for v in values):
            return False
        names.update(values)
    return True


def _looped_literals(loop, var):
    """The string literals ``for var in ("a", "b"):`` takes ``var`` through, or None."""
    items = loop.iter.elts if isinstance(loop.iter, (ast.Tuple, ast.List, ast.Set)) else None
    if not (isinstance(loop.target, ast.Name) and loop.target.id == var and items) or not all(
            isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
        return None
    return {i.value for i in items}


def _tested_literals(test, var):
    """The string literals ``var == "a"`` / ``var in ("a", "b")`` allows, or None."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name)
            and test.left.id == var):
        return None
    op, right = test.ops[0], test.comparators[0]
    items = [right] if isinstance(op, ast.Eq) else right.elts if isinstance(op, ast.In) and isinstance(
        right, (ast.Tuple, ast.List, ast.Set)) else None
    if not items or not all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
        return None
    return {i.value for i in items}


def _read_before(fn, call, me, name, parents):
    """Does a statement of ``fn``'s own body before the one holding ``call`` read
    ``getattr(me, <the same name>)`` without a default, the name's variables never rebound in ``fn``?"""
    parts = list(_nodes(name))
    if not all(isinstance(p, (ast.Name, ast.Constant, ast.Subscript, ast.Attribute, ast.Load)) for p in parts):
        return False
    variables = {p.id for p in parts if isinstance(p, ast.Name)}
    for sub in _nodes(fn):
        if isinstance(sub, (ast.Name, ast.Subscript, ast.Attribute)) and not isinstance(sub.ctx, ast.Load):
            base = sub
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name) and base.id in variables:
                return False
    stmt = call
    while parents.get(stmt) is not fn and parents.get(stmt) is not None:
        stmt = parents.get(stmt)
    if stmt not in fn.body:
        return False
    wanted = ast.dump(name)
    for earlier in fn.body[:fn.body.index(stmt)]:
        for sub in _nodes(earlier):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "getattr" \
                    and len(sub.args) == 2 and not sub.keywords and isinstance(sub.args[0], ast.Name) \
                    and sub.args[0].id == me and ast.dump(sub.args[1]) == wanted:
                return True
    return False

def _validated_before(fn, call, me, name, parents):
    """Does an earlier statement of a body that holds ``call`` reject every name the instance does
    not list (``if key not in valid: raise``, ``valid`` given by ``me``: ``self.get_params()``,
    ``self._fields``, or a local bound once from one), the variable not rebound since?"""
    if not isinstance(name, ast.Name):
        return False
    child, cur = call, parents.get(call)
    while cur is not None:
        for field in ("body", "orelse", "finalbody"):
            body = getattr(cur, field, None)
            if not isinstance(body, list) or not any(stmt is child for stmt in body):
                continue
            at = next(i for i, stmt in enumerate(body) if stmt is child)
            for i in range(at - 1, -1, -1):
                if _rejects_unlisted(body[i], name.id, me, fn):
                    return not any(isinstance(n, ast.Name) and n.id == name.id and not isinstance(n.ctx, ast.Load)
                                   for stmt in body[i + 1: at + 1] for n in _nodes(stmt))
        if cur is fn:
            break
        child, cur = cur, parents.get(cur)
    return False


def _rejects_unlisted(stmt, var, me, fn):
    """Is ``stmt`` ``if var not in C: ... raise`` with ``C`` a collection ``me`` gives?"""
    if not (isinstance(stmt, ast.If) and not stmt.orelse and stmt.body and isinstance(stmt.body[-1], ast.Raise)):
        return False
    test = stmt.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)
            and isinstance(test.left, ast.Name) and test.left.id == var):
        return False
    return _given_by(test.comparators[0], me, fn, True)


def _given_by(expr, me, fn, follow):
    """Is ``expr`` read from ``me`` (``me.x``, ``me.f()``, ``me.x["k"]``), or, with ``follow``, a
    local of ``fn`` bound once, by a plain assignment, from such an expression?"""
    base = expr
    while isinstance(base, (ast.Attribute, ast.Call, ast.Subscript)):
        base = base.func if isinstance(base, ast.Call) else base.value
    if not isinstance(base, ast.Name):
        return False
    if base.id == me:
        return base is not expr
    if not follow or base is not expr:
        return False
    stores = [n for n in _nodes(fn) if isinstance(n, ast.Name) and n.id == base.id and not isinstance(n.ctx, ast.Load)]
    bound = [s for s in _nodes(fn) if isinstance(s, ast.Assign) and len(s.targets) == 1 and s.targets[0] in stores]
    return len(stores) == 1 and len(bound) == 1 and _given_by(bound[0].value, me, fn, False)


def _copies_state(node, me, parents):
    """Is ``node`` (``me.__dict__``) updated with another object's attributes, ``me.__dict__.update(
    other.__dict__)`` or ``vars(other)`` (requests' ``PreparedRequest.prepare_auth``)?  What that
    adds is the other object's state: data."""
    method, call = parents.get(node), parents.get(parents.get(node))
    if not (isinstance(method, ast.Attribute) and method.attr == "update" and isinstance(call, ast.Call)
            and call.func is method and len(call.args) == 1 and not call.keywords):
        return False
    arg = call.args[0]
    if isinstance(arg, ast.Attribute) and arg.attr == "__dict__":
        other = arg.value
    elif isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "vars" and len(arg.args) == 1:
        other = arg.args[0]
    else:
        return False
    return isinstance(other, ast.Name) and other.id != me


# module name -> the names other modules of its package assign onto it (read once per module)
_SET_FROM_OUTSIDE = {}


def _set_from_outside(mod, name):
    """Does the package of module ``mod`` assign ``name`` onto it from another of its modules,
    by the module's own name (Django's locmem mail backend and test utilities: ``mail.outbox =
    []`` onto ``django.core.mail``)?  Then the module has it once that code has run."""
    found = _SET_FROM_OUTSIDE.get(mod.__name__)
    if found is None:
        found = _SET_FROM_OUTSIDE[mod.__name__] = _names_set_from_outside(mod)
    return name in found


def _names_set_from_outside(mod):
    last = mod.__name__.rsplit(".", 1)[-1]
    top = mod.__name__.split(".")[0]
    if top not in sys.modules:
        return frozenset()
    pattern = re.compile(r"(?m)^[ \t]*(?:[\w.]+\.)?%s\.(\w+)[ \t]*(?::[^=\n]*)?=(?!=)|\bsetattr\(\s*%s\s*,\s*['\"](\w+)['\"]"
                         % (re.escape(last), re.escape(last)))
    own = getattr(mod, "__file__", None)
    return frozenset(m.group(1) or m.group(2) for path, text in _package_texts(top) if path != own
                     for m in pattern.finditer(text))


def _partition_head_listed(fn, call, me, name, parents):
    """(getter, separator) when the name ``setattr(me, name, value)`` sets (checked by
    :func:`_validated_before`) is checked by ``if name not in C: raise`` with ``C`` given by
    ``me.getter(...)`` (directly or through a local bound once), and ``name`` was bound, last before
    that check in the same body, by ``name, ... = <expr>.partition("<separator>")``: the head of a
    partition never holds the separator (scikit-learn's ``set_params``).  Else None."""
    child, cur = call, parents.get(call)
    while cur is not None:
        body = next((getattr(cur, f) for f in ("body", "orelse", "finalbody") if isinstance(getattr(cur, f, None), list)
                     and any(stmt is child for stmt in getattr(cur, f))), None)
        if body is not None:
            at = next(i for i, stmt in enumerate(body) if stmt is child)
            check = next((i for i in range(at - 1, -1, -1) if _rejects_unlisted(body[i], name.id, me, fn)), None)
            if check is not None:
                getter = _getter_of(body[check].test.comparators[0], me, fn, name.id)
                for stmt in reversed(body[:check]):
                    if any(isinstance(n, ast.Name) and n.id == name.id and not isinstance(n.ctx, ast.Load)
                           for n in _nodes(stmt)):
                        sep = _partition_separator(stmt, name.id)
                        return (getter, sep) if getter and sep else None
                return None
        if cur is fn:
            return None
        child, cur = cur, parents.get(cur)
    return None


def _getter_of(expr, me, fn, var):
    """``getter`` when ``expr`` is ``me.getter(...)`` or a local of ``fn`` bound once, plainly, to it
    and otherwise only tested (``in``), read (``local[k]``) or given again a key it holds
    (``local[var] = ...``, ``var`` the name checked against it)."""
    if isinstance(expr, ast.Name):
        stores = [n for n in _nodes(fn) if isinstance(n, ast.Name) and n.id == expr.id and not isinstance(n.ctx, ast.Load)]
        bound = [s for s in _nodes(fn) if isinstance(s, ast.Assign) and len(s.targets) == 1 and s.targets[0] in stores]
        if len(stores) != 1 or len(bound) != 1:
            return None
        fine = {id(stores[0])}
        for n in _nodes(fn):
            if isinstance(n, ast.Compare) and len(n.ops) == 1 and isinstance(n.ops[0], (ast.In, ast.NotIn)):
                fine.add(id(n.comparators[0]))
            elif isinstance(n, ast.Subscript) and (isinstance(n.ctx, ast.Load) or isinstance(n.slice, ast.Name)
                                                   and n.slice.id == var and isinstance(n.ctx, ast.Store)):
                fine.add(id(n.value))
        if any(isinstance(n, ast.Name) and n.id == expr.id and id(n) not in fine for n in _nodes(fn)):
            return None
        expr = bound[0].value
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Name) \
            and expr.func.value.id == me:
        return expr.func.attr
    return None


def _partition_separator(stmt, var):
    """The separator of ``var, ... = <expr>.partition("<separator>")`` (``var`` stored nowhere else in it)."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Tuple)):
        return None
    elts, value = stmt.targets[0].elts, stmt.value
    if not (elts and isinstance(elts[0], ast.Name) and elts[0].id == var and len(elts) == 3
            and not any(isinstance(e, ast.Name) and e.id == var for e in elts[1:])):
        return None
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "partition"
            and len(value.args) == 1 and not value.keywords and isinstance(value.args[0], ast.Constant)
            and isinstance(value.args[0].value, str) and value.args[0].value):
        return None
    return value.args[0].value


def _lists_existing(cls, klass):
    """Does every setattr() of ``klass``'s methods that re-sets a listed name (_LISTED_BY) set a
    name an instance of ``cls`` already has?  So when the getter that runs on ``cls`` returns a dict
    whose keys are each a name it read with ``getattr(self, key)`` (no default) or a string built
    with the separator, which the name set never holds.  True for a class without such a setattr."""
    for getter, sep in _LISTED_BY.get(klass, ()):
        method = inspect.getattr_static(cls, getter, None)
        if not inspect.isfunction(method):
            return False
        if (method, sep) not in _GETTERS_READ:  # the same getter serves every estimator of a package
            try:
                tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
            except (OSError, TypeError, SyntaxError):
                tree = None
            fn = tree.body[0] if tree is not None and tree.body else None
            _GETTERS_READ[(method, sep)] = isinstance(fn, ast.FunctionDef) and _keys_read_or_joined(fn, sep)
        if not _GETTERS_READ[(method, sep)]:
            return False
    return True


def _keys_read_or_joined(fn, sep):
    """``out = dict()`` (or ``{}``) bound once, every ``return`` is ``return out``, and ``out`` is
    only filled by ``out[key] = ...`` inside ``for key in ...:`` whose body read ``getattr(me, key)``
    in an earlier statement, or by ``out.update(<(key + "<sep>" + ..., value) for ...>)`` there;
    ``me`` and ``key`` never rebound."""
    params = fn.args.posonlyargs + fn.args.args
    if not params or fn.args.vararg or fn.args.kwarg:
        return False
    me = params[0].arg
    inits = [s for s in fn.body if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
             and (isinstance(s.value, ast.Dict) and not s.value.keys
                  or isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name) and s.value.func.id == "dict"
                  and not s.value.args and not s.value.keywords)]
    if len(inits) != 1:
        return False
    out = inits[0].targets[0].id
    returns = [n for n in _nodes(fn) if isinstance(n, ast.Return)]
    if not returns or any(not (isinstance(r.value, ast.Name) and r.value.id == out) for r in returns):
        return False
    if any(isinstance(n, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.Global, ast.Nonlocal)) for n in _nodes(fn)
           if n is not fn):
        return False
    stores = {n.id: n for n in _nodes(fn) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    if me in stores:
        return False
    allowed = {id(inits[0].targets[0])} | {id(r.value) for r in returns}
    for loop in [n for n in _nodes(fn) if isinstance(n, ast.For)]:
        if not isinstance(loop.target, ast.Name):
            continue
        key = loop.target.id
        if sum(1 for n in _nodes(fn) if isinstance(n, ast.Name) and n.id == key and not isinstance(n.ctx, ast.Load)) != 1:
            continue  # the loop's own target is its only binding
        read = None
        for i, stmt in enumerate(loop.body):
            value = stmt.value if isinstance(stmt, (ast.Assign, ast.Expr)) else None  # run whenever the body runs
            if read is None and isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                    and value.func.id == "getattr" and len(value.args) == 2 and not value.keywords \
                    and isinstance(value.args[0], ast.Name) and value.args[0].id == me \
                    and isinstance(value.args[1], ast.Name) and value.args[1].id == key:
                read = i
                continue
            if read is None:
                continue
            for n in _nodes(stmt):
                if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Subscript) \
                        and isinstance(n.targets[0].value, ast.Name) and n.targets[0].value.id == out \
                        and isinstance(n.targets[0].slice, ast.Name) and n.targets[0].slice.id == key:
                    allowed.add(id(n.targets[0].value))
                elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "update" \
                        and isinstance(n.func.value, ast.Name) and n.func.value.id == out and len(n.args) == 1 \
                        and not n.keywords and _joined_pairs(n.args[0], key, sep):
                    allowed.add(id(n.func.value))
    return all(id(n) in allowed for n in _nodes(fn) if isinstance(n, ast.Name) and n.id == out)


def _joined_pairs(expr, key, sep):
    """Is ``expr`` ``((key + "<sep>" + ..., value) for ...)``: every key it yields holds the separator
    (``key`` a string: read with getattr before)?"""
    if not isinstance(expr, (ast.GeneratorExp, ast.ListComp)) or not isinstance(expr.elt, ast.Tuple) \
            or len(expr.elt.elts) != 2:
        return False
    joined, pieces = expr.elt.elts[0], []
    while isinstance(joined, ast.BinOp) and isinstance(joined.op, ast.Add):
        pieces.append(joined.right)
        joined = joined.left
    return isinstance(joined, ast.Name) and joined.id == key and any(
        isinstance(p, ast.Constant) and isinstance(p.value, str) and sep in p.value for p in pieces)


def _string_values(fn, expr, parents, seen):
    """The strings ``expr`` may evaluate to in ``fn``, or None when unknown: a literal, an f-string
    or a ``+`` of such parts, a local of ``fn`` (not a parameter, global or nonlocal) every binding
    of which is ``x = <such>``, ``a, b = <such>, <such>`` or ``for x in (<such>, ...)``
    (``seen``: the locals being followed, against cycles)."""
    if isinstance(expr, ast.Constant):
        return {expr.value} if isinstance(expr.value, str) else None
    if isinstance(expr, ast.FormattedValue):
        # `{x}` / `{x!s}` of a string is the string itself
        return _string_values(fn, expr.value, parents, seen) if expr.conversion in (-1, 115) \
            and expr.format_spec is None else None
    if isinstance(expr, ast.Name):
        return _local_strings(fn, expr.id, parents, seen)
    if isinstance(expr, ast.JoinedStr):
        parts = expr.values
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        parts = [expr.left, expr.right]
    else:
        return None
    out = {""}
    for part in parts:
        values = _string_values(fn, part, parents, seen)
        if values is None:
            return None
        out = {a + b for a in out for b in values}
        if len(out) > _STRINGS_LIMIT:
            return None
    return out


def _local_strings(fn, var, parents, seen):
    """The strings the local ``var`` of ``fn`` may hold, when every binding of it gives literals."""
    args = fn.args
    params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg] if a]
    if var in seen or var in params:
        return None
    seen = (*seen, var)
    out = set()
    for node in _nodes(fn):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and var in node.names \
                or isinstance(node, (ast.ExceptHandler, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.name == var or isinstance(node, ast.alias) and (node.asname or node.name) == var \
                or type(node).__name__ in ("MatchAs", "MatchStar", "MatchMapping"):
            return None  # a binding this does not read (or a `match`, whose captures it does not follow)
        if isinstance(node, ast.Name) and node.id == var and not isinstance(node.ctx, ast.Load):
            values = _bound_strings(fn, node, parents, seen)
            if values is None:
                return None
            out |= values
            if len(out) > _STRINGS_LIMIT:
                return None
    return out or None  # never bound here: a global or a closure's variable


def _bound_strings(fn, target, parents, seen):
    """The strings the binding of the Name ``target`` may give it (a plain, annotated or tuple
    assignment, or a ``for`` over a literal tuple/list/set), or None."""
    parent = parents.get(target)
    if isinstance(parent, ast.Assign) and any(t is target for t in parent.targets) \
            or isinstance(parent, ast.AnnAssign) and parent.target is target and parent.value is not None:
        return _string_values(fn, parent.value, parents, seen)
    if isinstance(parent, ast.Tuple):
        stmt = parents.get(parent)
        value = stmt.value if isinstance(stmt, ast.Assign) and any(t is parent for t in stmt.targets) else None
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(parent.elts) \
                and not any(isinstance(e, ast.Starred) for e in parent.elts + value.elts):
            return _string_values(fn, value.elts[parent.elts.index(target)], parents, seen)
        return None
    if isinstance(parent, ast.For) and parent.target is target \
            and isinstance(parent.iter, (ast.Tuple, ast.List, ast.Set)) and parent.iter.elts:
        out = set()
        for item in parent.iter.elts:
            values = _string_values(fn, item, parents, seen)
            if values is None:
                return None
            out |= values
        return out
    return None


def _copied_from_own_kind(fn, call, name, parents):
    """Is ``setattr(me, name, getattr(other, name))`` copying an attribute of ``other``, a local of
    ``fn`` bound once from ``Klass(...)`` (the class being read, by its module's name), and only
    read in ``fn``?  pandas' ``Styler.clear``: ``clean_copy =
    Styler(...)``, then each name of ``clean_copy.__dict__`` set on ``self``.  The name is one an
    instance of the class has already: nothing new."""
    value = call.args[2] if len(call.args) > 2 else None
    if not (isinstance(name, ast.Name) and isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id == "getattr" and len(value.args) == 2 and not value.keywords
            and isinstance(value.args[0], ast.Name) and isinstance(value.args[1], ast.Name)
            and value.args[1].id == name.id):
        return False
    other = value.args[0].id
    klass = _READING[0]
    module = vars(sys.modules.get(getattr(klass, "__module__", "") or "") or sys)
    stores, made = 0, False
    for node in _nodes(fn):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and other in node.names:
            return False
        if not (isinstance(node, ast.Name) and node.id == other):
            continue
        parent = parents.get(node)
        if not isinstance(node.ctx, ast.Load):
            stores += 1
            made = isinstance(parent, ast.Assign) and parent.targets == [node] and _makes(parent.value, klass, module)
        elif not (isinstance(parent, ast.Call) and parent.func.__class__ is ast.Name
                  and parent.func.id in ("getattr", "hasattr", "dir", "vars") and parent.args[:1] == [node]
                  or isinstance(parent, ast.Attribute) and parent.attr == "__dict__" and _read_only(parent, parents)):
            return False  # handed elsewhere or written: it may gain names here
    return stores == 1 and made


def _makes(expr, klass, module):
    """Is ``expr`` ``Klass(...)``, ``klass`` called by its module's name?"""
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and klass is not None \
        and module.get(expr.func.id) is klass


def _dict_store_names(fn, node, me, parents):
    """The names ``me.__dict__[key] = value`` (``node``: the ``me.__dict__``) may set, or None: a
    key built from literals (:func:`_string_values`), a parameter every call of a private method
    passes a literal for (:func:`_caller_literals`), or ``func.__name__`` of a function that a
    function around ``fn`` receives (a memoizing decorator's wrapper stores the result under the
    decorated method's own name: SQLAlchemy's ``memoized_instancemethod``): nothing new."""
    parent = parents.get(node)
    if not (isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.ctx, ast.Store)):
        return None
    key = parent.slice
    values = _string_values(fn, key, parents, ())
    if values is None and isinstance(key, ast.Name):
        values = _caller_literals(fn, me, key.id)
    if values is None and isinstance(key, ast.Attribute) and key.attr == "__name__" \
            and isinstance(key.value, ast.Name) and _received_around(fn, key.value.id):
        values = set()
    return values


def _received_around(fn, var):
    """Is ``var`` a parameter of a function of the class being read that ``fn`` is nested in, and
    never bound in ``fn`` itself?"""
    args = fn.args
    if var in [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg] if a] \
            or any(isinstance(n, ast.Name) and n.id == var and not isinstance(n.ctx, ast.Load)
                   or isinstance(n, (ast.Global, ast.Nonlocal)) for n in _nodes(fn)):
        return False
    cls_node = _READING[1]
    for outer in _nodes(cls_node) if cls_node is not None else ():
        if isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef)) and outer is not fn \
                and var in [a.arg for a in outer.args.posonlyargs + outer.args.args + outer.args.kwonlyargs] \
                and any(n is fn for n in _nodes(outer)):
            return True
    return False


def _caller_literals(fn, me, var):
    """When ``var`` is the first parameter after ``me`` of ``fn``, a private method of the class
    being read (``_set_memoized_attribute(self, key, value)``), the string literals its calls pass
    there, provided every mention of its name in the package's code is its ``def`` or such a
    call ``._name("literal", ...)``, and there is at least one call; None otherwise."""
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    klass = _READING[0]
    if len(params) < 2 or params[0] != me or params[1] != var or not fn.name.startswith("_") \
            or fn.name.startswith("__") or klass is None or fn.args.vararg or fn.args.kwarg \
            or any(isinstance(n, ast.Name) and n.id == var and not isinstance(n.ctx, ast.Load) for n in _nodes(fn)):
        return None
    top = str(getattr(klass, "__module__", "") or "").split(".")[0]
    key = (top, fn.name)
    if key not in _CALLER_LITERALS:
        found, read = set(), 0
        mention = re.compile(r"\b%s\b" % re.escape(fn.name))
        for _path, text in _package_texts(top):
            read += len(text)
            for m in mention.finditer(text):
                literal = _LITERAL_FIRST.match(text, m.end()) if text[m.start() - 1:m.start()] == "." else None
                if literal is not None:
                    found.add(literal.group(2))
                elif not _DEF_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
                    found = None  # called with a computed name, handed around or named in a string
                    break
            if found is None:
                break
        # never called in the package: it is there for other code to call, with any name
        _CALLER_LITERALS[key] = found if found and read < _PACKAGE_BYTES else None
    return _CALLER_LITERALS[key]
