"""Re-analyse only what an edit can change: per-definition reuse of findings across versions.

A language server analyses the same file after every keystroke, and most keystrokes change one
function.  The incremental parser (:mod:`vetpy.document`) keeps the node objects of every
top-level statement the edit did not touch; this module keeps the findings of those statements
too, and runs the checkers on a *view* of the module instead of the whole of it.

After an edit that changes only top-level ``def``/``class`` statements (the *changed* ones):

* **affected** statements are the changed ones plus every top-level statement that reads a name
  one of them binds (its name, its ``global`` names and what it imports, as bare names; as ``.attr`` reads of any
  object: its name, the attributes it assigns or probes with ``hasattr``/``getattr``/``setattr``
  and, for a class, every name bound in its body; a class also "binds" its bases, which it
  subclasses),
  repeated until nothing more is added.  Their findings are
  computed again; every other statement's findings are the previous version's, unchanged (the
  statement, its lines and everything it mentions are the same).
* the **view** the checkers run on is the module with only: every statement that is not a
  ``def``/``class`` (imports, constants, module code: the context every function reads), the
  affected definitions, and the definitions those mention, transitively (so a call's target, a
  class's methods, a global's writer are all there).  Findings the checkers report inside the
  affected statements, and outside every top-level statement, are taken from the view; the view
  tells the checkers so (:meth:`Document.reports`), and those whose work on a node is only
  reporting on it (the import and attribute checks, EDGE009-012's flow over one function) skip
  the other statements.

Anything that does not fit that shape is analysed whole: a changed statement that is not a
definition, an affected statement that is not one, an edit that changes what a definition contributes to a fact a checker derives from the whole
file (``REGISTRY.whole_file_facts``: a parameter named like a builtin, a web route ...), a
change in the number of lines, a module
that changes its names dynamically (``sys.path``, ``__getattr__``, ``globals()`` ...) or imports a
web framework inside a function,
a different configuration, environment or set of enabled codes.  After a version that was not
analysed to the end (cancelled, a checker failed) or does not parse, the next version is planned
against the last complete analysis.  ``tests/test_incremental_reuse.py`` compares the result with
a whole analysis on random edits of real files.  The language server also re-checks the whole
file once the user pauses (:mod:`vetpy.lsp.recheck`), so a difference could never outlive a pause.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Hashable

from vetpy.astutil import NodeMemo
from vetpy.context import AnalysisContext
from vetpy.document import Document, Parses, statement_start
from vetpy.engine import enabled_codes, postprocess, run_checkers
from vetpy.findings import Finding
from vetpy.incremental_inner import kept_statements
from vetpy.rules import REGISTRY
from vetpy.semantic.statements import each_statement_facts

_DEFINITION = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# A module that reads or rewrites its namespace or the import system by name: what a function
# means there can depend on code nowhere near it, so every edit is analysed whole.
_DYNAMIC = re.compile(
    r"sys\s*\.\s*path|sys\s*\.\s*modules|addsitedir|syspath_prepend|__getattr__|__builtins__|__import__|import_module"
    r"|\bglobals\s*\("
)
# The same test, fast: Python's re scans quickly for a pattern that starts with a literal, slowly
# for an alternation (4 ms on a 1,000-line file, on every edit).
_DYNAMIC_WORDS = ("addsitedir", "syspath_prepend", "__getattr__", "__builtins__", "__import__", "import_module")
_DYNAMIC_SYS = re.compile(r"sys\s*\.\s*(?:path|modules)")
_DYNAMIC_GLOBALS = re.compile(r"globals\s*\(")


def is_dynamic(text: str, words_in: str | None = None) -> bool:
    """``_DYNAMIC.search(text) is not None``, without the alternation's cost.  ``words_in``: the
    only stretch of ``text`` that can hold one of the fixed words (:func:`dynamic_after_edit`)."""
    if any(word in (text if words_in is None else words_in) for word in _DYNAMIC_WORDS) or _DYNAMIC_SYS.search(text):
        return True
    return any(m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")
               for m in _DYNAMIC_GLOBALS.finditer(text))


_WORD_REACH = max(map(len, _DYNAMIC_WORDS)) - 1


def dynamic_after_edit(text: str, first: int, tail: int) -> bool:
    """``is_dynamic(text)`` for a text whose earlier version was not dynamic and has its first
    ``first`` and last ``tail`` characters in common with it: one of the fixed words not in the
    earlier text overlaps what changed, so only that stretch is searched for them (the words were
    most of the test's cost, a search of the whole file for each on every edit)."""
    return is_dynamic(text, text[max(0, first - _WORD_REACH) : len(text) - tail + _WORD_REACH])


def _dynamic(doc: Document, previous: "_Record | None") -> bool:
    edit = doc.edit
    if previous is None or previous.dynamic or edit is None or edit[0] != previous.text:
        return is_dynamic(doc.text)
    return dynamic_after_edit(doc.text, edit[1], edit[2])


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
    dynamic: bool  # the text matches _DYNAMIC
    line_count: int
    body: list[ast.stmt]
    memo: NodeMemo  # the document's: what is known about the statements of ``body``
    line_starts: list[int]
    findings: list[Finding]  # before postprocessing
    # questions its analysis did not ask (the language server's deferred introspection): its
    # findings may be fewer than a whole analysis's until the caller analyses a version whole
    pending: frozenset[str] = frozenset()


@dataclass
class Outcome:
    findings: list[Finding]
    reused: bool  # True: some statements' findings came from the previous version
    analysed: int  # top-level statements analysed (in the view, or all of them)
    statements: int
    pending: frozenset[str] = frozenset()  # the reused version's (:meth:`IncrementalAnalyzer.keep_pending`)


@dataclass
class IncrementalAnalyzer:
    """Per-path memory of the last analysis.  Not thread-safe per path: the language server
    analyses one version of a document at a time."""

    records: dict[str, _Record] = field(default_factory=dict)
    # the last tree of each path, for the incremental parse of its next version: documents to
    # analyse here are made with ``Document(path, text, parses=analyzer.parses)``
    parses: Parses = field(default_factory=Parses)

    def forget(self, path: str) -> None:
        """Drop everything kept for ``path`` (its document closed)."""
        self.records.pop(path, None)
        self.parses.forget(path)

    def keep_pending(self, path: str, pending: frozenset[str]) -> None:
        """The last analysis of ``path`` left these questions unasked; an analysis that reuses its
        findings inherits them (``Outcome.pending``) until a whole analysis asks them all."""
        record = self.records.get(path)
        if record is not None:
            record.pending = pending

    def analyze(self, doc: Document, ctx: AnalysisContext, key: tuple[Hashable, ...] = (), full: bool = False) -> Outcome:
        """Findings of ``doc`` (equal to :func:`vetpy.engine.analyze`), re-using the previous
        version's where the edit cannot have changed them.  ``key`` identifies everything
        besides the text that findings depend on (the caller's environment generation);
        ``full`` forces a whole analysis."""
        codes = enabled_codes(ctx, doc.path)
        # The same objects, not equal ones: a rebuilt environment is a different environment.
        key = (*key, Same(ctx.config), Same(ctx.environment), Same(ctx.declared), Same(ctx.first_party), frozenset(codes))
        previous = self.records.pop(doc.path, None)
        tree = doc.tree
        dynamic = _dynamic(doc, previous)
        plan = None if full or dynamic or previous is None or tree is None else _plan(previous, key, doc, tree)
        statements = len(tree.body) if tree is not None else 0
        if plan is None:
            raw, complete = run_checkers(doc, ctx, codes)
            analysed = statements
        else:
            view, keep_old, take_new = plan
            local = REGISTRY.local_codes(codes)
            inner = _inner(previous, doc, tree, take_new) if local else []
            found, complete = run_checkers(doc.view(view, take_new, inner), ctx, codes)
            raw = [f for f in previous.findings if _line_in(f.line, keep_old)
                   or f.code in local and _line_in(f.line, inner)]
            raw += [f for f in found if _line_in(f.line, take_new) and not (f.code in local and _line_in(f.line, inner))]
            analysed = len(view)
        pending = previous.pending if plan is not None and previous is not None else frozenset()
        if complete and tree is not None:
            self.records[doc.path] = _Record(key, doc.text, dynamic, doc.line_count, list(tree.body), doc.memo,
                                             doc.line_starts, raw, pending)
        elif previous is not None and not full:
            # Cancelled (a newer version is on its way), a checker failed, or the text does not
            # parse (half-typed code): the previous version's record still holds for the previous
            # text, and the next version is planned against it (statements are compared by
            # identity: what this version re-parsed counts as changed).  Dropped, the next version
            # would be analysed whole (~30 times an edit's work on the editor benchmark's file),
            # and while keystrokes come faster than that, every one after it too.  Not after a
            # forced whole analysis: the recheck of deferred questions would be scheduled again
            # on every later version.
            self.records.setdefault(doc.path, previous)
        return Outcome(postprocess(raw, doc, ctx, codes if complete else None), plan is not None, analysed, statements, pending)


Spans = list[tuple[int, int]]


def _inner(previous: _Record, doc: Document, tree: ast.Module, take_new: Spans) -> Spans:
    """Line spans inside the one re-analysed definition whose local checkers' findings stay
    (:mod:`vetpy.incremental_inner`); [] unless the edit changed one module-level function."""
    edit = doc.edit
    if edit is None or edit[0] != previous.text:
        return []
    old, new = previous.body, tree.body
    changed = [i for i, stmt in enumerate(new) if i >= len(old) or old[i] is not stmt]
    if len(old) != len(new) or len(changed) != 1:
        return []
    i = changed[0]
    if not any(low <= new[i].lineno <= high for low, high in take_new):
        return []
    return kept_statements(old[i], new[i], previous.line_starts, doc.line_starts, edit, len(doc.text))


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
    shorter = min(len(old), len(new))
    prefix = 0
    while prefix < shorter and old[prefix] is new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shorter - prefix and old[-1 - suffix] is new[-1 - suffix]:
        suffix += 1
    changed_old = old[prefix : len(old) - suffix]
    changed_new = new[prefix : len(new) - suffix]
    if not changed_new and not changed_old:
        return None  # only comments or blank lines between statements changed
    if not all(isinstance(s, _DEFINITION) for s in (*changed_old, *changed_new)):
        return None
    if previous.dynamic:
        return None  # the edit may have removed what made the module dynamic: its effects did not go
    for fact in REGISTRY.whole_file_facts:
        old_facts = set().union(*(fact(s, previous.memo) for s in changed_old))
        if old_facts != set().union(*(fact(s, doc.memo) for s in changed_new)):
            return None  # e.g. a parameter named `len` appeared: no function's `len` is the builtin
    memo, old_memo = doc.memo, previous.memo  # once: `Document.memo` is a property
    names = each_statement_facts(new, memo)
    before = each_statement_facts(changed_old, old_memo)
    if any(n.web_import for n in (*names, *before)):
        return None  # the security checks treat every function's parameters as web input then
    changed = set(range(prefix, len(new) - suffix))
    dirty = set().union(*(n.binds for n in before), *(names[i].binds for i in changed))
    dirty_attrs = set().union(*(n.attrs for n in before), *(names[i].attrs for i in changed))
    affected = set(changed)
    while True:  # one loop over every statement per round
        reading = [i for i, n in enumerate(names) if i not in affected and n.reads(dirty, dirty_attrs)]
        if not reading:
            break
        for i in reading:
            if not isinstance(new[i], _DEFINITION):
                return None  # module code reads a changed definition: everything may change
            affected.add(i)
            dirty |= names[i].binds
            dirty_attrs |= names[i].attrs
    # The view: module code, the affected definitions, and the definitions they read.
    in_view = {i for i, stmt in enumerate(new) if not isinstance(stmt, _DEFINITION)} | affected
    wanted: set[str] = set().union(*(names[i].mentions for i in in_view))
    wanted_attrs: set[str] = set().union(*(names[i].attr_mentions for i in in_view))
    while True:
        bound = [i for i, n in enumerate(names) if i not in in_view and n.binds_any(wanted, wanted_attrs)]
        if not bound:
            break
        for i in bound:
            in_view.add(i)
            wanted |= names[i].mentions
            wanted_attrs |= names[i].attr_mentions
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

