"""Where a ``**kwargs`` dict handed on whole ends, for the introspection worker: a method of
``self`` that takes the dict as one argument (``self._internal_update(kwargs)``) and dispatches
each key to a method named after it, raising for a key with no such method::

    for k, v in props.items():
        if k == "axes": ...                       # keys handled by name
        else:
            func = getattr(self, f"set_{k}", None)
            if not callable(func):
                raise AttributeError(...)

The keys such a sink accepts for an instance of exactly ``owner`` are the names after the prefix
of the class's attributes (``set_color``, and each alias the class defines, ``set_c``) and of
those its code sets on the instance, plus the keys handled by name: the runtime class answers,
nothing is listed here; a class whose code may set any attribute (``setattr(self, name, v)``)
leaves the keys open.

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its source is put
before ``_worker.py``'s, whose helpers ``_getattr_kind``, ``_instance``, ``_bound_method``,
``_forwarded_keywords`` and ``_module_tree`` it looks up when it runs).  Never imported by vetpy.
"""

import ast
import inspect
import sys
import textwrap


def _self_dict_sink(fn, call, kwname, owner):
    """The keys ``self.method(kw)`` accepts when ``method`` dispatches each key of the dict ``kw``
    to an attribute of ``self`` named after it (``_worker_sinks.py``); else None."""
    first = (fn.args.posonlyargs + fn.args.args)[:1]
    if owner is None or not first or call.keywords or not isinstance(call.func, ast.Attribute) \
            or not isinstance(call.func.value, ast.Name) or call.func.value.id != first[0].arg:
        return None
    at = [i for i, a in enumerate(call.args) if isinstance(a, ast.Name) and a.id == kwname]
    if len(at) != 1 or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    return _dict_sink_keywords(owner, call.func.attr, at[0])


def _dict_sink_keywords(owner, attr, index, depth=0):
    """The keys ``self.attr(..., kw, ...)`` (``kw`` the ``index``-th positional argument) accepts
    on an instance of exactly ``owner``, when its source proves it dispatches every key as above
    (directly or through another such method of ``self``); else None."""
    if owner is None or depth > 3:
        return None
    found = _own_method(owner, attr)  # (the dispatch below asks for a plain lookup: _getattr_kind)
    if found is None:
        return None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(found[0])))
    except (OSError, TypeError, SyntaxError):
        return None
    fn = tree.body[0] if tree.body else None
    if not isinstance(fn, ast.FunctionDef) or fn.args.vararg or fn.args.kwarg or fn.args.kwonlyargs:
        return None
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    if len(params) < index + 2 or fn.args.defaults and len(params) - len(fn.args.defaults) <= index + 1:
        return None
    me, name = params[0], params[index + 1]
    spread = _spread_sink(found[0], fn, name, owner)  # `Builder(*args, **kwargs)`: the dict spread into a call
    if spread is not None:
        return spread
    uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == name]
    for i, stmt in enumerate(fn.body):  # the first statement that uses the dict decides; only plain ones before it
        if not any(n in uses for n in ast.walk(stmt)):
            if any(isinstance(n, (ast.Return, ast.Raise, ast.Try, ast.For, ast.While, ast.With, ast.Delete))
                   for n in ast.walk(stmt)):
                return None
            continue
        patterned = _key_pattern_sink(fn.body[i:], name, found[0])  # `re.match(LITERAL, key)` or TypeError: _worker_key_patterns.py
        if patterned is not None:  # (no attribute of self is looked up: a __getattr__ changes nothing)
            return patterned
        if len(uses) != 1 or _getattr_kind(owner) != "none":
            return None
        return _decisive(owner, stmt, me, name, depth)
    return None


