"""Build vetpy's release-history database (server/vetpy/data/history.bin) from real releases.

    python scripts/build_history.py                      # stdlib + every package in PACKAGES
    python scripts/build_history.py --only pandas numpy  # some packages (the others are kept)
    python scripts/build_history.py --no-stdlib --cache /tmp/vetpy-history
    python scripts/build_history.py --rewrite            # re-serialise the shipped data, read no release

What it records, per library and per release (the newest patch of every minor release since the
start version given in PACKAGES, and Python 3.8 to the newest interpreter found):
  * module members (``pandas.DataFrame``, ``numpy.float_``), class members (``DataFrame.append``)
    and the keyword parameters of functions and methods;
  * deprecation texts: ``warnings.warn(..., DeprecationWarning | PendingDeprecationWarning |
    FutureWarning)`` in a function's body, ``.. deprecated::`` in its docstring, a decorator named
    ``deprecated`` (PEP 702, scikit-learn), and dictionaries of expired names
    (``numpy.__expired_attributes__``, ``__former_attrs__``).
The shipped file keeps only the *transitions* between consecutive releases ("+3.12": added in
3.12, "-2.0": removed in 2.0) and the deprecation text of the last release before each removal,
so it stays small.  Which releases were read is written into the file.

The standard library is read by running each interpreter (``/root/.pyenv/versions/3.*`` or
``--python PATH``) on this same file with ``--introspect-stdlib``: C modules (``itertools``) have
no source to read, so there ``dir()`` and ``inspect.signature`` give the members, and the module's
source (where there is one) gives the deprecation texts.  Packages are read statically: their
wheels are downloaded with ``pip download --no-deps`` (never installed, never imported) and their
``.py``/``.pyi`` files parsed with ``ast``.  Every release read is cached as JSON in ``--cache``.

This file must stay valid Python 3.8 (it runs inside the old interpreters).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
import zlib
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

# import name -> (distribution, first release to read, every Nth minor release).  Every package is
# read at every minor release (N = 1; until 2026-12-05 fast-moving projects had N up to 10, which
# dated a change at the next release read).  The 50 most used packages are the goal; the list grows
# by adding lines here.
PACKAGES: Dict[str, Tuple[str, str, int]] = {
    "pandas": ("pandas", "1.2", 1),
    "numpy": ("numpy", "1.20", 1),
    "sqlalchemy": ("SQLAlchemy", "1.3", 1),
    "pydantic": ("pydantic", "1.8", 1),
    "flask": ("Flask", "1.1", 1),
    "werkzeug": ("Werkzeug", "1.0", 1),
    "requests": ("requests", "2.25", 1),
    "httpx": ("httpx", "0.18", 1),
    "django": ("Django", "3.2", 1),
    "fastapi": ("fastapi", "0.65", 1),
    "starlette": ("starlette", "0.14", 1),
    "sklearn": ("scikit-learn", "0.24", 1),
    "matplotlib": ("matplotlib", "3.4", 1),
    "pytest": ("pytest", "6.2", 1),
    "click": ("click", "7.1", 1),
    "openai": ("openai", "0.27", 1),
    "jinja2": ("Jinja2", "2.11", 1),
    "aiohttp": ("aiohttp", "3.7", 1),
    "redis": ("redis", "3.5", 1),
    "celery": ("celery", "5.0", 1),
    "marshmallow": ("marshmallow", "3.10", 1),
    "attr": ("attrs", "20.3", 1),
    "rich": ("rich", "10.0", 1),
    "typer": ("typer", "0.3", 1),
    "tenacity": ("tenacity", "7.0", 1),
    "yaml": ("PyYAML", "5.4", 1),
    "bs4": ("beautifulsoup4", "4.9", 1),
    "seaborn": ("seaborn", "0.11", 1),
    "pymongo": ("pymongo", "3.11", 1),
    "alembic": ("alembic", "1.5", 1),
    "uvicorn": ("uvicorn", "0.13", 1),
    "websockets": ("websockets", "9.0", 1),
    "PIL": ("Pillow", "8.0", 1),
    "urllib3": ("urllib3", "1.26", 1),
    "tqdm": ("tqdm", "4.55", 1),
    "dateutil": ("python-dateutil", "2.8", 1),
    "networkx": ("networkx", "2.5", 1),
    "scipy": ("scipy", "1.6", 1),
    "jwt": ("PyJWT", "1.7", 1),
    "dotenv": ("python-dotenv", "0.15", 1),
    "cryptography": ("cryptography", "3.3", 1),
    "packaging": ("packaging", "20.9", 1),
    "anthropic": ("anthropic", "0.3", 1),
    "langchain_core": ("langchain-core", "0.1", 1),
    "transformers": ("transformers", "4.10", 1),
    "boto3": ("boto3", "1.17", 1),
    "psycopg2": ("psycopg2-binary", "2.8", 1),
    "selenium": ("selenium", "3.141", 1),
    "streamlit": ("streamlit", "1.0", 1),
    "psutil": ("psutil", "5.8", 1),
}
# import name -> folders of the package not read: generated code whose modules come and go with every
# release and that no one writes by hand (one Chrome DevTools protocol binding per browser version)
SKIP_FOLDERS: Dict[str, Tuple[str, ...]] = {
    "selenium": ("selenium/webdriver/common/devtools/",),
}
STDLIB_FIRST = (3, 8)
DEPRECATION_CATEGORIES = {"DeprecationWarning", "PendingDeprecationWarning", "FutureWarning",
                          "RemovedInDjango40Warning", "RemovedInDjango41Warning", "RemovedInDjango50Warning",
                          "RemovedInDjango51Warning", "RemovedInDjango60Warning", "MatplotlibDeprecationWarning",
                          "SADeprecationWarning", "RemovedIn20Warning", "PydanticDeprecatedSince20"}
EXPIRED_TABLES = {"__expired_attributes__", "__former_attrs__", "__deprecated_attrs__"}
_SKIP_STDLIB = {"antigravity", "this", "idlelib", "turtledemo", "tkinter", "turtle", "test", "__main__",
                "pydoc_data", "lib2to3", "ensurepip", "venv", "xxlimited", "xxsubtype", "msilib", "winreg",
                "winsound", "_msi", "nt"}
_MAX_MESSAGE = 240
READER = 9  # bump when what is read from a package release changes: the cache keeps one file per reader version
STDLIB_READER = 8  # the same for the standard library


# -- deprecation texts (shared by the stdlib and the package readers) ---------------------------

def _string(node: Optional[ast.AST], local: Dict[str, ast.AST]) -> Optional[str]:
    """The text of a message expression: constants, concatenations, f-strings (``{x}`` stays),
    ``"..." % args`` / ``.format`` (the template), a local variable assigned a message."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                parts.append(v.value)
            elif isinstance(v, ast.FormattedValue):
                inner = v.value
                parts.append("{" + (inner.id if isinstance(inner, ast.Name) else
                                    inner.attr if isinstance(inner, ast.Attribute) else "...") + "}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left, local), _string(node.right, local)
        if left is not None and right is not None:
            return left + right
        return left if left is not None else right
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _string(node.left, local)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"):
        return _string(node.func.value, local)
    if isinstance(node, ast.Name) and node.id in local:
        return _string(local[node.id], {})
    return None


def _clean(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1].rstrip() + "…"


def _category(call: ast.Call) -> Optional[str]:
    cands = list(call.args[1:2]) + [k.value for k in call.keywords if k.arg == "category"]
    for c in cands:
        name = c.id if isinstance(c, ast.Name) else c.attr if isinstance(c, ast.Attribute) else None
        if name:
            return name
    return None


def _is_stdlib_deprecated(call: ast.Call) -> bool:
    """``warnings._deprecated("locale.getdefaultlocale", "...", remove=(3, 15))`` (Python 3.11+)."""
    f = call.func
    return isinstance(f, ast.Attribute) and f.attr == "_deprecated" and isinstance(f.value, ast.Name) \
        and f.value.id in ("warnings", "_warnings")


def _stdlib_deprecated_text(call: ast.Call, local: Dict[str, ast.AST]) -> Optional[str]:
    name = _string(call.args[0] if call.args else None, local) or ""
    template = "{name!r} is deprecated and slated for removal in Python {remove}"  # warnings._DEPRECATED_MSG
    message = _string(call.args[1] if len(call.args) > 1 else None, local) or next(
        (_string(k.value, local) for k in call.keywords if k.arg == "message"), None) or template
    # pkgutil's f"{warnings._DEPRECATED_MSG}; use importlib.util.find_spec() instead" reads as "{_DEPRECATED_MSG}; ..."
    message = message.replace("{_DEPRECATED_MSG}", template)
    remove = next((k.value for k in call.keywords if k.arg == "remove"), None)
    version = ".".join(str(e.value) for e in remove.elts if isinstance(e, ast.Constant)) \
        if isinstance(remove, ast.Tuple) else "a future version"
    return message.replace("{name!r}", repr(name)).replace("{name}", name).replace("{remove}", version)


def _is_warn(call: ast.Call) -> bool:
    f = call.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return name in ("warn", "_warn", "warn_deprecated", "deprecation_warning", "warn_explicit")


def _is_helper(call: ast.Call) -> bool:
    """Pillow's ``deprecate("textsize", 10, "textbbox or textlength")`` (PIL/_deprecate.py): a call
    named ``deprecate`` whose second argument is the major release that removes it (or None)."""
    f = call.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    when = call.args[1] if len(call.args) > 1 else None
    return name == "deprecate" and isinstance(when, ast.Constant) and not isinstance(when.value, bool) \
        and (when.value is None or isinstance(when.value, int))


def _helper_text(call: ast.Call, render: Any) -> Optional[str]:
    """The text that helper warns with (its own template, the release date left out)."""
    what = render(call.args[0])
    if not what:
        return None
    kw = {k.arg: k.value for k in call.keywords}
    replacement = render(call.args[2]) if len(call.args) > 2 else render(kw["replacement"]) if "replacement" in kw else None
    action = render(kw["action"]) if "action" in kw else None
    plural = isinstance(kw.get("plural"), ast.Constant) and kw["plural"].value is True  # type: ignore[union-attr]
    when = call.args[1].value  # type: ignore[attr-defined]
    removed = "a future version" if when is None else f"version {when}"
    tail = f". Use {replacement} instead." if replacement else f". {action.rstrip('.')}." if action else ""
    return f"{what} {'are' if plural else 'is'} deprecated and will be removed in {removed}{tail}"


def function_deprecations(fn: ast.AST, nodes: Optional[List[ast.AST]] = None) -> Tuple[Optional[str], List[str], Optional[str]]:
    """(the message of an unconditional deprecation warning or decorator or docstring note,
    every deprecation message the body may give, the version a ``.. deprecated::`` names)."""
    local: Dict[str, ast.AST] = {}
    top: Optional[str] = None
    every: List[str] = []
    since: Optional[str] = None
    body = getattr(fn, "body", [])
    if any(isinstance(d, ast.Attribute) and d.attr in ("setter", "deleter") for d in getattr(fn, "decorator_list", [])):
        # `@shape.setter @deprecated("In-place shape modification ...")` (numpy 2.4's stubs): setting or
        # deleting the property is deprecated, reading it is not
        return None, [], None
    if nodes is None:
        nodes = list(ast.walk(fn))
    for stmt in nodes:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            local[stmt.targets[0].id] = stmt.value
    for dec in getattr(fn, "decorator_list", []):
        call = dec if isinstance(dec, ast.Call) else None
        target = call.func if call is not None else dec
        name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
        if name == "deprecated":
            text = None
            if call is not None:
                text = _string(call.args[0] if call.args else None, local) or next(
                    (_string(k.value, local) for k in call.keywords if k.arg in ("extra", "message", "reason")), None)
            top = _clean(text) if text else "deprecated"
            every.append(top)
    for stmt in nodes:
        if isinstance(stmt, ast.Call) and _is_stdlib_deprecated(stmt):
            text = _stdlib_deprecated_text(stmt, local)
        elif isinstance(stmt, ast.Call) and _is_warn(stmt) and _category(stmt) in DEPRECATION_CATEGORIES:
            text = _string(stmt.args[0] if stmt.args else None, local)
        elif isinstance(stmt, ast.Call) and _is_helper(stmt):
            text = _helper_text(stmt, lambda n: _string(n, local))
        else:
            continue
        if not text:
            continue
        text = _clean(text)
        every.append(text)
        if top is None and any(isinstance(s, ast.Expr) and s.value is stmt for s in body):
            top = text  # a statement of the body itself: every call warns
    doc = ast.get_docstring(fn) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
    if doc:
        # the function's own note: unindented, before the sections (a parameter's note is indented
        # under that parameter and says nothing about the function)
        head = re.split(r"^(?:Parameters|Returns|Args|Arguments|Keyword Arguments|Yields|Raises|Attributes|"
                        r"See Also|Notes|Examples|Other Parameters)\s*:?\s*$", doc, maxsplit=1, flags=re.M)[0]
        # the note's text may follow a blank line (pandas: ``.. deprecated:: 2.2.0``, blank, text)
        # (SQLAlchemy: ``.. deprecated:: 1.4  The and_() element ...`` on the directive's line)
        m = re.search(r"^\.\. deprecated::[ \t]*([\w.]+)?[ \t]*(.*)((?:\n[ \t]*(?=\n))*\n?(?:[ \t]+\S.*\n?)*)", head,
                      flags=re.M)
        if m:
            since = m.group(1)
            text = _clean(f"{m.group(2)} {m.group(3) or ''}".strip())
            if top is None and not _partial_note(text):
                top = text or "deprecated"
    return top, every, since


# a docstring note that deprecates a way of using the name, not the name: "Returning a tuple from a
# callable is deprecated" (pandas `iloc`), "creating the and_() construct with no arguments is
# deprecated" (SQLAlchemy `and_`), "Index notation (g.nth[n]) is deprecated" (pandas `nth`)
_PARTIAL = re.compile(r"\b(?:arguments?|parameters?|keywords?|flags?|passing|returning|with no|without|"
                      r"when called|behaviou?r|notation)\b", re.I)


def _partial_note(text: str) -> bool:
    return bool(_PARTIAL.search(text))


def deprecated_alias(node: ast.AST) -> Optional[Tuple[str, str]]:
    """``assertEquals = _deprecate(assertEqual)``: (the alias, its successor)."""
    if (isinstance(node, ast.Assign) and isinstance(node.targets[-1], ast.Name)
            and isinstance(node.value, ast.Call) and node.value.args and isinstance(node.value.args[0], ast.Name)):
        f = node.value.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if "deprecat" in name.lower():
            return node.targets[-1].id, node.value.args[0].id
    return None


def deprecated_aliases(node: ast.AST) -> List[Tuple[str, str]]:
    """Every alias of ``failUnlessEqual = assertEquals = _deprecate(assertEqual)``."""
    one = deprecated_alias(node)
    if one is None:
        return []
    return [(t.id, one[1]) for t in node.targets if isinstance(t, ast.Name)]  # type: ignore[attr-defined]


def expired_tables(tree: ast.Module) -> Dict[str, str]:
    """``__expired_attributes__ = {"float_": "Use np.float64 instead", ...}`` and look-alikes."""
    out: Dict[str, str] = {}
    for stmt in tree.body:
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id in EXPIRED_TABLES and isinstance(stmt.value, ast.Dict)):
            for k, v in zip(stmt.value.keys, stmt.value.values):
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    if isinstance(v, ast.Tuple) and v.elts:
                        v = v.elts[-1]
                    text = _string(v, {})
                    if text:
                        out[k.value] = _clean(text)
    return out


