"""What an instance of an installed class may hold: the open-world model (issue 16).

Stdlib only; runs INSIDE the target interpreter as part of the introspection worker: its source
is put before ``_worker.py``'s in the one ``python -c`` program, so the worker's helpers it uses
(``_members``, ``_module_tree`` and its ``_TREES``, ``_is_enum``) are looked up when it runs.  Never imported by vetpy.

An instance's attribute set is *closed* only when that is proven; it is open when
- a method, or a module-level helper a method passes ``self`` to (Flask-SQLAlchemy 2's
  ``_include_sqlalchemy(self, ...)``), ``setattr``s a computed name or writes ``__dict__``;
- a class of its MRO is compiled and has an instance ``__dict__`` (its source cannot be read);
- code of its package makes instances of a class of its MRO and fills them with computed names
  (``rv = _logRecordFactory(...)``, then ``rv.__dict__[key] = extra[key]``: logging's ``extra=``);
- it is the root class of a compiled metaclass (ctypes' ``Array``: every instance is of a
  ``c_char * n``-like subclass the metaclass made, which adds ``raw`` and ``value``).
In these last two cases what is missing is data: a called missing name is still reported.
Names that the class's own methods read on ``self`` are part of its contract (a subclass or a
factory supplies them: Django's ``BaseFormSet`` reads ``self.form``).
Names that code of the class's own package assigns on objects other than ``self``/``cls``
(``request.user = ...`` in django.contrib.auth's middleware) are possible attributes of every
instance with a ``__dict__`` of that package's classes.  Enum members have ``name`` and
``value``.  For a value known only from an annotation, the instance may be of a subclass: the
names of the loaded subclasses of the same package count too (``subclasses``; None when too
many or unknowable).
"""

import ast
import collections
import hashlib
import inspect
import json
import os
import re
import sys
import types

# Methods that restore or intercept state: their setattr()/__dict__ use re-creates the attributes
# other methods assign, so it does not make the instance's attribute set unknowable.
_STATE_METHODS = {"__setstate__", "__getstate__", "__setattr__", "__delattr__", "__copy__", "__deepcopy__",
                  "__reduce__", "__reduce_ex__", "__repr__", "__eq__", "__hash__",
                  # they measure or list the instance: what they hand ``__dict__`` to only reads it
                  # (``OrderedDict.__sizeof__``: ``sizeof(self.__dict__)``)
                  "__sizeof__", "__dir__"}
_ENUM_NAMES = ("name", "value", "_name_", "_value_", "_sort_order_")
# Implicit class methods run when a subclass is made (at import, before any question): what they
# set on ``cls`` is in the class's namespace already, and they receive no instance.
_CLASS_HOOKS = {"__init_subclass__", "__class_getitem__"}
_HELPER_DEPTH = 2  # helpers that helpers call with the instance, followed this deep
_SUBCLASS_LIMIT = 64
_PACKAGE_BYTES = 64 * 1024 * 1024  # a package's source read for its foreign assignments, at most
# `x.name = ...` / `x.name: T = ...` at the start of a line, x not self/cls
_FOREIGN_ASSIGN = re.compile(r"^[ \t]*(?!self\.|cls\.)[A-Za-z_]\w*\.([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)", re.M)
_FOREIGN_SETATTR = re.compile(r"\bsetattr\(\s*(?!self\b|cls\b)[A-Za-z_]\w*\s*,\s*['\"]([A-Za-z_]\w*)['\"]")
# `x.__dict__[...]`, `x.__dict__.update(`, `setattr(x, <not a literal>`: a file worth parsing for
# the objects it makes and then fills with computed names
# (each starts with a literal, which the regex engine scans for fast)
_DICT_FILLS = re.compile(r"\.__dict__(?:\[|\.update\(|\.setdefault\()")
_SETATTR_FILLS = re.compile(r"setattr\(\s*([A-Za-z_]\w*)\s*,\s*(?!['\"\s])")
_NAME_BEFORE = re.compile(r"(?<![\w.])([A-Za-z_]\w*)$")
_FOREIGN = {}  # top-level package -> the names its code assigns on other objects
_FILLED = {}  # top-level package -> {id: class} of the classes whose instances its code makes and fills with computed names
_SOURCE_ATTRS = {}  # class -> what _source_attrs says of it
_HAS_SOURCE = {}  # class -> whether its ClassDef was found (the key set of _SOURCE_ATTRS)
_PARSED = [0]  # source files (or one class's lines of one) parsed so far: the ping's "parsed"
_OPENERS = {}  # class -> its public methods that open the instance's set when called
_DATA_OPEN = set()  # classes whose methods setattr() names the instance lists (_worker_setattr.py): open to data only
_CALLED = {}  # top-level package -> the names its code calls as attributes or names in strings
_CALL_OR_STRING = re.compile(r"\.[ \t]*([A-Za-z_]\w*)[ \t]*\(|['\"]([A-Za-z_]\w*)['\"]")
_DOCSTRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'')