def _spread_sink(method, fn, name, owner):
    """The keys accepted when ``method`` only spreads its dict parameter ``name`` into calls
    (``EnvironBuilder(self.application, *args, **kwargs)``, Flask's test client) whose keywords
    are closed, as ``_forwarded_keywords`` answers for a ``**name`` of its own (a use of the dict
    it cannot explain, a caught TypeError, a callable given as an argument: None).  Not when a
    subclass's override of a method reached through ``self`` may decide, or the dict is handed
    back."""
    if not any(isinstance(k, ast.keyword) and k.arg is None and isinstance(k.value, ast.Name) and k.value.id == name
               for k in ast.walk(fn)):
        return None
    forwarded = _forwarded_keywords(method, name, 1, owner)
    if not forwarded or forwarded.get("depends") or forwarded.get("through") or "returned" in forwarded:
        return None
    return list(forwarded["accepted"])


def _decisive(owner, stmt, me, name, depth):
    """The keys accepted when ``stmt`` (the only use of the dict ``name``) hands it on to another
    method of ``self`` or is the dispatch loop; else None."""
    if isinstance(stmt, (ast.Expr, ast.Return, ast.Assign)) and isinstance(stmt.value, ast.Call):
        call = stmt.value
        func = call.func
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == me
                and not call.keywords and not any(isinstance(a, ast.Starred) for a in call.args)):
            at = [i for i, a in enumerate(call.args) if isinstance(a, ast.Name) and a.id == name]
            if len(at) == 1:
                return _dict_sink_keywords(owner, func.attr, at[0], depth + 1)
        return None
    if not (isinstance(stmt, ast.For) and not stmt.orelse and isinstance(stmt.target, ast.Tuple)
            and len(stmt.target.elts) == 2 and all(isinstance(e, ast.Name) for e in stmt.target.elts)):
        return None
    it = stmt.iter
    if not (isinstance(it, ast.Call) and not it.args and not it.keywords and isinstance(it.func, ast.Attribute)
            and it.func.attr == "items" and isinstance(it.func.value, ast.Name) and it.func.value.id == name):
        return None
    key = stmt.target.elts[0].id
    named = set()
    prefix = _rejects(stmt.body, me, key, named)
    if prefix is None:
        return None
    instance = _instance(owner)  # attributes code may set on the instance count as well
    if not instance.get("calls_closed"):
        return None  # code of the class may set any attribute: `set_<key>` among them
    names = set(dir(owner)) | set(instance.get("members") or ())
    return sorted({n[len(prefix):] for n in names if n.startswith(prefix) and len(n) > len(prefix)} | named)


def _rejects(stmts, me, key, named):
    """The prefix when ``stmts`` (a loop body over the keys ``key``) raise for every key that is
    neither in ``named`` (collected from ``if key == "name"`` branches) nor an attribute
    ``prefix + key`` of ``me``; else None."""
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, ast.If) and _is_key_test(stmt.test, key) is not None:
            named.add(_is_key_test(stmt.test, key))
            return _rejects(stmt.orelse, me, key, named)
        prefix = _looked_up(stmt, me, key)
        if prefix is not None:
            guard = stmts[i + 1] if i + 1 < len(stmts) else None
            return prefix if guard is not None and _raises_unless_callable(guard, stmt.targets[0].id) else None
        if any(isinstance(n, (ast.Continue, ast.Break, ast.Return, ast.Raise, ast.Try, ast.With))
               or isinstance(n, ast.Name) and n.id == key for n in ast.walk(stmt)):
            return None
    return None


