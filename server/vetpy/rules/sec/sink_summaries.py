"""Sink summaries of another module's functions: which parameters reach a SEC sink unsanitised.

A view passes request input to ``db.search(sort)``; the ``execute`` is in ``db.py``, where
``sort`` is a parameter of unknown origin, so neither file alone shows the injection (it is
reported in ``db.py``, :mod:`vetpy.rules.sec.callers_into`).  The
summary of ``db.search`` answers "which of my parameters, untrusted, reach a sink?": the SEC
rules themselves are run over that one function (:meth:`SecurityPass.probe`) with one parameter
at a time made untrusted, and every finding that the parameter caused (its message names the
parameter's tag, or the sink's argument is the parameter's value) is a sink of that parameter.
What the function does on the way counts as it does for a route: ``int(sort)``, an allow-list
check, a parameterised query, ``secure_filename``, a containment check are all the rules' own.

The probe treats the callee's module as a web module (its sinks count as they would in a view;
the caller, reporting, is one).  A summary is computed once per file version (its size and
modification time) and rule selection, in this process, on first use; one level deep: the
probe's own calls into other modules are not followed (it runs without an analysis context).
"""

from __future__ import annotations

import ast
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from vetpy.dataflow import Hole, ModuleFlow, Scope, string_parts
from vetpy.dataflow.tasks import bound_self, task_decorator
from vetpy.dataflow.values import UNKNOWN, FunctionNode, Trust, untrusted
from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.reads import file_stamp, read_text
from vetpy.rules.sec.common import sink_argument
from vetpy.rules.sec.walk import SecurityPass, Walk
from vetpy.semantic.model import semantic

# marks the probe's untrusted parameter in a finding's message (never shown: the caller's finding
# is worded anew)
_MARK = "\u2063"
MAX_BYTES = 512 * 1024  # a larger module is not summarised


@dataclass(frozen=True)
class Sink:
    """Parameter ``param`` of a function reaches a sink: the rule ``code`` reports line ``line``
    (``what``: the rule's message with the parameter named ``{param}``)."""

    param: str
    code: str
    line: int
    what: str
    span: tuple[int, int, int, int] = (0, 0, 0, 0)  # the finding's range (line, column, end line, end column)


class _ProbeFlow(ModuleFlow):
    """The model of the callee's module with one parameter of one function untrusted."""

    def __init__(self, base: ModuleFlow, func: FunctionNode, param: str) -> None:
        super().__init__(base.tree, base.imports, base.source, base.scopes)
        if "_module_names" in base.__dict__:
            self.__dict__["_module_names"] = base.__dict__["_module_names"]
        self.web = True  # the sinks count as in a view
        self.probing = True  # a path joined and returned counts too (SEC015: the caller opens it)
        self._target = func
        self._tag = f"{_MARK}{param}{_MARK}"
        every = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
        extra = [a for a in (func.args.vararg, func.args.kwarg) if a is not None]
        self._params = {a.arg: UNKNOWN for a in every + extra}
        self._params[param] = untrusted(self._tag)

    def scope(self, func: FunctionNode | None) -> Scope:
        if func is self._target and func not in self._scopes:
            self._scopes[func] = Scope(self, func, params=dict(self._params))
        return super().scope(func)


class _Module:
    """One version of a callee module: its document, model and the summaries asked so far."""

    def __init__(self, doc: Document, base: ModuleFlow) -> None:
        self.doc = doc
        self.base = base
        self.functions: dict[str, FunctionNode | None] = {}
        self.sinks: dict[tuple[str, str, int], tuple[Sink, ...]] = {}
        self.alone: dict[tuple[str, int], frozenset[tuple[str, int]]] = {}
        self.may: dict[tuple[str, int, frozenset[str]], bool] = {}


_CACHE: dict[tuple[str, object], _Module | None] = {}
_LOCK = threading.Lock()
# a caller's file -> the files (callees) whose analysis read the calls in it, in this process: the
# language server analyses those again when the caller is saved (vetpy.lsp.handlers.documents.did_save)
_DEPENDENTS: dict[str, set[str]] = {}


_TEXTS: dict[tuple[str, str], str | None] = {}