def _literal_names(node: Optional[ast.AST], tables: Dict[str, ast.AST], depth: int = 0) -> Dict[str, Optional[ast.AST]]:
    """The string constants of ``"X"``, ``("X", "Y")``, ``{"X", ...}``, ``{"X": value, ...}`` or a
    name assigned one of those -> the dictionary's value (None for the others)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value: None}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return {e.value: None for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    if isinstance(node, ast.Dict):
        return {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    if isinstance(node, ast.Name) and node.id in tables and depth < 3:
        return _literal_names(tables[node.id], tables, depth + 1)
    return {}


def served_names(fn: ast.AST, module_tables: Dict[str, ast.AST]) -> Dict[str, Optional[str]]:
    """The names a module's ``__getattr__(name)`` (PEP 562) returns a value for: the strings its
    parameter is compared with (``name == "X"``, ``name in ("X", "Y")``, ``name in table`` for a
    literal assigned in the function or the module) by an ``if`` whose branch returns.  A branch that
    only raises (NumPy's expired names) serves nothing.  -> name: the deprecation text the branch
    gives, with the name (and ``table[name]``) filled in; None when it gives none."""
    args = getattr(fn, "args", None)
    if args is None or not args.args:
        return {}
    param = args.args[0].arg
    tables = dict(module_tables)
    for stmt in ast.walk(fn):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            tables[stmt.targets[0].id] = stmt.value
    out: Dict[str, Optional[str]] = {}
    for node in ast.walk(fn):
        test = node.test if isinstance(node, ast.If) else None
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name)
                and test.left.id == param and isinstance(test.ops[0], (ast.Eq, ast.In))):
            continue
        target = test.comparators[0]
        names = _literal_names(target, tables) if isinstance(test.ops[0], ast.In) else (
            _literal_names(target, {}) if isinstance(target, ast.Constant) else {})
        branch = [n for s in node.body for n in ast.walk(s)]  # type: ignore[union-attr]
        if not names or not any(isinstance(n, ast.Return) for n in branch):
            continue
        table = _literal_names(target, tables) if isinstance(target, ast.Name) else {}
        for served in names:
            text = None
            def render(n: ast.AST, served: str = served) -> Optional[str]:
                return _served_text(n, param, served, table.get(served), tables)
            for call in branch:
                if isinstance(call, ast.Call) and _is_warn(call) and _category(call) in DEPRECATION_CATEGORIES and call.args:
                    text = render(call.args[0])
                    break
                if isinstance(call, ast.Call) and _is_helper(call):
                    text = _helper_text(call, render)
                    break
            out.setdefault(served, _clean(text) if text else None)
    return out


def _served_text(node: ast.AST, param: str, served: str, value: Optional[ast.AST], tables: Dict[str, ast.AST]) -> Optional[str]:
    """A warning's text for one served name: ``{name}`` and ``{table[name]}`` filled in."""
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            inner = v.value if isinstance(v, ast.FormattedValue) else None
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                parts.append(v.value)
            elif isinstance(inner, ast.Name) and inner.id == param:
                parts.append(served)
            elif (isinstance(inner, ast.Subscript) and isinstance(value, ast.Constant) and isinstance(value.value, str)
                  and isinstance(inner.value, ast.Name) and inner.value.id in tables):
                parts.append(value.value)
            else:
                return _string(node, {})
        return "".join(parts)
    if isinstance(node, ast.Name) and node.id == param:
        return served
    return _string(node, {})


# -- the standard library: run inside each interpreter -------------------------------------------
# -- the standard library: run inside each interpreter -------------------------------------------

def introspect_stdlib() -> Dict[str, Any]:  # pragma: no cover - runs in the old interpreters
    import importlib
    import inspect
    import pkgutil
    import warnings

    warnings.simplefilter("ignore")
    names = set(getattr(sys, "stdlib_module_names", ()))
    if not names:
        import sysconfig
        lib = sysconfig.get_paths()["stdlib"]
        names = {m.name for m in pkgutil.iter_modules([lib])} | set(sys.builtin_module_names)
        dyn = os.path.join(lib, "lib-dynload")
        names |= {m.name for m in pkgutil.iter_modules([dyn])}
    tops = sorted(n for n in names if not n.startswith("_") and n not in _SKIP_STDLIB)
    modules: Dict[str, Any] = {}
    classes: Dict[str, Any] = {}
    functions: Dict[str, Any] = {}
    messages: Dict[str, str] = {}
    class_origin: Dict[str, str] = {}
    ambiguous: Set[str] = set()
    extra_kw: Dict[str, List[str]] = {}
    defined: Dict[str, str] = {}
    aliases: Dict[str, str] = {}
    ancestors: Dict[str, List[str]] = {}

    def params(obj: Any) -> Optional[List[Any]]:
        try:
            sig = inspect.signature(obj)
        except Exception:
            return None
        named = [p.name for p in sig.parameters.values() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        varkw = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
        return [named, varkw]

    def source_deprecations(mod: Any, modname: str) -> None:
        path = getattr(mod, "__file__", None)
        if "." not in modname:  # the pure-Python twin of a C module (`_pydatetime` of `datetime`)
            try:
                import importlib.util
                twin = importlib.util.find_spec("_py" + modname)
            except (ImportError, ValueError):
                twin = None
            if twin is not None and twin.origin and twin.origin.endswith(".py"):
                read_source(twin.origin, modname)
        if path and path.endswith(".py"):
            read_source(path, modname)

    def read_source(path: str, modname: str) -> None:
        try:
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read())
        except (OSError, SyntaxError, ValueError):
            return
        top = modname.split(".")[0]

        def visit(body: List[ast.stmt], prefix: str, in_class: bool) -> None:
            for node in body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    key = f"{top}:{prefix}{node.name}" if in_class else f"{modname}.{node.name}"
                    first, every, _since = function_deprecations(node)
                    if first:
                        messages.setdefault(key, first)
                    consumed = _consumed_keywords(node)
                    if consumed:
                        extra_kw.setdefault(key, consumed)
                    for p in _param_names(node):
                        hit = next((m for m in every if re.search(r"\b%s\b" % re.escape(p), m)), None)
                        if hit:
                            messages.setdefault(f"{key}({p})", hit)
                elif isinstance(node, ast.ClassDef):
                    visit(node.body, f"{prefix}{node.name}.", True)
                elif in_class and deprecated_alias(node):
                    for alias, successor in deprecated_aliases(node):
                        messages.setdefault(f"{top}:{prefix}{alias}", f"use {successor} instead")
                elif isinstance(node, (ast.If, ast.Try)):
                    visit(node.body, prefix, in_class)
                    visit(getattr(node, "orelse", []), prefix, in_class)

        visit(tree.body, "", False)

    todo = list(tops)
    seen: Set[str] = set()
    while todo:
        modname = todo.pop()
        if modname in seen:
            continue
        seen.add(modname)
        try:
            mod = importlib.import_module(modname)
        except BaseException:
            continue
        if hasattr(mod, "__path__") and modname.count(".") < 2:
            for info in pkgutil.iter_modules(mod.__path__):
                if not info.name.startswith("_") and info.name not in ("test", "tests", "idle_test"):
                    todo.append(f"{modname}.{info.name}")
        top = modname.split(".")[0]
        public = sorted(n for n in dir(mod) if not n.startswith("_"))
        modules[modname] = public
        source_deprecations(mod, modname)
        for n in public:
            try:
                obj = getattr(mod, n)
            except BaseException:
                continue
            if inspect.isclass(obj):
                origin = getattr(obj, "__module__", "") or ""
                if origin.split(".")[0] != top and not (origin.startswith("_") and origin.lstrip("_").split(".")[0] == top):
                    if not origin.startswith("_"):
                        continue
                key = f"{top}:{obj.__qualname__}"
                ident = f"{origin}.{obj.__qualname__}"
                if class_origin.setdefault(key, ident) != ident:
                    ambiguous.add(key)
                    continue
                if key in classes:
                    continue
                members = sorted(m for m in dir(obj) if not m.startswith("_"))
                classes[key] = members
                defined[key] = origin
                ancestors[key] = [f"{c.__module__.split('.')[0]}:{c.__qualname__}" for c in obj.__mro__[1:]
                                  if c.__module__.split(".")[0] == top]
                for m in members:
                    try:
                        attr = inspect.getattr_static(obj, m)
                    except AttributeError:
                        continue
                    if isinstance(attr, (staticmethod, classmethod)):
                        attr = attr.__func__
                    if callable(attr) and not inspect.isclass(attr):
                        p = params(attr)
                        if p is not None:
                            functions[f"{key}.{m}"] = p
            elif callable(obj) and not inspect.isclass(obj):
                p = params(obj)
                if p is not None:
                    functions[f"{modname}.{n}"] = p
                    home, qual = getattr(obj, "__module__", None), getattr(obj, "__qualname__", "")
                    if home and home != modname and qual and "." not in qual:
                        aliases[f"{modname}.{n}"] = f"{home}.{qual}"
    served_by_getattr(modules, messages)
    for key in ambiguous:
        classes.pop(key, None)
    for key, target in aliases.items():
        if target in extra_kw:
            extra_kw.setdefault(key, extra_kw[target])
    inherit_messages(messages, aliases, ancestors, classes)
    for key, consumed in extra_kw.items():
        if key in functions and functions[key][1]:
            functions[key][0] += [k for k in consumed if k not in functions[key][0]]
    return {"version": "%d.%d.%d" % sys.version_info[:3], "modules": modules, "classes": classes,
            "functions": functions, "messages": messages, "ambiguous": sorted(ambiguous), "defined": defined}


def served_by_getattr(modules: Dict[str, List[str]], messages: Dict[str, str]) -> None:  # pragma: no cover
    """Names a module serves only through a module-level ``__getattr__`` (PEP 562), which
    ``dir()`` does not list: ``collections.Mapping`` on 3.8 and 3.9 (with "Using or importing the
    ABCs from 'collections' ... in 3.10 it will stop working"), Python 3.14's deprecated
    ``asyncio.DefaultEventLoopPolicy``.  Left out, such a name reads as absent from the releases
    that still serve it (removed too early, or never there).  The candidates are the public names
    of every module read; a module that answers a made-up name serves anything and is left out.
    The warning the access gives becomes the name's deprecation text."""
    import warnings

    candidates = sorted({n for names in modules.values() for n in names})
    for modname in sorted(modules):
        mod = sys.modules.get(modname)
        if mod is None or not callable(getattr(mod, "__dict__", {}).get("__getattr__")):
            continue
        try:
            getattr(mod, "vetpy_no_such_name_0d5e")
            continue  # answers anything
        except BaseException:
            pass
        listed = set(modules[modname])
        for n in sorted(set(candidates) | _source_names(getattr(mod, "__file__", None))):
            if n in listed:
                continue
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    value = getattr(mod, n)
                except BaseException:
                    continue
            if getattr(value, "__name__", None) == f"{modname}.{n}":
                continue  # a submodule: an attribute once anything imported it
            listed.add(n)
            text = next((str(w.message) for w in caught if issubclass(w.category, (
                DeprecationWarning, PendingDeprecationWarning, FutureWarning))), None)
            if text:
                messages.setdefault(f"{modname}.{n}", _clean(text))
        modules[modname] = sorted(listed)


def _source_names(path: Optional[str]) -> Set[str]:
    """The public identifiers spelt as strings in a module's source: what its ``__getattr__``
    may match (Python 3.14's asyncio: ``case "DefaultEventLoopPolicy":``, a name no module lists)."""
    if not path or not path.endswith(".py"):
        return set()
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return set()
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and n.value.isidentifier() and not n.value.startswith("_")}