def _is_key_test(test, key):
    """"name" for the test ``key == "name"`` (either side); else None."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        left, right = test.left, test.comparators[0]
        for a, b in ((left, right), (right, left)):
            if isinstance(a, ast.Name) and a.id == key and isinstance(b, ast.Constant) and isinstance(b.value, str):
                return b.value
    return None


def _looked_up(stmt, me, key):
    """The prefix of ``func = getattr(me, f"<prefix>{key}", None)`` (or ``"<prefix>" + key``)."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Name)
            and stmt.value.func.id == "getattr" and len(stmt.value.args) in (2, 3) and not stmt.value.keywords):
        return None
    target, attr = stmt.value.args[0], stmt.value.args[1]
    if not (isinstance(target, ast.Name) and target.id == me):
        return None
    if isinstance(attr, ast.JoinedStr) and len(attr.values) == 2:
        head, tail = attr.values
        if (isinstance(head, ast.Constant) and isinstance(head.value, str) and head.value
                and isinstance(tail, ast.FormattedValue) and tail.conversion == -1 and tail.format_spec is None
                and isinstance(tail.value, ast.Name) and tail.value.id == key):
            return head.value
    if (isinstance(attr, ast.BinOp) and isinstance(attr.op, ast.Add) and isinstance(attr.left, ast.Constant)
            and isinstance(attr.left.value, str) and attr.left.value
            and isinstance(attr.right, ast.Name) and attr.right.id == key):
        return attr.left.value
    return None


def _raises_unless_callable(stmt, func):
    """Is ``stmt`` ``if not callable(func): ... raise ...`` (a body that ends raising)?"""
    test = stmt.test if isinstance(stmt, ast.If) else None
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Call)
            and isinstance(test.operand.func, ast.Name) and test.operand.func.id == "callable"
            and len(test.operand.args) == 1 and isinstance(test.operand.args[0], ast.Name)
            and test.operand.args[0].id == func):
        return False
    return bool(stmt.body) and isinstance(stmt.body[-1], ast.Raise) and not any(
        isinstance(n, (ast.Return, ast.Continue, ast.Break, ast.Try)) for s in stmt.body for n in ast.walk(s))


def _wrapped_cell(func, name):
    """What the closure variable ``name`` of ``func`` holds when it is the function ``func`` wraps
    (``functools.wraps(f)`` set ``__wrapped__`` to it and the cell still holds it: a decorator's
    wrapper calling ``f(...)``); else None (any other free variable may be rebound by ``nonlocal``)."""
    wrapped = getattr(func, "__wrapped__", None)
    cells = dict(zip(func.__code__.co_freevars, func.__closure__ or ()))
    try:
        value = cells[name].cell_contents
    except (KeyError, ValueError):
        return None
    if wrapped is None or value is not wrapped or not callable(value):
        return None
    filename = func.__code__.co_filename
    tree = _module_tree(filename) if filename.endswith(".py") else None
    if tree is None or any(isinstance(n, ast.Nonlocal) and name in n.names for n in ast.walk(tree)):
        return None  # another closure of the module may put something else in the cell
    return value


def _declared_method(getter, attr):
    """(the plain function, True, None) that ``getter().attr`` calls when ``getter`` (a function
    called without arguments: pyplot's ``gca()``) declares that it returns an instance of one
    class whose ``attr`` is a plain function; else None.  The instance may be of a subclass: no
    receiver class is given, so ``self.method(**kw)`` inside stays open, and the name is noted
    (``through``) for the rule, which leaves it open where the project defines a method of it."""
    path = _returns(getter)
    if not path or path == "self":
        return None
    cls, missing = _resolve(path)
    if missing is not None or not isinstance(cls, type) or cls.__module__ == "builtins" \
            or getattr(cls, "_is_protocol", False):
        return None
    if inspect.isabstract(cls) and not _kept_by_subclasses(cls, attr):
        return None  # only ever an instance of a subclass, which may override it
    found = _bound_method(cls, attr, None)
    return (found[0], True, None) if found is not None and not _placeholder(found[0]) else None


def _kept_by_subclasses(cls, attr):
    """Does every subclass of ``cls`` that exists (those of its package imported first, as
    ``_worker_subclasses.py`` does; any other loaded one too) keep the ``attr`` it inherits?
    An instance of an abstract class is always of one of them; the project's own subclasses are
    the rule's to look at (``through``)."""
    top = str(getattr(cls, "__module__", "") or "").split(".")[0]
    if not top or not _subclass_modules_loaded(cls, top):
        return False
    subs = _subclasses_listed(cls, None, _SUBCLASS_LIMIT)  # _worker_subclasses.py
    return subs is not None and not any(attr in vars(sub) or _getattr_kind(sub) != "none" for sub in subs)