def _class_node(klass):
    """The ClassDef of ``klass`` in its source (parsed once per file and burst of questions), or
    None.  The file is its module's, or, when a package re-exports the class under another
    ``__module__`` (httpx sets ``Response.__module__ = "httpx"``), the file its methods' code was
    compiled from."""
    paths = []
    try:
        paths.append(inspect.getsourcefile(klass))
    except TypeError:
        pass
    codes = []
    for value in list(vars(klass).values()):
        func = getattr(value, "__func__", value)
        code = getattr(func, "__code__", None)
        if code is not None and code.co_filename.endswith(".py"):
            codes.append(code)
    # a method of the class's own body first: a decorator may copy in others (pandas' `inherit_names`)
    own = klass.__qualname__ + "."
    for code in sorted(codes, key=lambda c: not str(getattr(c, "co_qualname", "")).startswith(own)):
        if code.co_filename not in paths:
            paths.append(code.co_filename)
            break
    for path in paths:
        if not path:
            continue
        node = None
        if path not in _TREES and "." not in klass.__qualname__:
            node = _class_alone(path, klass.__qualname__, [c.co_firstlineno for c in codes if c.co_filename == path])
        node = node or _class_in(path, klass.__qualname__)
        if node is not None:
            return node
    return None


def _class_alone(path, name, lines):
    """The ClassDef of the module-level class ``name`` parsed from its own lines of ``path``
    rather than the whole module (typing.py is 3,400 lines; one class of it, a hundred), when
    that is certain to be the node :func:`_class_in` finds: the file names ``name`` in exactly
    one ``class``/``def`` line, that line starts at column 0, the class ends before the next line
    that does, its text parses as that one class, and the code of its methods (``lines``: their
    first lines; at least one) lies within it.  None otherwise (the whole module is parsed)."""
    if not lines:
        return None
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = []  # the `class NAME` / `def NAME` lines (a keyword and the name found first: fast)
    for m in re.finditer(r"\b(?:class|def)[ \t]+%s\b" % re.escape(name), text):
        line = text.rfind("\n", 0, m.start()) + 1
        if _DEF_PREFIX.fullmatch(text, line, m.start()):
            found.append((line, m.start()))
    if len(found) != 1 or found[0][0] != found[0][1] or not text.startswith("class", found[0][1]):
        return None
    start = found[0][1]
    after = _COLUMN_ZERO.search(text, text.find("\n", start) + 1 or len(text))
    segment = text[start:after.start() if after else len(text)]
    _PARSED[0] += 1
    try:
        body = ast.parse(segment).body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    first = text.count("\n", 0, start) + 1
    last = first + segment.count("\n")
    if len(body) != 1 or not isinstance(body[0], ast.ClassDef) or body[0].name != name \
            or not all(first <= line <= last for line in lines):
        return None
    return body[0]


_DEF_PREFIX = re.compile(r"[ \t]*(?:async[ \t]+)?")  # what may come before `def`/`class` on its line
_COLUMN_ZERO = re.compile(r"^[^ \t\r\n#\f]", re.M)  # a line of code that starts at column 0


def _class_in(path, qualname):
    tree = _module_tree(path)
    if tree is None:
        return None
    body = tree.body
    node = None
    for part in qualname.split("."):
        found = [n for n in _flat_defs(body) if isinstance(n, (ast.ClassDef, ast.FunctionDef)) and n.name == part]
        if len(found) != 1:
            return None
        node = found[0]
        body = node.body
    return node if isinstance(node, ast.ClassDef) else None


def _flat_defs(body):
    out = []
    for n in body:
        if isinstance(n, ast.If):
            out += _flat_defs(n.body) + _flat_defs(n.orelse)
        elif isinstance(n, ast.Try):
            out += _flat_defs(n.body) + _flat_defs(n.orelse)
            for h in n.handlers:
                out += _flat_defs(h.body)
        else:
            out.append(n)
    return out