def _param_names(fn: ast.AST, nodes: Optional[List[ast.AST]] = None) -> List[str]:
    a = fn.args  # type: ignore[attr-defined]
    return [x.arg for x in list(a.args) + list(a.kwonlyargs)] + _consumed_keywords(fn, nodes)


def _consumed_keywords(fn: ast.AST, nodes: Optional[List[ast.AST]] = None) -> List[str]:
    """Keywords a function reads out of its ``**kwargs`` by name (``"encoding" in kw``,
    ``kw.pop("encoding")``, ``kwargs.get("x")``, ``kwargs["x"]``): it accepts them."""
    kwarg = getattr(getattr(fn, "args", None), "kwarg", None)
    if kwarg is None:
        return []
    name = kwarg.arg
    found: List[str] = []

    def is_kw(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == name

    for n in nodes if nodes is not None else ast.walk(fn):
        key = None
        if (isinstance(n, ast.Compare) and len(n.ops) == 1 and isinstance(n.ops[0], (ast.In, ast.NotIn))
                and is_kw(n.comparators[0])):
            key = n.left
        elif (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("pop", "get")
              and is_kw(n.func.value) and n.args):
            key = n.args[0]
        elif isinstance(n, ast.Subscript) and is_kw(n.value):
            key = n.slice if not isinstance(n.slice, ast.Index) else n.slice.value  # type: ignore[attr-defined]
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.isidentifier():
            if key.value not in found:
                found.append(key.value)
    return found


# -- packages: read a wheel statically ------------------------------------------------------------

class _Module:
    def __init__(self, name: str, tree: ast.Module, is_package: bool, warns: bool = True) -> None:
        self.name = name
        self.warns = warns  # the source mentions warnings or deprecation at all
        self.is_package = is_package
        self.defs: Dict[str, Tuple[str, Any]] = {}  # name -> ("class"|"func"|"var"|"import"|"module", data)
        self.stars: List[str] = []
        self.all: Optional[List[str]] = None
        self.messages: Dict[str, str] = {}  # "name" / "Class.name" / "func(kw)" -> deprecation text
        self.expired = expired_tables(tree)
        self.tables: Dict[str, ast.AST] = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign)
                                           for t in n.targets if isinstance(t, ast.Name)}
        self.served: Dict[str, Optional[str]] = {}  # names the module's __getattr__ returns (PEP 562)
        self._read(tree.body)
        for n, text in self.served.items():
            self.defs.setdefault(n, ("var", None))
            if text and self.warns:
                self.messages.setdefault(n, text)

    def _resolve_relative(self, module: Optional[str], level: int) -> str:
        if not level:
            return module or ""
        base = self.name.split(".")
        if not self.is_package:
            base = base[:-1]
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join(base + ([module] if module else []))

    def _read(self, body: List[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nodes = list(ast.walk(node))
                self.defs[node.name] = ("func", _signature(node, nodes))
                self._deprecations(node, node.name, nodes)
                if node.name == "__getattr__":
                    self.served = served_names(node, self.tables)
            elif isinstance(node, ast.ClassDef):
                self.defs[node.name] = ("class", self._class(node, node.name))
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    for n in _bound_names(t):  # `Engine._cls = x` binds nothing called Engine
                        if n.id == "__all__":
                            self._all(node)
                        elif not isinstance(node, ast.AugAssign):
                            self.defs[n.id] = ("var", None)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        self.defs[a.asname] = ("module", a.name)
                    else:
                        self.defs[a.name.split(".")[0]] = ("module", a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                src = self._resolve_relative(node.module, node.level)
                for a in node.names:
                    if a.name == "*":
                        self.stars.append(src)
                    else:
                        self.defs[a.asname or a.name] = ("import", (src, a.name))
            elif isinstance(node, (ast.If, ast.Try)) or type(node).__name__ == "TryStar":
                self._read(node.body)
                self._read(getattr(node, "orelse", []))
                for h in getattr(node, "handlers", []):
                    self._read(h.body)
                self._read(getattr(node, "finalbody", []))

    def _all(self, node: ast.stmt) -> None:
        value = getattr(node, "value", None)
        if isinstance(value, (ast.List, ast.Tuple)):
            names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if isinstance(node, ast.AugAssign) and self.all is not None:
                self.all.extend(names)
            elif not isinstance(node, ast.AugAssign):
                self.all = names

    def _deprecations(self, fn: ast.AST, key: str, nodes: Optional[List[ast.AST]] = None) -> None:
        if not self.warns:
            return
        first, every, since = function_deprecations(fn, nodes)
        if first:
            self.messages[key] = first + (f" [since {since}]" if since else "")
        for p in _param_names(fn, nodes) if every and not isinstance(fn, ast.ClassDef) else []:
            hit = next((m for m in every if re.search(r"\b%s\b" % re.escape(p), m)), None)
            if hit:
                self.messages[f"{key}({p})"] = hit

    def _class(self, node: ast.ClassDef, qual: str) -> Dict[str, Any]:
        members: Dict[str, Any] = {}
        first, _every, since = function_deprecations(node, node.body) if self.warns else (None, [], None)
        if first:
            self.messages[qual] = first + (f" [since {since}]" if since else "")

        def body(stmts: List[ast.stmt]) -> None:
            for s in stmts:
                if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    nodes = list(ast.walk(s))
                    members[s.name] = _signature(s, nodes)
                    self._deprecations(s, f"{qual}.{s.name}", nodes)
                    for n in nodes:  # self.x = ... : instance attributes
                        if (isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)
                                and isinstance(n.value, ast.Name) and n.value.id == "self"):
                            members.setdefault(n.attr, None)
                elif isinstance(s, ast.ClassDef):
                    members[s.name] = None
                elif isinstance(s, (ast.Assign, ast.AnnAssign)):
                    for alias, successor in deprecated_aliases(s):
                        self.messages.setdefault(f"{qual}.{alias}", f"use {successor} instead")
                    for t in (s.targets if isinstance(s, ast.Assign) else [s.target]):
                        for n in _bound_names(t):
                            members.setdefault(n.id, None)
                elif isinstance(s, (ast.If, ast.Try)):
                    body(s.body)
                    body(getattr(s, "orelse", []))
                    for h in getattr(s, "handlers", []):
                        body(h.body)

        body(node.body)
        bases = [_dotted(b) for b in node.bases]
        open_ = any(b is None for b in bases) or bool(node.keywords)  # computed bases, metaclasses
        return {"members": members, "bases": [b for b in bases if b], "open": open_, "name": qual}


def _bound_names(target: ast.AST) -> List[ast.Name]:
    """The names an assignment target binds: ``a``, ``a, (b, *c)``; not ``a.x`` or ``a[i]``."""
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _bound_names(e)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def _mentions_deprecation(text: str) -> bool:
    return "warn" in text or "deprecat" in text or "__expired" in text or "__former" in text


def inherit_messages(messages: Dict[str, str], aliases: Dict[str, str], ancestors: Dict[str, List[str]],
                     classes: Dict[str, List[str]]) -> None:
    """A re-exported function speaks with its definition's words (``asyncio.gather`` with
    ``asyncio.tasks.gather``'s); a method a class overrides or inherits with its nearest
    ancestor's (``DataFrame.fillna`` calls ``NDFrame.fillna``, which warns)."""
    by_owner: Dict[str, List[Tuple[str, str]]] = {}
    for key, text in messages.items():
        owner, _, rest = key.partition("(")[0].rpartition(".")
        suffix = key[len(owner) + 1:]
        by_owner.setdefault(owner, []).append((suffix, text))
    for alias, target in aliases.items():
        owner, _, name = target.rpartition(".")
        for suffix, text in by_owner.get(owner, []):
            if suffix == name or suffix.startswith(name + "("):
                messages.setdefault(f"{alias.rpartition('.')[0]}.{suffix}", text)
    for cls, chain in ancestors.items():
        members = set(classes.get(cls, ()))
        for ancestor in chain:
            for suffix, text in by_owner.get(ancestor, []):
                if suffix.partition("(")[0] in members:
                    messages.setdefault(f"{cls}.{suffix}", text)


def _dotted(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    if isinstance(node, ast.Subscript):  # Generic[T], Base[int]
        return _dotted(node.value)
    return None


def _signature(fn: ast.AST, nodes: Optional[List[ast.AST]] = None) -> List[Any]:
    a = fn.args  # type: ignore[attr-defined]
    named = [x.arg for x in list(a.args) + list(a.kwonlyargs)]
    if named and named[0] in ("self", "cls"):
        named = named[1:]
    return [named + [k for k in _consumed_keywords(fn, nodes) if k not in named], a.kwarg is not None]


class _Release:
    """The namespace of one release of a package, from its source files."""

    def __init__(self, files: Dict[str, str], top: str) -> None:
        self.top = top
        self.modules: Dict[str, _Module] = {}
        stubs = {p[:-1] for p in files if p.endswith(".pyi")}
        for path, text in files.items():
            if path.endswith(".py") and path in stubs:
                continue  # the stub declares the namespace; the source still gives messages below
            name = path.rsplit(".", 1)[0].replace("/", ".")
            is_package = name.endswith(".__init__")
            if is_package:
                name = name[: -len(".__init__")]
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            self.modules[name] = _Module(name, tree, is_package, _mentions_deprecation(text))
        for path in stubs:  # deprecation texts of modules that ship a stub live in the .py
            if path in files:
                name = path.rsplit(".", 1)[0].replace("/", ".")
                name = name[: -len(".__init__")] if name.endswith(".__init__") else name
                try:
                    tree = ast.parse(files[path])
                except (SyntaxError, ValueError):
                    continue
                src = _Module(name, tree, path.endswith("__init__.py"), _mentions_deprecation(files[path]))
                mod = self.modules.get(name)
                if mod is not None:
                    for k, v in src.messages.items():
                        mod.messages.setdefault(k, v)
                    mod.expired.update(src.expired)
        self._ns: Dict[str, Dict[str, Tuple[str, Any]]] = {}

    def namespace(self, modname: str, depth: int = 0) -> Dict[str, Tuple[str, Any]]:
        if modname in self._ns:
            return self._ns[modname]
        mod = self.modules.get(modname)
        if mod is None or depth > 30:
            return {}
        self._ns[modname] = {}  # cycles
        ns: Dict[str, Tuple[str, Any]] = {}
        for star in mod.stars:
            src = self.modules.get(star)
            inner = self.namespace(star, depth + 1)
            allowed = src.all if src is not None and src.all is not None else [n for n in inner if not n.startswith("_")]
            for n in allowed:
                if n in inner:
                    ns[n] = inner[n]
                else:
                    ns[n] = ("var", None)
        ns.update(mod.defs)
        if mod.is_package:  # submodules are attributes once imported; list them as names
            prefix = modname + "."
            for other in self.modules:
                if other.startswith(prefix) and "." not in other[len(prefix):]:
                    ns.setdefault(other[len(prefix):], ("module", other))
        self._ns[modname] = ns
        return ns

    def definition(self, modname: str, name: str, depth: int = 0) -> Tuple[str, Any, str]:
        """(kind, data, defining module) of ``modname.name``, following imports in the package."""
        entry = self.namespace(modname).get(name)
        if entry is None or depth > 20:
            return ("missing", None, modname)
        kind, data = entry
        if kind == "import":
            src, orig = data
            if src in self.modules:
                found = self.definition(src, orig, depth + 1)
                if found[0] == "missing" and f"{src}.{orig}" in self.modules:
                    return ("module", f"{src}.{orig}", src)
                return found
            if f"{src}.{orig}" in self.modules:
                return ("module", f"{src}.{orig}", src)
            return ("external", data, modname)
        return (kind, data, modname)

    def class_members(self, modname: str, info: Dict[str, Any], depth: int = 0,
                      chain: Optional[List[str]] = None) -> Optional[Dict[str, Any]]:
        """Own and inherited members (bases inside the package); None when a base is unknown.
        ``chain`` collects the names of the class and its ancestors, nearest first."""
        members = dict(info["members"])
        if depth > 15:
            return None
        if chain is not None:
            chain.append(info.get("name", ""))
        for base in info["bases"]:
            head, _, rest = base.partition(".")
            kind, data, where = self.definition(modname, head)
            for part in rest.split(".") if rest else []:
                if kind == "module":
                    kind, data, where = self.definition(data, part)
                else:
                    kind = "missing"
            if kind == "class":
                inherited = self.class_members(where, data, depth + 1, chain)
                if inherited is None:
                    return None
                for k, v in inherited.items():
                    members.setdefault(k, v)
            elif kind == "external" and data[0].split(".")[0] in ("typing", "typing_extensions", "abc", "enum",
                                                                   "collections", "builtins"):
                continue
            elif base not in ("object", "Exception", "ValueError", "TypeError", "KeyError", "Generic", "Protocol",
                              "dict", "list", "str", "int", "tuple", "ABC", "Enum", "IntEnum", "NamedTuple",
                              "RuntimeError", "Warning", "UserWarning", "DeprecationWarning", "AttributeError",
                              "LookupError", "IndexError", "OSError", "IOError", "set", "frozenset", "bytes",
                              "float", "type", "BaseException", "NotImplementedError", "ImportError"):
                members["\0open"] = None  # a base from another package: its members are unknown here
        return members

    def extract(self) -> Dict[str, Any]:
        modules: Dict[str, List[str]] = {}
        classes: Dict[str, Any] = {}
        functions: Dict[str, Any] = {}
        messages: Dict[str, str] = {}
        origin: Dict[str, str] = {}
        ambiguous: Set[str] = set()
        open_: Set[str] = set()
        candidates: Dict[str, List[Tuple[str, Any]]] = {}
        defined: Dict[str, str] = {}
        ancestry: Dict[str, List[str]] = {}
        aliases: Dict[str, str] = {}  # a function's path in a public module -> where it is defined
        for modname, mod in sorted(self.modules.items()):
            parts = modname.split(".")
            if any(p in ("tests", "test", "testing", "conftest") for p in parts[1:]):
                continue
            public_module = not any(p.startswith("_") for p in parts[1:])
            ns = self.namespace(modname)
            if public_module:
                modules[modname] = sorted(n for n in ns if not n.startswith("_"))
                for n in modules[modname]:
                    kind, data, where = self.definition(modname, n)
                    if kind == "func":
                        functions[f"{modname}.{n}"] = data
                        if where != modname:
                            aliases[f"{modname}.{n}"] = f"{where}.{n}"
            for k, v in mod.expired.items():  # also in a private module (numpy._expired_attrs_2_0)
                messages.setdefault(f"{modname}.{k}", v)
            for key, text in mod.messages.items():
                if "." in key.split("(")[0]:
                    messages.setdefault(f"{self.top}:{key}", text)
                    messages.setdefault(f"{self.top}:{modname}.{key}", text)
                else:
                    messages.setdefault(f"{modname}.{key}", text)
            for n, (kind, data) in mod.defs.items():
                if kind == "class" and not n.startswith("_"):
                    candidates.setdefault(n, []).append((modname, data))
        for n, defs in sorted(candidates.items()):
            for modname, data in defs:  # every class also under its full path (two may share a name)
                full = f"{self.top}:{modname}.{n}"
                members = self.class_members(modname, data)
                if members is None:
                    continue
                if "\0open" in members or data["open"]:
                    open_.add(full)
                classes[full] = sorted(m for m in members if not m.startswith("_"))
                defined[full] = modname
                for m, sig in members.items():
                    if sig is not None and not m.startswith("_"):
                        functions[f"{full}.{m}"] = sig
            key = f"{self.top}:{n}"
            if len(defs) > 1:  # two classes of one name: the one the package exports at its top wins
                kind, data, where = self.definition(self.top, n)
                defs = [d for d in defs if kind == "class" and d[0] == where]
                if len(defs) != 1:
                    ambiguous.add(key)
                    continue
            modname, data = defs[0]
            chain: List[str] = []
            members = self.class_members(modname, data, chain=chain)
            ancestry[key] = chain
            if members is None:
                ambiguous.add(key)
                continue
            if "\0open" in members or data["open"]:
                open_.add(key)  # inherited members not all known: what it gains is not claimed
            classes[key] = sorted(m for m in members if not m.startswith("_"))
            defined[key] = modname
            for m, sig in members.items():
                if sig is not None and not m.startswith("_"):
                    functions[f"{key}.{m}"] = sig
        for key in ambiguous:
            classes.pop(key, None)
            for f in [f for f in functions if f.startswith(key + ".")]:
                del functions[f]
        inherit_messages(messages, aliases, {k: [f"{self.top}:{a}" for a in chain[1:]] for k, chain in ancestry.items()},
                         classes)
        return {"modules": modules, "classes": classes, "functions": functions, "messages": messages,
                "ambiguous": sorted(ambiguous), "open": sorted(open_ - ambiguous), "defined": defined}


def read_wheel(path: str, top: str) -> Dict[str, Any]:
    files: Dict[str, str] = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            if (parts[0] == top and name.endswith((".py", ".pyi"))
                    and not name.startswith(SKIP_FOLDERS.get(top, ()))
                    and not any(p in ("tests", "test", "testing") for p in parts[1:-1])
                    and not parts[-1].startswith(("test_", "conftest"))):
                files[name] = zf.read(name).decode("utf-8", "replace")
    return _Release(files, top).extract()


# -- releases ---------------------------------------------------------------------------------------

def _vkey(v: str) -> Tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def minor_releases(dist: str, first: str, step: int) -> List[str]:
    """The newest final patch of every minor release from ``first`` on (every ``step``-th minor)."""
    out = subprocess.run([sys.executable, "-m", "pip", "index", "versions", dist], capture_output=True, text=True,
                         check=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("Available versions:")), None)
    if line is None:
        raise SystemExit(f"pip index versions {dist}: no 'Available versions:' line in its output")
    versions = [v.strip() for v in line.split(":", 1)[1].split(",")]
    finals = [v for v in versions if re.fullmatch(r"\d+(\.\d+)*", v)]
    newest: Dict[Tuple[int, int], str] = {}
    for v in finals:
        k = _vkey(v)
        minor = (k[0], k[1] if len(k) > 1 else 0)
        if minor >= _vkey(first)[:2] and (minor not in newest or _vkey(newest[minor]) < k):
            newest[minor] = v
    minors = sorted(newest)
    if step > 1:
        keep = set(minors[::step]) | {minors[-1]}
        # a new major's first minor is where removals happen: always read it
        keep |= {m for i, m in enumerate(minors) if i and minors[i - 1][0] != m[0]}
        minors = [m for m in minors if m in keep]
    return [newest[m] for m in minors]


def download(dist: str, version: str, dest: str) -> Optional[str]:
    platforms = [arg for tag in ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_24_x86_64",
                                 "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux2010_x86_64",
                                 "manylinux1_x86_64", "any") for arg in ("--platform", tag)]
    for pyver in ("3.12", "3.11", "3.10", "3.9", "3.8", "3.7"):
        before = set(os.listdir(dest))
        r = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                            *platforms, "--python-version", pyver, "--implementation", "cp",
                            f"{dist}=={version}", "-d", dest], capture_output=True, text=True,
                           env={**os.environ, "PIP_CONSTRAINT": ""})
        new = [f for f in set(os.listdir(dest)) - before if f.endswith(".whl")]
        if r.returncode == 0:
            norm = re.sub(r"[-_.]+", "_", dist).lower()
            found = new or [f for f in os.listdir(dest)
                            if f.lower().startswith(f"{norm}-{version}-") and f.endswith(".whl")]
            if found:
                return os.path.join(dest, found[0])
    return None


