"""Inside an edited function, keep what the attribute inference learnt about the statements the
edit did not change and that do not depend on what it changed.

:mod:`vetpy.incremental` re-analyses a changed top-level definition whole: the incremental
parser gives it new node objects, so every expression of it is inferred again, although a
keystroke changes one statement.  This module carries the inference's answers
(``Inference._cache``: expression -> :class:`~vetpy.resolve.value.Value`) over to the new
version's nodes, for the statements of the function's body that are *reusable*:

* the old and the new function differ only in their body: same name and position, the header
  (decorators, parameters, return annotation) on lines before the edit; the body statements at
  the same position in both, on lines wholly inside the text the edit left alone (the common
  prefix and suffix of the two texts), before the first and after the last changed one, are
  *unchanged* (same text, same place: the same syntax tree);
* the *dirty* names are every name the changed statements (old and new) mention, bind, import,
  or spell in a string constant (a string annotation): what they read or mutate, too (whether a
  list is mutated in its scope changes what it is inferred to hold); an unchanged statement that
  mentions a dirty name is not reusable and the names it binds become dirty too, repeated until
  nothing is added (so a statement that reads what an edited one binds, or what such a
  statement binds, is inferred again).  For the new text's statements the names are the
  identifiers of their lines not preceded by a dot (a superset: keywords, words of strings and
  comments come along), a regular-expression scan instead of a walk of their trees;
* the analysis the answers come from (*A*) saw the same outside context as this one (*B*): the
  same configuration, environment and enabled codes, no question deferred (the language
  server's background introspection), the same file-wide facts the inference collects from
  every node (``global`` names, star imports, subclassed names, assigned and probed attribute
  names), and the same top-level statement objects (unchanged statements keep their objects
  across versions) among those that bind a name the function mentions, transitively (what the
  function's free names can resolve to);
* values naming a class or function of this file are not carried (the inference registers the
  node behind such a value when it makes it).

``tests/test_incremental_reuse.py`` compares the result with a whole analysis on random edits
inside functions (a variant that skips the dirty names fails it).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any, Hashable

from vetpy.astutil import NodeMemo, statement_nodes
from vetpy.document import statement_start
from vetpy.resolve.value import LOCAL_CLASS, LOCAL_FUNCTION, LOCAL_INSTANCE, Value
from vetpy.semantic.statements import StatementFacts, each_statement_facts

_KEY = "incremental.inference"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOCAL = frozenset({LOCAL_CLASS, LOCAL_FUNCTION, LOCAL_INSTANCE})
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SEED = "incremental.inference.seed"  # Document.shared key read by semantic.document.document_inference


@dataclass
class Run:
    """One analysis, as far as the inference of a function depends on it."""

    key: tuple[Hashable, ...]
    body: tuple[ast.stmt, ...]  # the analysed module's top-level statements (a view's or all)
    facts: list[StatementFacts]
    sets: tuple[Any, ...] | None = None  # the inference's file-wide facts (None: no inference made)
    deferred: bool = False  # some question was left unasked: its answers may be short

    def context(self, function: ast.stmt) -> tuple[ast.stmt, ...]:
        """The top-level statements other than ``function`` that bind a name it mentions,
        transitively, in body order."""
        return _context(function, self.body, self.facts)


def _context(function: ast.stmt, body: tuple[ast.stmt, ...] | list[ast.stmt], facts: list[StatementFacts]) -> tuple[ast.stmt, ...]:
    index = next((i for i, s in enumerate(body) if s is function), None)
    if index is None:
        return ()
    wanted, wanted_attrs = set(facts[index].mentions), set(facts[index].attr_mentions)
    taken = {index}
    while True:
        bound = [i for i, n in enumerate(facts) if i not in taken and n.binds_any(wanted, wanted_attrs)]
        if not bound:
            break
        for i in bound:
            taken.add(i)
            wanted |= facts[i].mentions
            wanted_attrs |= facts[i].attr_mentions
    taken.discard(index)
    return tuple(body[i] for i in sorted(taken))


def file_facts(inference: Any) -> tuple[Any, ...]:
    """What the inference collected from every node of the analysed module."""
    return (frozenset(inference._globals), inference._star_import, frozenset(inference._subclassed),
            frozenset(inference.assigned_attrs), frozenset(inference.probed_attrs))


class Watch:
    """Put in ``Document.shared`` before the checkers run: the inference the analysis makes
    reports itself here (``shared`` is emptied when the analysis ends), and is seeded."""

    def __init__(self, seed: dict[int, tuple[ast.AST, Value]] | None, sets: tuple[Any, ...] | None) -> None:
        self.seed = seed
        self.sets = sets
        self.inference: Any = None
        self.seeded = 0

    def __call__(self, inference: Any) -> None:
        self.inference = inference
        if self.seed and self.sets == file_facts(inference):
            fresh = {k: v for k, v in self.seed.items() if k not in inference._cache}
            inference._cache.update(fresh)
            self.seeded = len(fresh)


@dataclass
class Kept:
    """What one analysis inferred inside one top-level function."""

    run: Run
    values: dict[int, tuple[ast.AST, Value | None]] = field(default_factory=dict)


def remember(run: Run, inference: Any, functions: list[ast.stmt], memo: NodeMemo) -> None:
    """Keep, under each of ``functions`` (top-level statements of ``run``) in ``memo``, the
    inference's answers about its nodes."""
    if inference is None:
        return
    run.sets = file_facts(inference)
    cache = inference._cache
    for function in functions:
        if not isinstance(function, _FUNCTIONS):
            continue
        values = {}
        for node in statement_nodes(function, memo):
            entry = cache.get(id(node))
            if entry is not None and entry[0] is node and _plain(entry[1]):
                values[id(node)] = entry
        box = memo.get(function, _KEY, list)
        box[:] = [Kept(run, values)]


