"""SEC005 unsafe-deserialization: pickle/shelve/dill/jsonpickle loads, marshal of untrusted
input, or yaml.load without a safe loader."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name, has_star_kwargs, keyword
from vetpy.dataflow import Trust
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

UNSAFE_DESERIALIZATION = rule(
    code="SEC005",
    name="unsafe-deserialization",
    family="SEC",
    severity=Severity.WARNING,
    summary="pickle/shelve/dill/jsonpickle loads, marshal of untrusted input, yaml.load without a safe loader, or Celery accepting pickle.",
    rationale="""Unpickling (and `yaml.load` with the unsafe loader) can construct arbitrary
    objects and run code chosen by whoever wrote the data. Use `yaml.safe_load`, JSON, or sign
    and verify data before unpickling it. Not reported: `yaml.FullLoader`, which runs no code
    since PyYAML 5.4 (2021; `safe_load` is still the simpler choice), a loader class of the
    project's or another library's (ansible's `AnsibleLoader`, built on `SafeConstructor`; one
    defined in the same file counts by its bases), and a pickle file the same module writes with
    `pickle.dump` (the program's own cache, as trusted as the program), and likewise a shelf at a
    fixed place that the same module stores into (`with shelve.open(CACHE) as db: db[k] = v`). Also reported: Celery
    configured to accept pickled messages (`accept_content` or `result_accept_content` with
    `"pickle"`, `CELERY_ACCEPT_CONTENT`), and dramatiq's `set_encoder(PickleEncoder())`: whoever
    can write to the broker runs code in the workers.
    A `task_serializer = "pickle"` alone is not (the workers still accept JSON only).""",
    bad="""
        import pickle

        import yaml

        def load_config(stream):
            return yaml.load(stream, Loader=yaml.Loader)

        def load_session(data: bytes):
            return pickle.loads(data)
    """,
    good="""
        import json

        import yaml

        def load_config(stream):
            return yaml.safe_load(stream)

        def load_session(data: bytes):
            return json.loads(data)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(502,),
)