# -- transitions ------------------------------------------------------------------------------------

def label(version: str, minor_only: bool = True) -> str:
    k = _vkey(version)
    return f"{k[0]}.{k[1] if len(k) > 1 else 0}" if minor_only else version


def transitions(snapshots: List[Tuple[str, Dict[str, Any]]]) -> Dict[str, Any]:
    """Members, classes' members and keywords that appear or disappear between consecutive releases."""
    members: Dict[str, List[str]] = {}
    keywords: Dict[str, Dict[str, List[str]]] = {}
    messages: Dict[str, Any] = {}

    def note(table: Dict[str, List[str]], key: str, event: str) -> None:
        table.setdefault(key, []).append(event)

    def names(snap: Dict[str, Any]) -> Tuple[Dict[str, Set[str]], Set[str]]:
        out: Dict[str, Set[str]] = {}
        for mod, ns in snap["modules"].items():
            out[mod] = set(ns)
        for cls, ns in snap["classes"].items():
            out[cls] = set(ns)
        return out, set(snap.get("ambiguous", ()))

    for (old_v, old), (new_v, new) in zip(snapshots, snapshots[1:]):
        old_ns, old_amb = names(old)
        old_open = set(old.get("open", ()))
        new_ns, new_amb = names(new)
        tag = label(new_v)
        for owner in set(old_ns) & set(new_ns):
            if owner in old_amb or owner in new_amb:
                continue
            for n in old_ns[owner] - new_ns[owner]:
                key = f"{owner}.{n}"
                note(members, key, "-" + tag)
                # the last release's warning (a re-exported function's, where it is defined), else the
                # removing release's own table of expired names (NumPy 2's
                # `numpy._expired_attrs_2_0.__expired_attributes__`)
                src = key if key in old["messages"] else _defining_key(old, owner, n) or key
                text = old["messages"].get(src) or _expired_message(new, owner, n)
                since = _since(snapshots, src, old_v)
                if text or since:
                    messages[key] = [since, text]
            if owner in old_open:
                continue  # an unknown base of the old release may have had the "new" names
            for n in new_ns[owner] - old_ns[owner]:
                note(members, f"{owner}.{n}", "+" + tag)
        for fn in set(old["functions"]) & set(new["functions"]):
            (old_p, _old_kw), (new_p, new_kw) = old["functions"][fn], new["functions"][fn]
            for p in set(old_p) - set(new_p):
                keywords.setdefault(fn, {}).setdefault(p, []).append("-" + tag)
                key = f"{fn}({p})"
                text = old["messages"].get(key)
                since = _since(snapshots, key, old_v)
                if text or since:
                    messages[key] = [since, text]
            if _old_kw:
                continue  # the old signature took **kwargs: a "new" keyword may have been accepted before
            for p in set(new_p) - set(old_p):
                keywords.setdefault(fn, {}).setdefault(p, []).append("+" + tag)
    classes: Dict[str, str] = {}
    for _v, snap in snapshots:
        classes.update(snap.get("defined", {}))
    out = {"members": members, "keywords": keywords, "messages": messages, "classes": classes,
           "deprecated": deprecations(snapshots)}
    return _without_repeats(out)


