"""Re-analyse only what an edit can change: per-definition reuse of findings across versions.

A language server analyses the same file after every keystroke, and most keystrokes change one
function.  The incremental parser (:mod:`vetpy.document`) keeps the node objects of every
top-level statement the edit did not touch; this module keeps the findings of those statements
too, and runs the checkers on a *view* of the module instead of the whole of it.

After an edit that changes only top-level ``def``/``class`` statements (the *changed* ones):

* **affected** statements are the changed ones plus every top-level statement that mentions a
  name one of them binds (its name, its ``global`` names, attributes it assigns; for a class,
  every name bound in its body), repeated until nothing more is added.  Their findings are
  computed again; every other statement's findings are the previous version's, unchanged (the
  statement, its lines and everything it mentions are the same).
* the **view** the checkers run on is the module with only: every statement that is not a
  ``def``/``class`` (imports, constants, module code: the context every function reads), the
  affected definitions, and the definitions those mention, transitively (so a call's target, a
  class's methods, a global's writer are all there).  Findings the checkers report inside the
  affected statements, and outside every top-level statement, are taken from the view.

Anything that does not fit that shape is analysed whole: a changed statement that is not a
definition, an affected statement that is not one, a change in the number of lines, a module
that changes its names dynamically (``sys.path``, ``__getattr__``, ``globals()``, ``setattr`` ...),
a different configuration, environment or set of enabled codes, a previous run that was
cancelled or had a checker fail.  ``tests/test_incremental_reuse.py`` compares the result with
a whole analysis on random edits of real files.  The language server also re-checks the whole
file once the user pauses (:mod:`vetpy.lsp.server`), so a difference could never outlive a pause.
"""

from __future__ import annotations

import ast
import re
import weakref
from dataclasses import dataclass, field
from typing import Hashable

from vetpy.context import AnalysisContext
from vetpy.document import Document, statement_start
from vetpy.engine import enabled_codes, postprocess, run_checkers
from vetpy.findings import Finding

_DEFINITION = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# A module that reads or rewrites its namespace or the import system by name: what a function
# means there can depend on code nowhere near it, so every edit is analysed whole.
_DYNAMIC = re.compile(
    r"sys\s*\.\s*path|sys\s*\.\s*modules|__getattr__|__all__|__builtins__|__import__|import_module"
    r"|\b(?:globals|locals|setattr|delattr)\s*\("
)
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class _Names:
    """What one top-level statement binds at module level (or on objects) and what it mentions."""

    binds: frozenset[str]
    mentions: frozenset[str]


# Names of a statement depend on nothing but its subtree; kept as long as the node lives.
_NAMES: "weakref.WeakKeyDictionary[ast.AST, _Names]" = weakref.WeakKeyDictionary()