def _nodes(root):
    """``ast.walk(root)``: the same nodes in the same order, about twice as fast (no generator
    per node)."""
    todo = collections.deque([root])
    while todo:
        node = todo.popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                todo.append(value)
            elif isinstance(value, list):
                todo.extend([item for item in value if isinstance(item, ast.AST)])
        yield node


def _source_attrs(klass):
    """Names a class's methods (and the helpers they hand ``self`` to) assign on the instance;
    None when that is unknowable.  Worked out once per class (a class is in the MRO of many
    others, and its source does not change while the worker runs), and once per interpreter for
    a standard-library class (kept on disk); callers do not modify it."""
    if klass not in _SOURCE_ATTRS:
        key = _class_key(klass)
        kept = _kept("classes", key, _valid_class_facts)
        if kept is None:
            node = _class_node(klass)
            attrs = None if node is None else _attrs_in(klass, node)
            kept = "none" if node is None else "open" if attrs is None else sorted(attrs)
            if klass not in _OPENERS and klass not in _DATA_OPEN and klass not in _LISTED_BY and klass not in _MAPPED_BY:  # not kept: worked out again
                _keep("classes", key, kept)
        _HAS_SOURCE[klass] = kept != "none"
        _SOURCE_ATTRS[klass] = None if isinstance(kept, str) else set(kept)
    return _SOURCE_ATTRS[klass]


def _source_attrs_of(klass):
    cls_node = _class_node(klass)
    if cls_node is None:
        return None
    return _attrs_in(klass, cls_node)


def _attrs_in(klass, cls_node):
    namespace = getattr(sys.modules.get(getattr(klass, "__module__", "") or ""), "__dict__", {})
    names = set()
    openers = set()
    del _VALIDATED[:], _LISTED[:], _MAPPED[:]
    _READING[:] = [klass, cls_node]
    for node, me in _methods_of(cls_node):  # _worker_methods.py: not a function nested in a method
        if node.name in _CLASS_HOOKS:
            continue
        for made in _made_in_new(node):  # `self = tuple.__new__(cls, ...)`, then `self.name = name` (CodecInfo)
            if not _assigned_on(node, made, False, names, namespace, 0):
                return None
        if me is not None and not _assigned_on(node, me, node.name in _STATE_METHODS, names, namespace, 0):
            if _class_builder(node, me) and _decorating_only(str(getattr(klass, "__module__", "") or "").split(".")[0],
                                                             node.name):
                continue  # _worker_builders.py: what it adds, the class already shows (`_add_delegate_accessors`)
            if node.name.startswith("_") or node.decorator_list:
                return None
            openers.add(node.name)  # redis' `load_external_module(name, func)`: open once it is called
    if _VALIDATED:
        _DATA_OPEN.add(klass)  # re-sets names the instance lists (sklearn's set_params): data, not calls
    if _LISTED:
        _LISTED_BY[klass] = set(_LISTED)  # names it has already, when the getter on a class shows it (_worker_setattr.py)
    if _MAPPED:
        _MAPPED_BY[klass] = set(_MAPPED)  # names the values of a mapping on the instance's class give
    if openers:
        top = str(getattr(klass, "__module__", "") or "").split(".")[0]
        if _called_in_package(top, openers):
            return None  # the package itself calls it
        _OPENERS[klass] = openers
    return names