def _declared_local_method(func, fn, call, attr, owner):
    """(the plain function, True, None) that ``name.attr`` calls in ``fn`` when ``name`` is bound
    once to ``call``, a call of a getter declared to return one class (see
    :func:`_declared_method`): ``self.getter(...)`` (a method of ``owner``, ``self`` never
    rebound in ``fn``) or a function of the module's globals (aiohttp's ``resource =
    self.add_resource(path)``, then ``resource.add_route(..., **kwargs)``); else None."""
    first = (fn.args.posonlyargs + fn.args.args)[:1]
    callee = call.func
    if isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name) and first \
            and callee.value.id == first[0].arg:
        if owner is None or any(isinstance(n, ast.Name) and n.id == first[0].arg and not isinstance(n.ctx, ast.Load)
                                for n in ast.walk(fn)):
            return None
        found = _bound_method(owner, callee.attr, None)
        getter = found[0] if found is not None else None
    elif isinstance(callee, ast.Name):
        getter = _global_value(func, callee)
    else:
        return None
    if not inspect.isfunction(getter):
        return None
    return _declared_method(getter, attr)


def _placeholder(fn):
    """Is ``fn`` written to be overridden (abstract, or a body of only a docstring, ``pass``,
    ``...`` or ``raise NotImplementedError``)?"""
    if getattr(fn, "__isabstractmethod__", False):
        return True
    try:
        node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return True
    body = [s for s in getattr(node, "body", []) if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return not body or all(isinstance(s, ast.Pass) or isinstance(s, ast.Raise) and "NotImplementedError" in ast.dump(s)
                           for s in body)


def _leads_positionally(wrapped, count):
    """Does ``wrapped`` take at least ``count`` leading positional parameters (no ``*args`` among
    them), so that passing a wrapper's first ``count`` arguments on by position binds them?"""
    try:
        params = list(inspect.signature(wrapped).parameters.values())
    except (TypeError, ValueError):
        return False
    return len(params) >= count and all(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params[:count])


def _nested_function_node(code):
    """The FunctionDef (at any depth) that compiled to ``code``, from its module's source."""
    tree = _module_tree(code.co_filename) if code.co_filename.endswith(".py") else None
    if tree is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == code.co_name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if code.co_firstlineno in (first, node.lineno) and node.args.vararg and node.args.kwarg:
                return node
    return None


def _undeclared_kwargs(obj, params):
    """``[**kwargs]`` when a function's code takes ``**kwargs`` that the ``__signature__`` set on it
    leaves out: the declared names are what it documents, not all it accepts (matplotlib's
    generated ``Artist.set`` lists each property but not its aliases, ``lw`` for ``linewidth``)."""
    raw = getattr(obj, "__func__", obj)
    code = getattr(raw, "__code__", None)
    if not inspect.isfunction(raw) or "__signature__" not in vars(raw) or code is None \
            or not code.co_flags & inspect.CO_VARKEYWORDS or any(p.kind == p.VAR_KEYWORD for p in params):
        return []
    name = code.co_varnames[code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & inspect.CO_VARARGS)]
    return [inspect.Parameter(name, inspect.Parameter.VAR_KEYWORD)]