def _plain(value: Value | None) -> bool:
    if value is None:
        return True
    if value.kind in _LOCAL:
        return False
    return _plain(value.receiver) and all(_plain(v) for v in value.args)


def seed_for(old: ast.stmt, new: ast.stmt, old_memo: NodeMemo, key: tuple[Hashable, ...],
             body: list[ast.stmt], memo: NodeMemo, window: Window | None) -> tuple[dict[int, tuple[ast.AST, Value]], tuple[Any, ...] | None]:
    """The answers to carry from ``old`` (the previous version's function) to ``new`` (its edited
    version, in the module ``body`` about to be analysed), and the file-wide facts they need."""
    if window is None or not (isinstance(old, _FUNCTIONS) and type(old) is type(new)):
        return {}, None
    box = old_memo.get(old, _KEY, list)
    if not box:
        return {}, None
    kept: Kept = box[0]
    run = kept.run
    if run.deferred or run.sets is None or run.key != key or not kept.values:
        return {}, None
    pairs = _reusable(old, new, window)  # type: ignore[arg-type]
    if not pairs:
        return {}, None
    context = run.context(old)
    if context != _context(new, body, each_statement_facts(body, memo)):
        return {}, None
    seed: dict[int, tuple[ast.AST, Value]] = {}
    values = kept.values
    for before, after in pairs:
        for o, n in zip(ast.walk(before), ast.walk(after)):
            entry = values.get(id(o))
            if entry is not None and entry[0] is o:
                seed[id(n)] = (n, entry[1])  # type: ignore[assignment]
    return seed, run.sets


# the new text's line starts, the text, the common prefix and suffix lengths, the old text
Window = tuple[list[int], str, int, int, str]