def caller_text(path: Path) -> str | None:
    """The text of a caller's file, once per version of it (None when unreadable or larger than a
    summarised module): the callers read by :mod:`callers_into` and :mod:`caller_arguments`."""
    stamp = file_stamp(str(path))
    if stamp is None or stamp[0] > MAX_BYTES:
        return None
    key = (str(path), repr(stamp))
    with _LOCK:
        if key in _TEXTS:
            return _TEXTS[key]
    try:
        text: str | None = read_text(path)
    except (OSError, UnicodeDecodeError):
        text = None
    with _LOCK:
        if len(_TEXTS) > 256:
            _TEXTS.clear()
        _TEXTS[key] = text
    return text


def note_dependent(read: Path, analysed: str) -> None:
    """The analysis of ``analysed`` read the file ``read`` (the calls of a view into it)."""
    key = os.path.realpath(read)
    with _LOCK:
        if len(_DEPENDENTS) > 4096:
            _DEPENDENTS.clear()
        _DEPENDENTS.setdefault(key, set()).add(os.path.realpath(analysed))


def dependents(path: str) -> frozenset[str]:
    """The files (real paths) whose analysis read the file at ``path``."""
    with _LOCK:
        return frozenset(_DEPENDENTS.get(os.path.realpath(path), ()))


def of_document(doc: Document) -> _Module:
    """The summaries of the document being analysed (its own text, saved or not), kept with it."""
    kept = doc.shared.get("sink_summaries")
    if kept is None:
        kept = doc.shared["sink_summaries"] = _Module(doc, semantic(doc).flow)
    return kept  # type: ignore[no-any-return]


def summarisable(mod: _Module, name: str) -> FunctionNode | None:
    """:func:`function` of a module at hand."""
    if name not in mod.functions:
        mod.functions[name] = _summarisable(mod, name)
    return mod.functions[name]


def _module(path: Path, module: str) -> _Module | None:
    stamp = file_stamp(str(path))
    key = (str(path), repr(stamp))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    found: _Module | None = None
    if stamp is not None and stamp[0] <= MAX_BYTES:
        try:
            text = read_text(path)
        except (OSError, UnicodeDecodeError):
            text = None
        if text is not None:
            doc = Document(str(path), text, module)
            if doc.tree is not None:
                found = _Module(doc, semantic(doc).flow)
    with _LOCK:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = found
    return found


def function(path: Path, module: str, name: str) -> tuple[_Module, FunctionNode] | None:
    """The module-level function ``name`` of the module at ``path`` if its calls can be summarised:
    bound once, not a view, undecorated or a Celery task (which runs the function as it is)."""
    mod = _module(path, module)
    if mod is None:
        return None
    if name not in mod.functions:
        mod.functions[name] = _summarisable(mod, name)
    func = mod.functions[name]
    return (mod, func) if func is not None else None


def module_function(path: Path, module: str, name: str) -> tuple[_Module, FunctionNode] | None:
    """The module-level function ``name`` of the module at ``path``, defined once, whatever it
    does (a decode helper that takes the request is one too)."""
    mod = _module(path, module)
    if mod is None:
        return None
    tree = mod.doc.tree
    assert tree is not None
    defs = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]
    return (mod, defs[0]) if len(defs) == 1 else None


def _summarisable(mod: _Module, name: str) -> FunctionNode | None:
    tree = mod.doc.tree
    assert tree is not None
    defs = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]
    sites = mod.base.scopes.table(tree).sites.get(name, [])
    if len(defs) != 1 or len(sites) != 1 or sites[0].node is not defs[0]:
        return None
    func = defs[0]
    if any(not task_decorator(d) for d in func.decorator_list):
        return None
    if mod.base.handler(func) or any(a.arg in {"request", "req"} for a in func.args.posonlyargs + func.args.args):
        return None
    return func