def _without_repeats(out: Dict[str, Any]) -> Dict[str, Any]:
    """A class is recorded under ``top:Name`` and under ``top:module.Name``; keep an entry of the
    full path only where it says something the short one does not (the short one is another class,
    or ambiguous), so that the file stays small.  Look-ups try the full path first."""
    classes = out["classes"]
    short_of: Dict[str, str] = {}
    for key, module in classes.items():
        top, _, rest = key.partition(":")
        if "." in rest:
            short = f"{top}:{rest.rpartition('.')[2]}"
            if classes.get(short) == module:
                short_of[key] = short
    kept: Set[str] = set()
    for table in ("members", "keywords", "messages", "deprecated"):
        entries = out[table]
        for key in list(entries):
            owner = key.split("(")[0].rpartition(".")[0]
            if owner in short_of:
                twin = short_of[owner] + key[len(owner):]
                if entries.get(twin) == entries[key]:
                    del entries[key]
                    continue
            if owner in classes and "." in owner.partition(":")[2]:
                kept.add(owner)
    out["classes"] = {k: v for k, v in classes.items() if "." not in k.partition(":")[2] or k in kept}
    return out


def deprecations(snapshots: List[Tuple[str, Dict[str, Any]]]) -> Dict[str, List[Any]]:
    """Names (and ``function(keyword)``) that exist and are deprecated: key -> [first release,
    last release, text] of the newest run of consecutive releases whose source warns about it."""
    out: Dict[str, List[Any]] = {}
    prev_label: Optional[str] = None
    for v, snap in snapshots:
        present: Dict[str, Set[str]] = {o: set(ns) for o, ns in list(snap["modules"].items()) + list(snap["classes"].items())}
        for key, text in snap["messages"].items():
            head, _, kw = key.partition("(")
            owner, _, name = head.rpartition(".")
            if name not in present.get(owner, ()):
                continue
            if kw and kw.rstrip(")") not in (snap["functions"].get(head) or [[]])[0]:
                continue
            text = re.sub(r"\s*\[since [\d.]+\]$", "", text)
            run = out.get(key)
            if run is not None and run[1] == prev_label:
                run[1], run[2] = label(v), text
            else:
                out[key] = [label(v), label(v), text]
        prev_label = label(v)
    return out


