"""A ``**kwargs`` dict handed to a method of ``self`` that accepts only the keys of a literal
pattern and raises TypeError for every other one (SQLAlchemy's ``DialectKWArgs``)::

    def _validate_dialect_kwargs(self, kwargs):
        if not kwargs:
            return
        for k in kwargs:
            m = re.match("^(.+?)_(.+)$", k)
            if not m:
                raise TypeError(...)

Every key is visited, and the check is the first thing the loop does with it, so a keyword the
pattern refuses is certain to raise (an earlier key may raise first, the call fails all the same).
The keys the pattern matches are accepted (what the validator does with them later is not
followed).  The answer is one entry ``"re.<function>:<pattern>"`` among the accepted keywords (a
keyword never holds ``:``), which vetpy's HAL004 reads as "any keyword this pattern matches"
(``vetpy.rules.hal.key_patterns``).

Stdlib only; runs INSIDE the target interpreter as part of the worker program, after
``_worker_sinks.py`` (which calls ``_key_pattern_sink``).  Never imported by vetpy.
"""

import ast
import inspect
import re

_MATCHERS = ("match", "fullmatch", "search")


def _key_pattern_sink(stmts, name, method):
    """``["re.<function>:<pattern>"]`` when ``stmts`` (from the first statement of ``method``
    that uses the dict ``name``) are an optional ``if not name: return`` and then the checking
    loop above; else None."""
    module = getattr(method, "__globals__", {})
    if module.get("re") is not re or "TypeError" in module:
        return None
    if stmts and _returns_when_empty(stmts[0], name):
        stmts = stmts[1:]
    if not stmts:
        return None
    loop = stmts[0]
    if not (isinstance(loop, ast.For) and not loop.orelse and isinstance(loop.target, ast.Name)
            and _over_keys(loop.iter, name) and len(loop.body) >= 2):
        return None
    key = loop.target.id
    first, guard = loop.body[0], loop.body[1]
    if not (isinstance(first, ast.Assign) and len(first.targets) == 1 and isinstance(first.targets[0], ast.Name)):
        return None
    matched = _pattern_of(first.value, key)
    if matched is None or not _raises_type_error_unless(guard, first.targets[0].id):
        return None
    try:
        re.compile(matched[1])
    except re.error:
        return None
    return [f"re.{matched[0]}:{matched[1]}"]


def _returns_when_empty(stmt, name):
    """Is ``stmt`` ``if not name: return`` (nothing else)?"""
    return (isinstance(stmt, ast.If) and not stmt.orelse and isinstance(stmt.test, ast.UnaryOp)
            and isinstance(stmt.test.op, ast.Not) and isinstance(stmt.test.operand, ast.Name)
            and stmt.test.operand.id == name and len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Return)
            and (stmt.body[0].value is None or isinstance(stmt.body[0].value, ast.Constant)))


def _over_keys(it, name):
    """``name`` or ``name.keys()``."""
    if isinstance(it, ast.Name):
        return it.id == name
    return (isinstance(it, ast.Call) and not it.args and not it.keywords and isinstance(it.func, ast.Attribute)
            and it.func.attr == "keys" and isinstance(it.func.value, ast.Name) and it.func.value.id == name)


def _pattern_of(value, key):
    """(function, pattern) of ``re.<function>("<literal>", key)``; else None."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in _MATCHERS
            and isinstance(value.func.value, ast.Name) and value.func.value.id == "re"
            and len(value.args) == 2 and not value.keywords):
        return None
    pattern, subject = value.args
    if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)
            and isinstance(subject, ast.Name) and subject.id == key):
        return None
    return value.func.attr, pattern.value


def _raises_type_error_unless(stmt, matched):
    """Is ``stmt`` ``if not matched: raise TypeError(...)`` (or ``if matched is None:``)?"""
    if not isinstance(stmt, ast.If) or stmt.orelse or len(stmt.body) != 1 or not isinstance(stmt.body[0], ast.Raise):
        return False
    test = stmt.test
    negated = (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name)
               and test.operand.id == matched)
    is_none = (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is)
               and isinstance(test.left, ast.Name) and test.left.id == matched
               and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None)
    if not (negated or is_none):
        return False
    exc = stmt.body[0].exc
    if isinstance(exc, ast.Call):
        exc = exc.func
    return isinstance(exc, ast.Name) and exc.id == "TypeError"


def _own_method(owner, attr):
    """(the plain function, True, owner) that ``self.attr`` calls in a method of ``owner``: the
    function the class's MRO holds, when attribute lookup is the generic one.  A ``__getattr__``
    changes nothing here (it runs only for a name the lookup does not find: SQLAlchemy's
    ``Column`` serves comparator attributes that way); a ``__getattribute__`` of its own does."""
    if not _generic_lookup(owner):
        return None
    method = inspect.getattr_static(owner, attr, None)
    return (method, True, owner) if inspect.isfunction(method) else None


def _generic_lookup(cls):
    """Is attribute lookup on instances of ``cls`` the generic one (no ``__getattribute__`` of
    its own; a ``__getattr__`` is allowed)?"""
    try:
        for klass in cls.__mro__:
            if "__getattribute__" in vars(klass) and klass is not object and getattr(klass, "__module__", "") != "builtins" \
                    and not _generic_getattro(klass):
                return False
    except Exception:  # a broken MRO or __dict__: not followed
        return False
    return True


def _base_class_call(func, fn, call, owner, found):
    """``Base.method(self, ..., **kw)`` in a method of ``owner`` (SQLAlchemy's
    ``Constraint.__init__(self, name=name, **dialect_kw)``): the plain function bound to
    ``owner``'s instance, ``(function, True, owner)``, when ``Base`` (a class of the module's
    globals) is a base of ``owner`` and ``self`` is passed first; else ``found`` unchanged (what
    ``_forward_method`` answered: unbound, every argument given)."""
    first = (fn.args.posonlyargs + fn.args.args)[:1]
    if found is None or found[1] or found[2] is not None or not isinstance(owner, type) or not first \
            or not call.args or not isinstance(call.args[0], ast.Name) or call.args[0].id != first[0].arg:
        return found
    base = _global_value(func, call.func.value)
    raw = inspect.getattr_static(base, call.func.attr, None) if isinstance(base, type) else None
    if raw is not found[0] or not inspect.isfunction(raw) or not issubclass(owner, base):
        return found
    return found[0], True, owner