def _returned_at(fn, kwname, harmless):
    """Where every ``return`` of ``fn`` hands back the dict ``kwname`` unchanged: -1 for
    ``return kw``, i for the i-th item of ``return a, b, kw``; its names are added to
    ``harmless``.  None when some return does not, or there is none."""
    found = set()
    for node in ast.walk(fn):
        if not isinstance(node, ast.Return):
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id == kwname:
            found.add(-1)
            harmless.add(id(value))
            continue
        items = value.elts if isinstance(value, ast.Tuple) else []
        at = [i for i, e in enumerate(items) if isinstance(e, ast.Name) and e.id == kwname]
        if len(at) != 1 or any(isinstance(e, ast.Starred) for e in items):
            return None
        found.add(at[0])
        harmless.add(id(items[at[0]]))
    return found.pop() if len(found) == 1 else None


def _rebinding(fn, kwname):
    """id(call) -> where ``kw = call`` (-1) or ``a, b, kw = call`` (the index) binds ``kwname``
    again to what the call returns."""
    found = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call):
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == kwname:
                found[id(node.value)] = -1
            elif isinstance(target, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in target.elts):
                at = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Name) and e.id == kwname]
                if len(at) == 1:
                    found[id(node.value)] = at[0]
    return found


def _returned_keywords(target, kwname, depth, owner, rebound):
    """The forwards of a callee that takes ``**kwname`` and hands the dict back where the caller
    binds its own ``**kw`` again (``rebound``: the index, see ``_rebinding``); the caller's later
    uses of that name then decide the rest.  None otherwise."""
    raw = getattr(target, "__func__", target)
    if rebound is None or not inspect.isfunction(raw) or getattr(raw, "__wrapped__", None) is not None:
        return None
    found = _forwarded_keywords(raw, kwname, depth + 1, owner, returning=True)
    return found if found is not None and found.get("returned") == rebound else None


def _singleton_method(getter, attr):
    """(the plain function, True, the class) that ``getter().attr`` calls when ``getter`` returns a
    global of its module that the module only ever binds to None or to a new instance of one
    class made the plain way (``DEFAULT_SESSION = Session(**kwargs)``, under ``global``); else None."""
    try:
        fn = ast.parse(textwrap.dedent(inspect.getsource(getter))).body[0]
        module = ast.parse(inspect.getsource(sys.modules[getter.__module__]))
    except (OSError, TypeError, SyntaxError, KeyError, IndexError):
        return None
    returns = [n.value for n in ast.walk(fn) if isinstance(n, ast.Return)]
    if not returns or not all(isinstance(r, ast.Name) for r in returns) or len({r.id for r in returns}) != 1:
        return None
    name = returns[0].id
    if any(isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load) for n in ast.walk(fn)):
        return None
    values = []
    for node in ast.walk(module):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id == name:
                values.append(node.value)
        elif any(isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
                 or isinstance(n, ast.alias) and (n.asname or n.name) == name
                 or isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name
                 for n in _bound_by(node)):
            return None  # bound some other way: not followed
    made = [v for v in values if not (isinstance(v, ast.Constant) and v.value is None)]
    if not made or not all(isinstance(v, ast.Call) for v in made):
        return None
    classes = {id(_global_value(getter, v.func)): _global_value(getter, v.func) for v in made}
    cls = classes.popitem()[1] if len(classes) == 1 else None
    current = getattr(sys.modules[getter.__module__], name, None)
    if not isinstance(cls, type) or not _plain_construction(cls) or current is not None and type(current) is not cls:
        return None
    return _bound_method(cls, attr, None)