def _defining_key(snap: Dict[str, Any], owner: str, name: str) -> Optional[str]:
    """``networkx.convert_matrix.to_numpy_matrix`` for ``networkx.to_numpy_matrix``: the one function
    of that name in a submodule of the module ``owner`` with a message and the same signature (where
    the snapshot lists one: a private module's functions are not) -- a ``*``-import re-exports it,
    and the reader knows its words only where it is defined."""
    if ":" in owner:
        return None
    signature = snap["functions"].get(f"{owner}.{name}")
    if signature is None:
        return None
    found = [k for k in snap["messages"] if k.startswith(owner + ".") and k.rpartition(".")[2] == name
             and snap["functions"].get(k, signature) == signature]  # a private module's are not listed
    return found[0] if len(found) == 1 else None


def _expired_message(snap: Dict[str, Any], owner: str, name: str) -> Optional[str]:
    for key, text in snap["messages"].items():
        module, _, member = key.rpartition(".")
        parent, _, private = module.rpartition(".")
        if member == name and parent == owner and private.startswith("_") and "expired" in private:
            return text
    return None


def _since(snapshots: List[Tuple[str, Dict[str, Any]]], key: str, last: str) -> Optional[str]:
    """The first release of the run of releases before ``last`` (inclusive) whose source warns
    about ``key``; a ``[since X]`` the docstring names wins."""
    first = None
    for v, snap in reversed(snapshots[: [s[0] for s in snapshots].index(last) + 1]):
        text = snap["messages"].get(key)
        if not text:
            break
        first = v
        m = re.search(r"\[since ([\d.]+)\]$", text)
        if m:
            return label(m.group(1))
    return label(first) if first else None