def _names(stmt: ast.stmt) -> _Names:
    try:
        return _NAMES[stmt]
    except KeyError:
        pass
    binds: set[str] = set()
    mentions: set[str] = set()
    is_class = isinstance(stmt, ast.ClassDef)
    if isinstance(stmt, _DEFINITION):
        binds.add(stmt.name)
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name):
            mentions.add(node.id)
            if is_class or not isinstance(stmt, _DEFINITION):
                if not isinstance(node.ctx, ast.Load):
                    binds.add(node.id)
        elif isinstance(node, ast.Attribute):
            mentions.add(node.attr)
            if not isinstance(node.ctx, ast.Load):
                binds.add(node.attr)  # `obj.attr = ...` changes what readers of `.attr` infer
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            binds.update(node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if is_class or not isinstance(stmt, _DEFINITION):
                binds.add(node.name)
        elif isinstance(node, ast.alias):
            name = node.asname or node.name.split(".")[0]
            mentions.add(name)
            if not isinstance(stmt, _DEFINITION) or is_class:
                binds.add(name)
        elif isinstance(node, ast.arg):
            mentions.add(node.arg)
        elif isinstance(node, ast.keyword) and node.arg:
            mentions.add(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 400:
            mentions.update(_WORDS.findall(node.value))  # string annotations, `getattr(x, "name")`
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            mentions.add(node.name)
            if not isinstance(stmt, _DEFINITION) or is_class:
                binds.add(node.name)
    found = _NAMES[stmt] = _Names(frozenset(binds), frozenset(mentions))
    return found


class Same:
    """Compares by identity (and keeps the object alive, so its id is never reused)."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


@dataclass
class _Record:
    key: tuple[Hashable, ...]
    text: str
    line_count: int
    body: list[ast.stmt]
    findings: list[Finding]  # before postprocessing


@dataclass
class Outcome:
    findings: list[Finding]
    reused: bool  # True: some statements' findings came from the previous version
    analysed: int  # top-level statements analysed (in the view, or all of them)
    statements: int


@dataclass
class IncrementalAnalyzer:
    """Per-path memory of the last analysis.  Not thread-safe per path: the language server
    analyses one version of a document at a time."""

    records: dict[str, _Record] = field(default_factory=dict)

    def forget(self, path: str) -> None:
        self.records.pop(path, None)

    def analyze(self, doc: Document, ctx: AnalysisContext, key: tuple[Hashable, ...] = (), full: bool = False) -> Outcome:
        """Findings of ``doc`` (equal to :func:`vetpy.engine.analyze`), re-using the previous
        version's where the edit cannot have changed them.  ``key`` identifies everything
        besides the text that findings depend on (the caller's environment generation);
        ``full`` forces a whole analysis."""
        codes = enabled_codes(ctx, doc.path)
        # The same objects, not equal ones: a rebuilt environment is a different environment.
        key = (*key, Same(ctx.config), Same(ctx.environment), Same(ctx.declared), frozenset(codes))
        previous = self.records.pop(doc.path, None)
        tree = doc.tree
        plan = None if full or previous is None or tree is None else _plan(previous, key, doc, tree)
        if plan is None:
            raw, complete = run_checkers(doc, ctx, codes)
            analysed = len(tree.body) if tree is not None else 0
        else:
            view, keep_old, take_new = plan
            found, complete = run_checkers(doc.view(view), ctx, codes)
            raw = [f for f in previous.findings if _line_in(f.line, keep_old)]
            raw += [f for f in found if _line_in(f.line, take_new)]
            analysed = len(view)
        if complete and tree is not None:
            self.records[doc.path] = _Record(key, doc.text, doc.line_count, list(tree.body), raw)
        statements = len(tree.body) if tree is not None else 0
        return Outcome(postprocess(raw, doc, ctx), plan is not None, analysed, statements)


Spans = list[tuple[int, int]]


def _line_in(line: int, spans: Spans) -> bool:
    return any(low <= line <= high for low, high in spans)


def _plan(previous: _Record, key: tuple[Hashable, ...], doc: Document, tree: ast.Module) -> tuple[list[ast.stmt], Spans, Spans] | None:
    """(view statements, line spans whose old findings stay, line spans whose findings come
    from the view), or None when the edit must be analysed whole."""
    if previous.key != key or previous.line_count != doc.line_count:
        return None
    old, new = previous.body, tree.body
    if old is new or previous.text == doc.text:
        return None  # nothing changed (a new context object, say): cheap enough to redo
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] is new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] is new[-1 - suffix]:
        suffix += 1
    changed_old = old[prefix : len(old) - suffix]
    changed_new = new[prefix : len(new) - suffix]
    if not changed_new and not changed_old:
        return None  # only comments or blank lines between statements changed
    if not all(isinstance(s, _DEFINITION) for s in (*changed_old, *changed_new)):
        return None
    if _DYNAMIC.search(doc.text) or _DYNAMIC.search(previous.text):
        return None
    names = [_names(s) for s in new]
    changed = set(range(prefix, len(new) - suffix))
    dirty = set().union(*(_names(s).binds for s in changed_old), *(names[i].binds for i in changed))
    affected = set(changed)
    grew = True
    while grew:
        grew = False
        for i, stmt_names in enumerate(names):
            if i not in affected and stmt_names.mentions & dirty:
                if not isinstance(new[i], _DEFINITION):
                    return None  # module code reads a changed definition: everything may change
                affected.add(i)
                dirty |= stmt_names.binds
                grew = True
    # The view: module code, the affected definitions, and the definitions they read.
    in_view = {i for i, stmt in enumerate(new) if not isinstance(stmt, _DEFINITION)} | affected
    wanted: set[str] = set().union(*(names[i].mentions for i in in_view))
    grew = True
    while grew:
        grew = False
        for i, stmt_names in enumerate(names):
            if i not in in_view and stmt_names.binds & wanted:
                in_view.add(i)
                wanted |= stmt_names.mentions
                grew = True
    spans = [(statement_start(s), s.end_lineno or s.lineno) for s in new]
    keep_old = [span for i, span in enumerate(spans) if i not in affected]
    take_new = [span for i, span in enumerate(spans) if i in affected]
    # Lines outside every statement (comments, blank lines) also come from the view.
    take_new += _gaps(spans, doc.line_count)
    return [new[i] for i in sorted(in_view)], keep_old, take_new


def _gaps(spans: Spans, line_count: int) -> Spans:
    gaps: Spans = []
    line = 1
    for low, high in sorted(spans):
        if low > line:
            gaps.append((line, low - 1))
        line = max(line, high + 1)
    if line <= line_count + 1:
        gaps.append((line, line_count + 1))
    return gaps