def _filtered_spread(fn, call, kwname):
    """The keys left out when ``call`` passes on the dict ``kwname`` as
    ``**{k: v for k, v in kwname.items() if k not in KEYS}`` (``KEYS`` a literal of strings, or a
    name bound once in ``fn`` to one; any number of such tests, none at all): every other key reaches
    the callee (matplotlib's ``Figure.colorbar``).  None for any other call."""
    comps = [k.value for k in call.keywords if k.arg is None and isinstance(k.value, ast.DictComp)]
    if len(comps) != 1 or len(comps[0].generators) != 1:
        return None
    comp, gen = comps[0], comps[0].generators[0]
    target, it = gen.target, gen.iter
    if gen.is_async or not (isinstance(target, ast.Tuple) and len(target.elts) == 2
                            and all(isinstance(e, ast.Name) for e in target.elts)):
        return None
    key, value = target.elts[0].id, target.elts[1].id
    if not (isinstance(it, ast.Call) and not it.args and not it.keywords and isinstance(it.func, ast.Attribute)
            and it.func.attr == "items" and isinstance(it.func.value, ast.Name) and it.func.value.id == kwname
            and isinstance(comp.key, ast.Name) and comp.key.id == key and isinstance(comp.value, ast.Name)
            and comp.value.id == value and key != value):
        return None
    dropped = set()
    for test in gen.ifs:
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)
                and isinstance(test.left, ast.Name) and test.left.id == key):
            return None
        keys = _string_literal(fn, test.comparators[0])
        if keys is None:
            return None
        dropped.update(keys)
    return dropped


def _string_literal(fn, expr):
    """The strings of a list, tuple or set literal of string constants, given as is or as a name
    that ``fn`` binds once, to such a literal, and reads only there (so nothing changes it); else None."""
    if isinstance(expr, ast.Name):
        binders = [n for n in ast.walk(fn) if _binds_name(n, expr.id)]
        uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == expr.id]
        if len(binders) != 1 or not isinstance(binders[0], ast.Assign) or len(binders[0].targets) != 1 \
                or not isinstance(binders[0].targets[0], ast.Name) or len(uses) != 2:
            return None
        expr = binders[0].value
    if not isinstance(expr, (ast.List, ast.Tuple, ast.Set)) or not all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in expr.elts):
        return None
    return {e.value for e in expr.elts}


def _class_attribute_call(cls, attr):
    """What ``Cls.attr(...)`` calls for a class of the module's globals, as ``_forward_method``
    answers (the plain function, bound?, None): a classmethod (bound to the class itself, so no
    receiver class for ``cls.other(**kw)`` inside), a staticmethod or a plain function (unbound:
    every argument is given); None when the class's metaclass may answer the lookup otherwise."""
    meta = type(cls)
    if any(attr in vars(k) or "__getattribute__" in vars(k) or "__getattr__" in vars(k) for k in meta.__mro__[:-1]
           if k is not type):
        return None
    raw = inspect.getattr_static(cls, attr, None)
    if isinstance(raw, classmethod) and inspect.isfunction(raw.__func__):
        return raw.__func__, True, None
    if isinstance(raw, staticmethod) and inspect.isfunction(raw.__func__):
        return raw.__func__, False, None
    return (raw, False, None) if inspect.isfunction(raw) else None


def _binds_name(node, name):
    """Does the statement or expression ``node`` (itself, not what it holds) bind ``name``: a target,
    an alias, a definition, ``global`` / ``nonlocal``, a ``match`` capture?"""
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    if type(node).__name__ in ("MatchAs", "MatchStar", "MatchMapping"):  # Python 3.10+ (the worker runs on 3.8)
        return name in (getattr(node, "name", None), getattr(node, "rest", None))
    return any(isinstance(n, ast.Name) and n.id == name or isinstance(n, ast.alias) and (n.asname or n.name).split(".")[0] == name
               or isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name
               for n in _bound_by(node))


def _bound_by(node):
    """The nodes a statement or expression ``node`` binds names with (targets, aliases, itself)."""
    if isinstance(node, ast.Assign):
        return [n for t in node.targets for n in ast.walk(t)]
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.comprehension, ast.NamedExpr)):
        return list(ast.walk(node.target))
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [n for item in node.items if item.optional_vars is not None for n in ast.walk(item.optional_vars)]
    if isinstance(node, ast.Delete):
        return [n for t in node.targets for n in ast.walk(t)]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return list(node.names)
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [ast.Name(id=node.name, ctx=ast.Store())]
    return [node] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else []