def _strip_since(entry: Dict[str, Any]) -> None:
    for key, (since, text) in entry["messages"].items():
        if text:
            text = re.sub(r"\s*\[since [\d.]+\]$", "", text)
        entry["messages"][key] = [since, text]


# -- main -------------------------------------------------------------------------------------------

def _cached(cache: str, name: str, make: Any, reader: int = READER) -> Dict[str, Any]:
    path = os.path.join(cache, f"{name}.r{reader}.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    data = make()
    if data is not None:
        with open(path, "w") as f:
            json.dump(data, f)
    return data


def build_stdlib(pythons: List[str], cache: str) -> Dict[str, Any]:
    snaps = []
    for exe in pythons:
        def run(exe: str = exe) -> Dict[str, Any]:
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "stdlib.json")
                subprocess.run([exe, os.path.abspath(__file__), "--introspect-stdlib", out], capture_output=True,
                               check=True, stdin=subprocess.DEVNULL, timeout=900, cwd=tmp)
                with open(out) as f:
                    return json.load(f)
        ver = subprocess.run([exe, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, check=True).stdout.strip()
        print(f"  python {ver} ({exe})", file=sys.stderr)
        snaps.append((ver, _cached(cache, f"python-{ver}", run, STDLIB_READER)))
    snaps.sort(key=lambda s: _vkey(s[0]))
    entry = transitions(snaps)
    _strip_since(entry)
    entry["label"] = "Python"
    entry["releases"] = [v for v, _ in snaps]
    return entry


def build_package(top: str, cache: str) -> Dict[str, Any]:
    dist, first, step = PACKAGES[top]
    releases = minor_releases(dist, first, step)
    snaps = []
    with tempfile.TemporaryDirectory() as tmp:
        for v in releases:
            def read(v: str = v) -> Optional[Dict[str, Any]]:
                wheel = download(dist, v, tmp)
                if wheel is None:
                    return None
                data = read_wheel(wheel, top)
                os.unlink(wheel)
                return data
            snap = _cached(cache, f"{top}-{v}", read)
            if snap is None:
                print(f"  {dist} {v}: no wheel", file=sys.stderr)
                continue
            print(f"  {dist} {v}: {len(snap['modules'])} modules, {len(snap['classes'])} classes", file=sys.stderr)
            snaps.append((v, snap))
    entry = transitions(snaps)
    _strip_since(entry)
    entry["label"] = dist
    entry["distribution"] = dist
    entry["releases"] = [v for v, _ in snaps]
    return entry


def default_pythons() -> List[str]:
    root = "/root/.pyenv/versions"
    found = []
    for d in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        k = _vkey(d)
        exe = os.path.join(root, d, "bin", "python")
        if len(k) >= 2 and k[0] == 3 and k[:2] >= STDLIB_FIRST and os.path.exists(exe):
            found.append(exe)
    return found


# -- the shipped file (format 3) ---------------------------------------------------------------------
#
#   b"vetpy-history\n"  b"<n>\n"  <n bytes: zlib of the index, JSON>  <shards: zlib of JSON objects>
#
# The index holds the top-level fields ("format", "built") and, per library, its plain fields
# ("releases", "label", "distribution") under "head" and, per table (every dict-valued field:
# "members", "keywords", "messages", "classes", "deprecated"), its size and its shards as
# [first key, offset, length]: the table's items in sorted key order, cut every SHARD_BYTES of JSON,
# each compressed on its own.  vetpy (vetpy.history.load) decompresses the index when it opens the
# file and a shard when a question needs a key of its range, so a check that asks about requests
# decodes a few kB of requests and nothing of transformers.

FORMAT = 3
MAGIC = b"vetpy-history\n"
SHARD_BYTES = 1 << 17


def _compact(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _shards(table: Dict[str, Any], limit: int) -> Iterable[Dict[str, Any]]:
    chunk: Dict[str, Any] = {}
    size = 0
    for key in sorted(table):
        grow = len(_compact(key)) + len(_compact(table[key])) + 2
        if chunk and size + grow > limit:
            yield chunk
            chunk, size = {}, 0
        chunk[key] = table[key]
        size += grow
    if chunk:
        yield chunk


def serialise(data: Dict[str, Any], shard_bytes: int = SHARD_BYTES) -> bytes:
    """The shipped file's bytes for ``data`` (``{"built": ..., "libraries": {name: {field: value}}}``,
    every library a dict), deterministic: the same data gives the same bytes."""
    index: Dict[str, Any] = {k: v for k, v in data.items() if k != "libraries"}
    index["format"] = FORMAT
    index["libraries"] = {}
    blobs: List[bytes] = []
    offset = 0
    for name in sorted(data["libraries"]):
        head: Dict[str, Any] = {}
        tables: Dict[str, Any] = {}
        for field, value in sorted(data["libraries"][name].items()):
            if not isinstance(value, dict):
                head[field] = value
                continue
            shards = []
            for chunk in _shards(value, shard_bytes):
                blob = zlib.compress(_compact(chunk), 9)
                shards.append([min(chunk), offset, len(blob)])
                blobs.append(blob)
                offset += len(blob)
            tables[field] = {"count": len(value), "shards": shards}
        index["libraries"][name] = {"head": head, "tables": tables}
    packed = zlib.compress(_compact(index), 9)
    return MAGIC + b"%d\n" % len(packed) + packed + b"".join(blobs)


def deserialise(raw: bytes) -> Dict[str, Any]:
    """Every library of a shipped file decoded (format 3, or the gzipped JSON of formats 1 and 2)."""
    if raw[:2] == b"\x1f\x8b":
        data = json.loads(gzip.decompress(raw))
        data["libraries"] = {k: json.loads(v) if isinstance(v, str) else v for k, v in data["libraries"].items()}
        return data
    if not raw.startswith(MAGIC):
        raise ValueError("not a vetpy history file")
    size, _, rest = raw[len(MAGIC):].partition(b"\n")
    index = json.loads(zlib.decompress(rest[:int(size)]))
    blobs = rest[int(size):]
    libraries = {}
    for name, lib in index["libraries"].items():
        entry = dict(lib["head"])
        for field, table in lib["tables"].items():
            entry[field] = {}
            for _, offset, length in table["shards"]:
                entry[field].update(json.loads(zlib.decompress(blobs[offset:offset + length])))
        libraries[name] = entry
    index["libraries"] = libraries
    return index


# -- main -------------------------------------------------------------------------------------------

def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--introspect-stdlib", metavar="OUT", help=argparse.SUPPRESS)
    p.add_argument("--only", nargs="*", help="build only these packages' import names (the others are kept "
                                             "from --out; the standard library is rebuilt unless --no-stdlib)")
    p.add_argument("--no-stdlib", action="store_true")
    p.add_argument("--python", action="append", help="interpreters whose standard library to read")
    p.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "vetpy-history-cache"))
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "server", "vetpy", "data",
                                                  "history.bin"))
    p.add_argument("--rewrite", metavar="FROM", nargs="?", const="",
                   help="read no release: write the data of FROM (default --out; any format) to --out "
                        "in the current format, keeping its build date")
    args = p.parse_args(argv)
    if args.introspect_stdlib:  # modules may print when imported: the answer goes to a file
        data = introspect_stdlib()
        with open(args.introspect_stdlib, "w") as f:
            json.dump(data, f)
        return 0
    data: Dict[str, Any] = {"libraries": {}}
    source = args.rewrite or args.out
    if os.path.exists(source):
        with open(source, "rb") as f:
            data = deserialise(f.read())
    if args.rewrite is None:
        os.makedirs(args.cache, exist_ok=True)
        if not args.no_stdlib:
            print("standard library", file=sys.stderr)
            data["libraries"]["python"] = build_stdlib(args.python or default_pythons(), args.cache)
        for top in args.only if args.only else PACKAGES:
            print(top, file=sys.stderr)
            data["libraries"][top] = build_package(top, args.cache)
        data["built"] = datetime.date.today().isoformat()
    raw = serialise(data)
    with open(args.out, "wb") as f:
        f.write(raw)
    size = sum(len(_compact(lib)) for lib in data["libraries"].values())
    print(f"wrote {args.out}: {len(raw)} bytes ({size} bytes of JSON)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