def _same_lines(old: ast.stmt, new: ast.stmt, window: Window) -> bool:
    """Are ``old`` and ``new`` the same statement: at the same position, on lines that lie wholly
    in the text the edit left alone (its common prefix or suffix, the number of lines unchanged)?"""
    if type(old) is not type(new) or (old.lineno, old.col_offset, old.end_lineno, old.end_col_offset) != (
            new.lineno, new.col_offset, new.end_lineno, new.end_col_offset):
        return False
    starts, text, first, tail, _ = window
    length = len(text)
    last = new.end_lineno or new.lineno
    end = starts[last] if last < len(starts) else length
    return end <= first or starts[statement_start(new) - 1] >= length - tail


def _reusable(old: ast.FunctionDef, new: ast.FunctionDef, window: Window) -> list[tuple[ast.stmt, ast.stmt]]:
    """(old, new) pairs of the body statements whose answers carry over (see the module)."""
    a, b = old.body, new.body
    starts, _, first, _, _ = window
    if (old.name != new.name or statement_start(old) != statement_start(new) or not a or not b
            or a[0].lineno != b[0].lineno or b[0].lineno <= new.lineno or starts[b[0].lineno - 1] > first):
        return []  # the header (decorators, parameters, return annotation) must lie before the edit
    shorter = min(len(a), len(b))
    prefix = 0
    while prefix < shorter and _same_lines(a[prefix], b[prefix], window):
        prefix += 1
    suffix = 0
    while suffix < shorter - prefix and _same_lines(a[-1 - suffix], b[-1 - suffix], window):
        suffix += 1
    changed = [*a[prefix : len(a) - suffix], *b[prefix : len(b) - suffix]]
    if not changed:
        return []
    dirty: set[str] = set()
    for stmt in b[prefix : len(b) - suffix]:
        dirty |= _words(stmt, window)
    if len(a) > prefix + suffix:
        dirty |= _old_words(a[prefix], a[len(a) - suffix - 1], window)
    kept = [*zip(a[:prefix], b[:prefix]), *zip(a[len(a) - suffix :], b[len(b) - suffix :])]
    names = [_words(s, window) for _, s in kept]
    clean = [True] * len(kept)
    grew = True
    while grew:
        grew = False
        for i, found in enumerate(names):
            if clean[i] and not found.isdisjoint(dirty):
                clean[i] = False
                dirty |= _bound(kept[i][1])  # what it binds may differ now (what it reads or mutates does not)
                grew = True
    return [pair for pair, ok in zip(kept, clean) if ok]


def _bound(stmt: ast.stmt) -> set[str]:
    """Every name ``stmt`` binds anywhere inside (assigned, defined, imported, caught, matched,
    declared ``global``, taken as a parameter)."""
    found: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            found.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.add(node.rest)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update(node.names)
    return found


# An identifier not read as an attribute (``.name``): every name a statement mentions, binds or
# imports is one in its text (so are its keywords and the words of its strings and comments).
_NAME_WORDS = re.compile(r"(?<![.\w])[^\W\d]\w*")


def _words(stmt: ast.stmt, window: Window) -> set[str]:
    """Every name ``stmt`` (a statement of the new text) mentions, binds or imports, and more: the
    identifiers of its lines not preceded by a dot."""
    starts, text, _, _, _ = window
    last = stmt.end_lineno or stmt.lineno
    return set(_NAME_WORDS.findall(text, starts[statement_start(stmt) - 1], starts[last] if last < len(starts) else len(text)))


def _old_words(low: ast.stmt, high: ast.stmt, window: Window) -> set[str]:
    """The names of the old text's statements from ``low`` to ``high`` (as :func:`_words`): the
    words of a stretch of the old text that holds them.  Lines before the first changed
    character start where they do in the new text, lines after the last changed one where they
    do shifted by the change in length."""
    starts, text, first, tail, old = window
    last = high.end_lineno or high.lineno
    begin = min(starts[statement_start(low) - 1], first)
    end = max((starts[last] if last < len(starts) else len(text)) - len(text) + len(old), len(old) - tail)
    return set(_NAME_WORDS.findall(old, max(begin, 0), min(end, len(old))))