def _made_in_new(fn):
    """Names that ``__new__`` binds to the instance it makes (``x = super().__new__(cls)``)."""
    if fn.name != "__new__":
        return []
    return [n.targets[0].id for n in _nodes(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1
            and isinstance(n.targets[0], ast.Name) and isinstance(n.value, ast.Call)
            and isinstance(n.value.func, ast.Attribute) and n.value.func.attr == "__new__"]


def _called_in_package(top, names):
    """Which of ``names`` the code of the installed package ``top`` calls as an attribute
    (``x.name(...)``) or names in a string (``getattr(x, "name")``), docstrings left out; the
    package is read as text once per worker."""
    if top not in _CALLED:
        called, read = set(), 0
        for _path, text in _package_texts(top):
            read += len(text)
            called.update(m.group(1) or m.group(2) for m in _CALL_OR_STRING.finditer(_DOCSTRING.sub("", text)))
        _CALLED[top] = called if read < _PACKAGE_BYTES else None  # not read to the end: any may be called
    called = _CALLED[top]
    return set(names) if called is None else called & set(names)


def _opened_by(cls):
    """Public methods of the MRO that open the instance's attribute set when called (a computed
    ``setattr`` on ``self``), which neither the class's nor its package's code calls."""
    return sorted({name for klass in cls.__mro__ for name in _OPENERS.get(klass, ())})


def _dict_reads(fn, me):
    """The ``me.__dict__`` nodes of ``fn`` that only read or remove (``me.__dict__[k]``,
    ``.get(k)``, ``.pop(k, None)``, ``k in me.__dict__``): they add no name to the instance."""
    def is_dict(node):
        return (isinstance(node, ast.Attribute) and node.attr == "__dict__" and isinstance(node.value, ast.Name)
                and node.value.id == me)

    found = set()
    for node in _nodes(fn):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and is_dict(node.value):
            found.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_dict(node.func.value) \
                and node.func.attr in ("get", "pop", "keys", "values", "items", "copy"):
            found.add(id(node.func.value))
        elif isinstance(node, ast.Compare) and all(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            found.update(id(c) for c in node.comparators if is_dict(c))
    return found


def _assigned_on(fn, me, restoring, names, namespace, depth):
    """Add to ``names`` what ``fn`` assigns on its parameter ``me``; False when that is open."""
    parents = _Parents(fn)
    for sub in _nodes(fn):
        targets = []
        if isinstance(sub, ast.Assign):
            targets = sub.targets
        elif isinstance(sub, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
            targets = [sub.target]
        elif isinstance(sub, (ast.With, ast.AsyncWith)):
            targets = [i.optional_vars for i in sub.items if i.optional_vars is not None]
        for target in targets:
            for t in _nodes(target):
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == me:
                    names.add(t.attr)
        if restoring:
            continue
        if isinstance(sub, ast.Call):
            func = sub.func
            fname = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if fname in ("setattr", "__setattr__") and sub.args:
                first = sub.args[0]
                if isinstance(first, ast.Name) and first.id == me:
                    known = _set_names(fn, sub, me, parents)
                    if known is None:
                        return False
                    names.update(known)
            if isinstance(func, ast.Name) and func.id == "vars" and sub.args and not _read_only(sub, parents):
                return False  # `vars()` reads the locals; `for k in vars(obj)`, `k in vars(obj)` read
            if not _helper_assigns(sub, me, names, namespace, depth):
                return False
        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == me:
            # (the function's reads of `me.__dict__` worked out only here: most methods have none)
            if sub.attr == "__dict__" and not _read_only(sub, parents) and id(sub) not in _dict_reads(fn, me):
                stored = _dict_store_names(fn, sub, me, parents)  # `me.__dict__[<known names>] = ...`
                if stored is not None:
                    names.update(stored)
                elif not _copies_state(sub, me, parents):
                    return False
                else:
                    _VALIDATED.append(fn.name)  # another object's state copied in: data, as _set_names' listed names
            if isinstance(sub.ctx, ast.Load):
                # the class's own code reads it: part of its contract, supplied by a subclass or
                # a factory when the class never assigns it (Django's BaseFormSet reads
                # `self.form`, which formset_factory() sets)
                names.add(sub.attr)
    return True


class _Parents:
    """The parent of each node of one function, worked out on first use (most methods never ask)."""

    def __init__(self, fn):
        self.fn = fn
        self.map = None

    def get(self, node):
        if self.map is None:
            self.map = {child: parent for parent in _nodes(self.fn) for child in ast.iter_child_nodes(parent)}
        return self.map.get(node)


_READING_METHODS = {"get", "items", "keys", "values", "copy", "__contains__"}


def _read_only(node, parents):
    """Is the mapping ``node`` (``vars(obj)``, ``obj.__dict__``) only read where it stands: iterated,
    tested with ``in``, subscripted for a value, or asked ``.get``/``.items``/``.keys``/``.values``/``.copy``?"""
    parent = parents.get(node)
    if isinstance(parent, (ast.comprehension, ast.For, ast.AsyncFor)):
        return parent.iter is node
    if isinstance(parent, ast.Compare):
        return node in parent.comparators and all(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)
    if isinstance(parent, ast.Subscript):
        return parent.value is node and isinstance(parent.ctx, ast.Load)
    if isinstance(parent, ast.keyword) and parent.arg is None or isinstance(parent, ast.Dict) and any(
            k is None and v is node for k, v in zip(parent.keys, parent.values)):
        return True  # `f(**obj.__dict__)`, `{**vars(obj)}`: copied out
    if isinstance(parent, ast.Attribute) and parent.attr in _READING_METHODS:
        call = parents.get(parent)
        return isinstance(call, ast.Call) and call.func is parent
    return False


def _helper_assigns(call, me, names, namespace, depth):
    """``helper(..., self, ...)`` of a module-level function: what it assigns on that parameter
    counts as assigned by the class (False when the helper makes the set open)."""
    if depth >= _HELPER_DEPTH or not isinstance(call.func, ast.Name):
        return True
    if not any(isinstance(a, ast.Name) and a.id == me for a in [*call.args, *(k.value for k in call.keywords)]):
        return True  # the instance is not passed: nothing to read (the helper's module is not parsed)
    helper = namespace.get(call.func.id)
    node = _function_node(helper)
    if node is None:
        return True
    params = [a.arg for a in node.args.posonlyargs + node.args.args]
    receiving = [params[i] for i, a in enumerate(call.args)
                 if i < len(params) and isinstance(a, ast.Name) and a.id == me]
    receiving += [k.arg for k in call.keywords if k.arg and isinstance(k.value, ast.Name) and k.value.id == me]
    inner = getattr(helper, "__globals__", {})
    return all(_assigned_on(node, param, False, names, inner, depth + 1) for param in receiving)


def _function_node(func):
    """The FunctionDef of a plain Python function, from its module's source."""
    if not inspect.isfunction(func):
        return None
    code = func.__code__
    tree = _module_tree(code.co_filename) if code.co_filename.endswith(".py") else None
    if tree is None:
        return None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == func.__name__:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if first == code.co_firstlineno or node.lineno == code.co_firstlineno:
                return node
    return None


def _foreign_names(top):
    """Names that the source of the installed package ``top`` assigns on objects other than
    ``self``/``cls`` (``request.user = ...``), read as text once per worker (the answers that
    use it are cached per distribution and version), and once per interpreter for a
    standard-library package (kept on disk)."""
    if top in _FOREIGN:
        return _FOREIGN[top]
    mod = sys.modules.get(top)
    key = top if _store_path() is not None and _in_stdlib(getattr(mod, "__file__", None)) else None
    kept = _kept("packages", key, _valid_package_facts)
    if kept is None:
        names, filling = _package_text(top)
        kept = {"names": sorted(names), "filling": [[path, sorted(lines)] for path, lines in filling], "files": {}}
        _keep("packages", key, kept)
    names = set(kept["names"])
    _FOREIGN[top] = names
    _FILLED[top] = _filled_classes(top, kept, names, key)
    return names


def _package_text(top):
    """(names assigned on other objects, [(path, lines of computed-name fills)]) from the text
    of a package's files."""
    names = set()
    filling = []
    for path, text in _package_texts(top):
        names.update(m.group(1) for m in _FOREIGN_ASSIGN.finditer(text))
        names.update(m.group(1) for m in _FOREIGN_SETATTR.finditer(text))
        lines = {text.count("\n", 0, m.start()) + 1 for fills in (_DICT_FILLS, _SETATTR_FILLS)
                 for m in fills.finditer(text) if _made_before(text, m)}
        if lines:
            filling.append((path, lines))  # `rv = Factory(...)` ... `rv.__dict__[key] = ...`: worth parsing
    return names, filling


def _package_texts(top):
    """(path, text) of the source files of the installed package ``top``, ``_PACKAGE_BYTES`` at
    most in all (the last text may be cut short)."""
    budget = _PACKAGE_BYTES
    for path in _package_files(top):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read(budget)
        except OSError:
            continue
        budget -= len(text)
        yield path, text
        if budget <= 0:
            return


def _package_files(top):
    """The source files of the installed package ``top`` (without its tests)."""
    mod = sys.modules.get(top)
    files = []
    for root in list(getattr(mod, "__path__", None) or []):
        for folder, dirs, found in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in ("tests", "__pycache__"))
            files += [os.path.join(folder, f) for f in sorted(found) if f.endswith(".py")]
    if not files and str(getattr(mod, "__file__", None) or "").endswith(".py"):
        files = [mod.__file__]
    return files


def _made_before(text, fill):
    """Is the object of this ``__dict__``/``setattr`` write bound from a call shortly before it
    (``rv = Factory(...)``, within the lines a function spans)?  A cheap test before parsing."""
    name = fill.group(1) if fill.re is _SETATTR_FILLS else None
    if name is None:  # `name.__dict__...`: the name just before
        before = _NAME_BEFORE.search(text, max(0, fill.start() - 80), fill.start())
        name = before.group(1) if before else None
    if name is None or name in ("self", "cls"):
        return False
    window = text[max(0, fill.start() - 4000):fill.start()]
    return re.search(r"^[ \t]*" + re.escape(name) + r"[ \t]*=[ \t]*[A-Za-z_][\w.]*\(", window, re.M) is not None


def _filled_classes(top, kept, names, key=None):
    """Classes of the package ``top`` whose instances a function of these files makes and then fills with computed names:
    ``rv = _logRecordFactory(...)`` (``logging.LogRecord``) followed by ``rv.__dict__[key] = ...``,
    ``rv.__dict__.update(d)`` or ``setattr(rv, key, ...)`` (logging's ``extra={...}``).  Such an
    instance may have any attribute.  A literal key is one more known name (added to ``names``).
    Only a name bound by a call of a module-level class (or of a module-level name bound to one) in
    the same function counts: an object received as a parameter may be of any class (and another
    package's class is asked about with that package's code, as foreign names are).
    ``kept["filling"]``: [path, the lines of such writes]; only the functions around those lines
    are read, and those files' modules are imported first, so that the answer does not depend on
    what the worker imported before; a file whose module cannot be imported is left out: its
    functions never run (what they say is kept in ``kept["files"]``; ``key``: the package's key in
    the store, when it is kept there)."""
    _import_filling(top, kept["filling"])  # _worker_subclasses.py
    modules = {}
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None)
        if isinstance(source, str):
            modules[os.path.normcase(os.path.abspath(source))] = module
    found = {}
    for path, lines in kept["filling"]:
        module = modules.get(os.path.normcase(os.path.abspath(path)))
        if module is None:
            continue  # not loaded: nothing it defines can be asked about
        facts = kept["files"].get(path)
        if not (isinstance(facts, dict) and isinstance(facts.get("keys"), list) and isinstance(facts.get("made"), list)):
            facts = kept["files"][path] = _fills_in(path, lines)
            _keep("packages", key, kept)
        names.update(k for k in facts["keys"] if isinstance(k, str))
        for parts in facts["made"]:
            klass = _module_value(module, parts)
            if isinstance(klass, type) and str(getattr(klass, "__module__", "")).split(".")[0] == top:
                found[id(klass)] = klass
    return found


def _fills_in(path, lines):
    """What the functions around ``lines`` of ``path`` fill: {"keys": literal names written,
    "made": dotted names of the callables that made the objects filled with computed names}."""
    keys, made_by = [], []
    _PARSED[0] += 1
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())  # not kept: most of these files are never asked about again
    except (OSError, SyntaxError, ValueError):
        return {"keys": keys, "made": made_by}
    for fn in _functions_around(tree, lines):
        made = collections.defaultdict(list)  # local name -> the callees it is bound from
        filled = set()
        for sub in _nodes(fn):
            if isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call):
                for target in sub.targets:
                    if isinstance(target, ast.Name):
                        made[target.id].append(sub.value.func)
            filled_name, key = _fill_of(sub)
            if filled_name is None:
                continue
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.append(key.value)
            else:
                filled.add(filled_name)
        for local in filled:
            for callee in made.get(local, ()):
                parts = _dotted(callee)
                if parts is not None and parts not in made_by:
                    made_by.append(parts)
    return {"keys": keys, "made": made_by}