DESERIALIZERS = frozenset(
    {
        "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads", "cPickle.load", "cPickle.loads",
        "marshal.load", "marshal.loads", "shelve.open", "dill.load", "dill.loads", "jsonpickle.decode", "pandas.read_pickle",
    }
)
YAML_LOADERS = frozenset({"yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"})
# FullLoader too: since PyYAML 5.4 (CVE-2020-14343) it constructs no arbitrary objects and runs no
# code (that is UnsafeLoader's); on real applications its loads of configuration files were
# worth a comment at most (benchmarks/realapps.md)
SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "FullLoader", "CFullLoader"})
PICKLE_DUMPS = frozenset({"pickle.dump", "_pickle.dump", "cPickle.dump", "dill.dump"})
PICKLE_DUMPS_TEXT = frozenset({"pickle.dumps", "_pickle.dumps", "cPickle.dumps", "dill.dumps"})
OPEN_FUNCTIONS = frozenset({"open", "io.open", "builtins.open"})
# dramatiq's encoder, set for every message of the process (dramatiq 1.x, 2.x)
_DRAMATIQ_SET_ENCODER = frozenset({"dramatiq.set_encoder", "dramatiq.message.set_encoder"})
_DRAMATIQ_PICKLE = frozenset({"dramatiq.PickleEncoder", "dramatiq.encoder.PickleEncoder"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name = site.name
    if site.attr == "update" and isinstance(call.func, ast.Attribute) and (dotted_name(call.func.value) or "").endswith("conf"):
        yield from _celery_update(sec, call)
        return
    if name in _DRAMATIQ_SET_ENCODER and call.args and isinstance(call.args[0], ast.Call) \
            and sec.qualified(call.args[0].func) in _DRAMATIQ_PICKLE:
        yield UNSAFE_DESERIALIZATION.finding(
            sec.doc, call, "dramatiq's `PickleEncoder` unpickles every message the workers take: whoever can write to "
            "the broker runs code in them; keep the default `JSONEncoder`")
        return
    if name not in DESERIALIZERS and name not in YAML_LOADERS:
        return
    if (call.args and isinstance(call.args[0], ast.Constant)) or not (call.args or call.keywords):
        return  # a literal document, or no data at all
    if name.startswith("marshal.") and not (
        call.args and sec.flow.scope(site.func).value(call.args[0], call, site.ancestors).trust is Trust.UNTRUSTED
    ):
        return  # marshal reads code objects the interpreter wrote (pyc files): only untrusted input counts
    short = name.replace("_pickle.", "pickle.").replace("cPickle.", "pickle.")
    if name in YAML_LOADERS:
        loader = keyword(call, "Loader")
        loader_node = loader.value if loader else (call.args[1] if len(call.args) > 1 else None)
        if name in {"yaml.load", "yaml.load_all"}:
            if loader_node is None and has_star_kwargs(call):
                return
            if loader_node is not None and (dotted_name(loader_node) or "").split(".")[-1] in SAFE_YAML_LOADERS:
                return
            if loader_node is not None and _safe_own_loader(sec, loader_node):
                return
        safe = "yaml.safe_load_all" if name.endswith("_all") else "yaml.safe_load"
        yield UNSAFE_DESERIALIZATION.finding(
            sec.doc, call, f"`{short}` without a safe loader can construct arbitrary Python objects; use `{safe}`",
            fixes=_yaml_fix(sec, call, safe.split(".")[1]),
        )
        return
    if name in LOADS_FROM_FILE and (_own_pickle_file(sec, call, site) or _round_trip(sec, call, site)):
        return
    if name == "shelve.open" and _own_shelf(sec, call, site):
        return
    yield UNSAFE_DESERIALIZATION.finding(
        sec.doc, call, f"`{short}` can run code chosen by whoever wrote the data; use JSON, or verify a signature before loading"
    )


# what a loader class derived from these constructs: PyYAML's unsafe loaders and constructors
UNSAFE_YAML_BASES = frozenset({"Loader", "CLoader", "UnsafeLoader", "CUnsafeLoader", "Constructor", "UnsafeConstructor"})
SAFE_YAML_BASES = SAFE_YAML_LOADERS | {"SafeConstructor", "BaseConstructor", "FullConstructor"}


def _safe_own_loader(sec: SecurityPass, node: ast.expr, depth: int = 0) -> bool:
    """Is ``node`` a loader class that is not PyYAML's own and is not shown to construct arbitrary
    objects?  A class imported from another module of the project or a library (ansible's
    ``AnsibleLoader``, built on ``SafeConstructor``): its bases are not in this file, and a loader
    written for the purpose is a choice, not an omission.  A class of this file: its bases decide
    (one of PyYAML's safe loaders or constructors, none of its unsafe ones)."""
    qualified = sec.qualified(node) or ""
    if not isinstance(node, (ast.Name, ast.Attribute)) or qualified.split(".")[0] == "yaml" or depth > 5:
        return False
    if isinstance(node, ast.Name):
        local = next((c for c in sec.tree.body if isinstance(c, ast.ClassDef) and c.name == node.id), None)
        if local is not None:
            names = [(sec.qualified(b) or dotted_name(b) or "") for b in local.bases]
            if any(n.split(".")[0] == "yaml" and n.split(".")[-1] in UNSAFE_YAML_BASES for n in names):
                return False
            return any(n.split(".")[0] == "yaml" and n.split(".")[-1] in SAFE_YAML_BASES or _safe_own_loader(sec, b, depth + 1)
                       for n, b in zip(names, local.bases))
    return bool(qualified) and node_is_imported(sec, node)


def node_is_imported(sec: SecurityPass, node: ast.expr) -> bool:
    """Does ``node`` (``Name`` or ``a.b.Name``) start with a name this file imports?"""
    root = node
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id in sec.imports.names


LOADS_FROM_FILE = frozenset({"pickle.load", "pickle.loads", "_pickle.load", "_pickle.loads", "cPickle.load", "cPickle.loads", "dill.load", "dill.loads"})


def _own_pickle_file(sec: SecurityPass, call: ast.Call, site: Site) -> bool:
    """``pickle.load(f)`` of ``with open(P, "rb") as f`` (or ``pickle.loads(P.read_bytes())``)
    where the same module pickles into the same ``P`` (``pickle.dump(x, g)`` of ``with open(P,
    "wb") as g``, ``P.write_bytes(pickle.dumps(x))``): a cache the program writes for itself."""
    if not call.args:
        return False
    source = _file_path(sec, call.args[0], site.func or sec.tree)
    return source is not None and source in _pickled_paths(sec)


def _own_shelf(sec: SecurityPass, call: ast.Call, site: Site) -> bool:
    """``shelve.open(P)`` where the same module stores into a shelf opened on the same ``P``
    (``db[key] = value`` of ``with shelve.open(P) as db``): the program's own cache, as its own
    pickle files are.  ``P`` must name no parameter or local of either function (``shelve.open(path)``
    in two functions is two unknown files), only module-level names, attributes and constants."""
    if not call.args or not _fixed_place(call.args[0], site.func):
        return False
    return sec.doc.segment(call.args[0]) in _written_shelves(sec)


def _fixed_place(node: ast.expr, func: ast.AST | None) -> bool:
    """Does ``node`` read no name bound in ``func`` (a parameter, a local)?"""
    if func is None:
        return True
    local = {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)} if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) else set()
    local |= {n.id for n in _own_nodes(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return not any(isinstance(n, ast.Name) and n.id in local for n in ast.walk(node))


def _written_shelves(sec: SecurityPass) -> set[str]:
    """The texts of ``P`` of every ``with shelve.open(P) as db`` whose body stores into ``db``."""
    paths: set[str] = set()
    for scope, func in _scopes(sec):
        for node in _own_nodes(scope):
            if not isinstance(node, (ast.With, ast.AsyncWith)):
                continue
            for item in node.items:
                opened = item.context_expr
                if not (isinstance(opened, ast.Call) and sec.qualified(opened.func) == "shelve.open" and opened.args
                        and isinstance(item.optional_vars, ast.Name) and _fixed_place(opened.args[0], func)):
                    continue
                shelf = item.optional_vars.id
                if any(isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store) and isinstance(sub.value, ast.Name)
                       and sub.value.id == shelf for stmt in node.body for sub in ast.walk(stmt)):
                    paths.add(sec.doc.segment(opened.args[0]))
    return paths


def _round_trip(sec: SecurityPass, call: ast.Call, site: Site) -> bool:
    """``pickle.loads(pickle.dumps(x))``, or of a name bound once (in this function) to that: bytes
    this code made a moment ago, in memory."""
    data = call.args[0] if call.args else None
    if isinstance(data, ast.Name) and site.func is not None:
        data = sec.flow.single_assignment(site.func, data.id)
    return isinstance(data, ast.Call) and sec.qualified(data.func) in PICKLE_DUMPS_TEXT


def _pickled_paths(sec: SecurityPass) -> set[str]:
    paths: set[str] = set()
    for scope, _func in _scopes(sec):
        for node in _own_nodes(scope):
            if not isinstance(node, ast.Call):
                continue
            target: ast.expr | None = None
            if sec.qualified(node.func) in PICKLE_DUMPS:
                target = node.args[1] if len(node.args) > 1 else (kw.value if (kw := keyword(node, "file")) else None)
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "write_bytes" and node.args:
                data = node.args[0]
                if isinstance(data, ast.Call) and sec.qualified(data.func) in PICKLE_DUMPS_TEXT:
                    paths.add(sec.doc.segment(node.func.value))
            if target is not None and (path := _file_path(sec, target, scope)) is not None:
                paths.add(path)
    return paths


def _scopes(sec: SecurityPass) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    """The module and each function in it, with the function (None for the module)."""
    yield sec.tree, None
    for node in ast.walk(sec.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, node


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``scope`` outside the functions nested in it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def _file_path(sec: SecurityPass, node: ast.expr, scope: ast.AST) -> str | None:
    """The text of ``P`` for ``open(P, ...)``, ``P.open(...)``, ``P.read_bytes()``, or a name
    bound to one of those in ``scope`` (``with open(P) as f``, ``f = open(P)``)."""
    if isinstance(node, ast.Name):
        for sub in _own_nodes(scope):
            if isinstance(sub, ast.withitem) and isinstance(sub.optional_vars, ast.Name) and sub.optional_vars.id == node.id:
                return _file_path(sec, sub.context_expr, scope) if isinstance(sub.context_expr, ast.Call) else None
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name) and sub.targets[0].id == node.id:
                return _file_path(sec, sub.value, scope) if isinstance(sub.value, ast.Call) else None
        return None
    if not isinstance(node, ast.Call):
        return None
    if (sec.qualified(node.func) in OPEN_FUNCTIONS or (isinstance(node.func, ast.Name) and node.func.id == "open")) and node.args:
        return sec.doc.segment(node.args[0])
    if isinstance(node.func, ast.Attribute) and node.func.attr in {"open", "read_bytes"}:
        return sec.doc.segment(node.func.value)
    return None


def _yaml_fix(sec: SecurityPass, call: ast.Call, safe: str) -> list[Fix]:
    if not isinstance(call.func, ast.Attribute) or not call.args or isinstance(call.args[0], ast.Starred):
        return []
    extra = [k for k in call.keywords if k.arg != "Loader"]
    if extra or len(call.args) > 2:
        return []
    text = f"{sec.doc.segment(call.func.value)}.{safe}({sec.doc.segment(call.args[0])})"
    return [Fix(title=f"Use yaml.{safe}", edits=(sec.doc.replace_node(call, text),), preferred=True)]


# Celery's settings of the content types its workers (and result readers) deserialize, by their new
# names (`app.conf.accept_content`) and their old ones (`CELERY_ACCEPT_CONTENT`, a Django namespace)
_CELERY_ACCEPT = frozenset({"accept_content", "result_accept_content"})
_CELERY_ACCEPT_OLD = frozenset({"CELERY_ACCEPT_CONTENT", "CELERY_RESULT_ACCEPT_CONTENT", "RESULT_ACCEPT_CONTENT"})
_PICKLE_CONTENT = frozenset({"pickle", "application/x-python-serialize"})
_CELERY_PICKLE = ("Celery accepts pickled messages: whoever can write to the broker (or the result backend) runs code in the "
                  "workers; accept JSON only")


def _accepts_pickle(value: ast.expr | None) -> bool:
    return isinstance(value, (ast.List, ast.Tuple, ast.Set)) and any(
        isinstance(e, ast.Constant) and e.value in _PICKLE_CONTENT for e in value.elts)


def check_celery_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``app.conf.accept_content = ["json", "pickle"]``; ``CELERY_ACCEPT_CONTENT = [...]`` in
    settings or a configuration class."""
    node: ast.Assign = site.node  # type: ignore[assignment]
    if not _accepts_pickle(node.value):
        return
    for target in node.targets:
        if (isinstance(target, ast.Attribute) and target.attr in _CELERY_ACCEPT
                and (dotted_name(target.value) or "").rsplit(".", 1)[-1] == "conf") or (
                isinstance(target, ast.Name) and target.id in _CELERY_ACCEPT_OLD and site.func is None):
            yield UNSAFE_DESERIALIZATION.finding(sec.doc, node, _CELERY_PICKLE)
            return


def _celery_update(sec: SecurityPass, call: ast.Call) -> Iterator[Finding]:
    """``app.conf.update(accept_content=[..., "pickle"])``."""
    for kw in call.keywords:
        if kw.arg in _CELERY_ACCEPT and _accepts_pickle(kw.value):
            yield UNSAFE_DESERIALIZATION.finding(sec.doc, kw, _CELERY_PICKLE)
            return


MODULE = RuleModule(
    rules=(UNSAFE_DESERIALIZATION,),
    handlers={ast.Call: check_call, ast.Assign: check_celery_assign},
    # marshal reads the interpreter's own files: only untrusted input counts
    triggers=Triggers(words=("pickle", "unpickler", "shelve", "dill", "yaml", "x-python-serialize"), untrusted=("marshal",)),
)