def sinks(mod: _Module, func: FunctionNode, param: str, walk: Walk) -> tuple[Sink, ...]:
    """The sinks ``param`` of ``func`` reaches unsanitised (computed once per rule selection)."""
    key = (func.name, param, id(walk))
    found = mod.sinks.get(key)
    if found is not None:
        return found
    flow = _ProbeFlow(mod.base, func, param)
    probe = SecurityPass.probe(mod.doc, walk, flow, func)
    tag = flow._tag
    out: list[Sink] = []
    seen: set[tuple[str, int]] = set()
    for node, finding in probe.found():
        if tag not in finding.message and not _argument_tagged(probe, node, tag):
            continue
        if (finding.code, finding.line) in seen:
            continue
        seen.add((finding.code, finding.line))
        what = finding.message.replace(tag, "{param}")
        span = _built_at(mod.doc, func, flow, node, finding) or (finding.line, finding.column, finding.end_line, finding.end_column)
        out.append(Sink(param, finding.code, finding.line, what, span))
    if out:  # not what the callee's file reports anyway: once is enough
        alone = _alone(mod, func, walk)
        out = [s for s in out if (s.code, s.line) not in alone]
    result = mod.sinks[key] = tuple(sorted(out, key=lambda s: (s.line, s.code)))
    return result


def _built_at(doc: Document, func: FunctionNode, flow: ModuleFlow, node: ast.AST, finding: Finding) -> tuple[int, int, int, int] | None:
    """``sql = "... ORDER BY " + sort`` then ``execute(sql)``, ``dest = folder / filename`` then
    ``open(dest, "wb")`` or ``dest.write_bytes(data)``: where the text or the path is built (the line
    a reviewer points at, where the check belongs), when the finding is at a local bound once in the
    function to text formatted with a non-constant value or to a joined path (``/``,
    ``os.path.join``); else None (the finding's own place)."""
    if not isinstance(node, ast.Call):
        return None
    at = (finding.line, finding.column, finding.end_line, finding.end_column)
    if node.args and isinstance(node.args[0], ast.Name) and doc.node_range(node.args[0]) == at:
        local = node.args[0]
    elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and doc.node_range(node.func) == at:
        local = node.func.value  # `dest.write_bytes(data)`: the path is the receiver
    else:
        return None
    bound = flow.single_assignment(func, local.id)
    if bound is None:
        return None
    if _joined(bound) or any(isinstance(p, Hole) for p in (string_parts(bound) or ())):
        return doc.node_range(bound)  # type: ignore[no-any-return]
    return None


def _joined(expr: ast.expr) -> bool:
    """``base / name`` or ``os.path.join(base, name)``: a path joined from parts."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return True
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "join" and \
        isinstance(expr.func.value, ast.Attribute) and expr.func.value.attr == "path"


def may_reach(mod: _Module, func: FunctionNode, walk: Walk, codes: frozenset[str]) -> bool:
    """Does a rule of ``codes`` report anything in ``func`` with all its parameters untrusted (one
    probe: the cheap test before asking who calls it)?"""
    key = (func.name, id(walk), codes)
    found = mod.may.get(key)
    if found is None:
        every = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
        if not every:
            found = False
        else:
            flow = _ProbeFlow(mod.base, func, every[0].arg)
            for a in every[1:]:
                flow._params[a.arg] = flow._params[every[0].arg]
            found = any(f.code in codes for _node, f in SecurityPass.probe(mod.doc, walk, flow, func).found())
        mod.may[key] = found
    return found


def _alone(mod: _Module, func: FunctionNode, walk: Walk) -> frozenset[tuple[str, int]]:
    """(code, line) of what the rules report in ``func`` analysed as it is (its parameters of
    unknown origin): a sink a caller's input reaches that is reported there already."""
    key = (func.name, id(walk))
    found = mod.alone.get(key)
    if found is None:
        probe = SecurityPass.probe(mod.doc, walk, mod.base, func)
        found = mod.alone[key] = frozenset((f.code, f.line) for _node, f in probe.found())
    return found


def _argument_tagged(probe: SecurityPass, node: ast.AST, tag: str) -> bool:
    """The sink's argument is the probed parameter's value (a rule whose message does not say
    where the value came from: ``pickle.loads(blob)``)."""
    if not isinstance(node, ast.Call):
        return False
    arg = sink_argument(node)
    if arg is None:
        return False
    chain: list[ast.AST] = []
    cur = probe.parents.get(node)
    while cur is not None:
        chain.append(cur)
        cur = probe.parents.get(cur)
    value = probe.flow.scope(probe.flow._target).value(arg, node, chain[::-1])
    return value.trust is Trust.UNTRUSTED and value.source == tag