def _dotted(expr):
    """``name`` or ``name.attr...`` as a list of its names, or None."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return [expr.id, *reversed(parts)]


def _functions_around(tree, lines):
    """The functions (methods, nested functions) whose lines hold one of ``lines``."""
    found = []
    todo = [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            start, end = getattr(child, "lineno", None), getattr(child, "end_lineno", None)
            if start is None or end is None or not any(start <= line <= end for line in lines):
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append(child)
            todo.append(child)
    return found


def _fill_of(node):
    """(the local name, the key expression or None) when ``node`` writes a name into the
    ``__dict__`` of a local other than ``self``/``cls``; (None, None) otherwise."""
    def local(expr):
        if isinstance(expr, ast.Name) and expr.id not in ("self", "cls"):
            return expr.id
        return None

    def dict_of(expr):
        if isinstance(expr, ast.Attribute) and expr.attr == "__dict__":
            return local(expr.value)
        return None

    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and dict_of(node.value):
        return dict_of(node.value), node.slice
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in ("update", "setdefault") and dict_of(node.func.value):
            key = node.args[0] if node.func.attr == "setdefault" and node.args else None
            return dict_of(node.func.value), key
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" \
            and len(node.args) >= 2 and local(node.args[0]):
        return local(node.args[0]), node.args[1]
    return None, None


def _module_value(module, parts):
    """The module-level object the dotted name ``parts`` (``[name, attr, ...]``) names in ``module``, or None."""
    value = vars(module).get(parts[0])
    try:
        for part in parts[1:]:
            value = inspect.getattr_static(value, part)
    except Exception:  # third-party objects may raise anything here: treat as unknown
        return None
    return value


def _own_names(cls):
    """(names an instance of ``cls`` has from its classes' code, complete?)"""
    names = set(_members(cls) or ())
    complete = True
    for klass in cls.__mro__:
        if klass is object:
            continue
        d = klass.__dict__
        slots = d.get("__slots__")
        if isinstance(slots, str):
            names.add(slots)
        elif slots is not None:
            try:
                names.update(s for s in slots if isinstance(s, str))
            except TypeError:
                complete = False
        ann = d.get("__annotations__")
        if isinstance(ann, dict):
            names.update(k for k in ann if isinstance(k, str))
        for extra in ("model_fields", "__fields__", "__attrs_attrs__", "__dataclass_fields__"):
            value = d.get(extra)
            try:
                if isinstance(value, dict):
                    names.update(k for k in value if isinstance(k, str))
                elif isinstance(value, tuple):
                    names.update(getattr(a, "name", "") for a in value)
            except Exception:  # third-party code may raise anything here: treat as unknown
                pass
        if getattr(klass, "__module__", "") == "builtins":
            continue
        attrs = _aws_attrs(cls, klass)  # _source_attrs(klass), but for the classes boto3 and botocore make
        if attrs is None:
            # a compiled class without instance __dict__ cannot gain attributes
            if "__dict__" in d or "__slots__" not in d and getattr(klass, "__dictoffset__", 1):
                stored = _compiled_stores(klass)  # _worker_compiled_dicts.py: `_io`'s `name`, `mode`
                if stored is not None:
                    names |= stored
                    continue
                complete = False
                if any(isinstance(getattr(v, "__func__", v) if isinstance(v, (classmethod, staticmethod)) else v,
                                  types.FunctionType) for v in d.values()) \
                        or not _keywords_closed(cls) or klass is types.SimpleNamespace:
                    _OPEN_CALLS.add(cls)  # Python code whose source hides what it sets; SimpleNamespace(run=f)
        else:
            names |= attrs
            mapped = _mapped_names(cls, klass, names)  # _worker_setattr.py
            if not mapped:
                _OPEN_CALLS.add(cls)
            complete = complete and mapped and klass not in _DATA_OPEN and _lists_existing(cls, klass)
    if _is_enum(cls):
        names.update(_ENUM_NAMES)
    if getattr(cls, "__dictoffset__", 0):  # instances have a __dict__: their package may add to it
        foreign = set()
        for top in {str(getattr(k, "__module__", "") or "").split(".")[0] for k in cls.__mro__}:
            if top and top != "builtins":
                foreign |= _foreign_names(top)
        _FOREIGN_ONLY[cls] = foreign - names
        names |= foreign
    return names, complete


def _metaclass_root(cls):
    """Is ``cls`` the root class of a compiled metaclass, which makes its concrete subclasses at
    run time with members of their own?  ctypes' ``Array``: ``create_string_buffer()`` gives a
    ``c_char * n`` instance, whose class adds ``raw`` and ``value``; numpy's ``dtype``:
    ``np.dtype("f8")`` is a ``Float64DType``.  An instance known only as the root is of such a
    subclass.  A class the metaclass made (``c_char * n``, ``class Point(Structure)``) shows
    what it added in its own namespace; a metaclass written in Python (``ABCMeta``, ``EnumType``)
    is not compiled."""
    meta = type(cls)
    if meta is type or not isinstance(cls, type):
        return False
    for klass in meta.__mro__:
        if klass not in (type, object) and any(
                isinstance(v, (types.FunctionType, classmethod, staticmethod)) for v in vars(klass).values()):
            return False
    return all(type(base) is not meta for base in cls.__bases__)


def _filled(cls):
    """Does the package of a class of the MRO make instances of it and fill them with computed
    names (logging's ``extra=``)?  Asked after :func:`_own_names`, which reads the packages."""
    if not getattr(cls, "__dictoffset__", 0):
        return False
    tops = {str(getattr(k, "__module__", "") or "").split(".")[0] for k in cls.__mro__}
    return any(id(k) in _FILLED.get(top, ()) for top in tops for k in cls.__mro__)


def _subclass_names(cls, names, calls=False):
    """Names the subclasses of ``cls`` in its own package add (its tests left out); None when unknowable.  With
    ``calls`` (asked only of a called name), a subclass open only to data counts too."""
    top = str(getattr(cls, "__module__", "") or "").split(".")[0]
    if not _subclass_modules_loaded(cls, top):  # _worker_subclasses.py: not what was imported before
        return None
    subs = _subclasses_listed(cls, top, _SUBCLASS_LIMIT)
    if subs is None:
        return None
    extra = set()
    for sub in subs:
        own, complete = _own_names(sub)
        if not complete and not (calls and (_calls_closed(sub) or _getattr_kind(sub) == "data")):
            return None
        extra |= own - names
    return sorted(extra)


def instance(path):
    """The ``instance`` request: what an instance of the class ``path`` may hold (asked apart from
    ``describe``, which most questions about a class need without it, and this costs the most)."""
    obj, missing = _resolve(path)
    if missing is not None or not isinstance(obj, type):
        return {"error": "not a class: %s" % path}
    return {"instance": _instance(obj)}


def _instance(cls):
    """Members of an instance of ``cls``: the class's members plus every attribute code may set."""
    names, complete = _own_names(cls)
    names = names | _served_names(cls)
    # the names of loaded subclasses count for a class whose set is known but for what its package
    # fills in: those are data, and a called name is still checked against the subclasses' methods
    own_complete = complete
    subclasses = _subclass_names(cls, names) if complete else None
    complete = complete and not _filled(cls) and not _metaclass_root(cls)
    extra = False
    try:
        config = getattr(cls, "model_config", None)
        if isinstance(config, dict) and config.get("extra") == "allow":
            complete, extra = False, True
    except Exception:  # third-party code may raise anything here: treat as unknown
        extra = True
    # Incomplete only because a compiled class of the MRO has an instance __dict__ (`open()`'s
    # TextIOWrapper gets `mode`): what compiled code stores there is data, so a CALLED name
    # missing from the class is still certain.
    calls = complete or not extra and _calls_closed(cls)
    if not own_complete and (calls or _getattr_kind(cls) == "data"):
        subclasses = _subclass_names(cls, names, calls=True)  # the rule reads them for a called name only
    answer = {"members": sorted(names), "complete": complete, "calls_closed": calls,
              "subclasses": subclasses if complete or calls or not own_complete else None}
    foreign = _FOREIGN_ONLY.get(cls)
    if foreign:
        # assigned only from outside (Django's `response.json = ...`): not on an instance just made
        answer["foreign"] = sorted(foreign)
    opened_by = _opened_by(cls)
    if opened_by:
        answer["opened_by"] = opened_by  # open in a project that calls one of them
    return answer


def _served_names(cls):
    """The names the first ``__getattr__`` of the MRO serves when its source limits them
    (``_worker_getattr.py``); none otherwise (the rule then treats the instance as open)."""
    for klass in cls.__mro__:
        if "__getattr__" in vars(klass):
            served = _getattr_served(cls, klass)
            return set(served[0]) if served else set()
    return set()


_OPEN_CALLS = set()  # classes whose attribute set is open for a reason other than compiled code
_FOREIGN_ONLY = {}  # class -> the names an instance has only because its packages assign them from outside


def _calls_closed(cls):
    """Is what makes ``cls``'s attribute set open only data (asked after :func:`_own_names`)?"""
    return cls not in _OPEN_CALLS and not _setattr_opened(cls)


def _setattr_opened(cls):
    """Does Python code of the MRO open the attribute set (setattr, __dict__ writes)?"""
    for klass in cls.__mro__:
        if klass is object or getattr(klass, "__module__", "") == "builtins":
            continue
        if _aws_attrs(cls, klass) is None and _HAS_SOURCE.get(klass):
            return True
    return False
