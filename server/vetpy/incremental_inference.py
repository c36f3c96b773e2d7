"""Inside an edited function, keep what the attribute inference learnt about the statements the
edit did not change and that do not depend on what it changed.

:mod:`vetpy.incremental` re-analyses a changed top-level definition whole: the incremental
parser gives it new node objects, so every expression of it is inferred again, although a
keystroke changes one statement.  This module carries the inference's answers
(``Inference._cache``: expression -> :class:`~vetpy.resolve.value.Value`) over to the new
version's nodes, for the statements of the function's body that are *reusable*:

* the old and the new function differ only in their body: same name, parameters, decorators
  and return annotation, same positions; the body statements equal in both (``ast.dump`` with
  positions) before the first and after the last changed one are *unchanged*;
* the *dirty* names are every name the changed statements (old and new) mention, bind, import,
  or spell in a string constant (a string annotation): what they read or mutate, too (whether a
  list is mutated in its scope changes what it is inferred to hold); an unchanged statement that
  mentions a dirty name is not reusable and the names it binds become dirty too, repeated until
  nothing is added (so a statement that reads what an edited one binds, or what such a
  statement binds, is inferred again); a ``global``/``nonlocal`` anywhere in the function:
  nothing is reused;
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
             body: list[ast.stmt], memo: NodeMemo) -> tuple[dict[int, tuple[ast.AST, Value]], tuple[Any, ...] | None]:
    """The answers to carry from ``old`` (the previous version's function) to ``new`` (its edited
    version, in the module ``body`` about to be analysed), and the file-wide facts they need."""
    if not (isinstance(old, _FUNCTIONS) and type(old) is type(new)):
        return {}, None
    box = old_memo.get(old, _KEY, list)
    if not box:
        return {}, None
    kept: Kept = box[0]
    run = kept.run
    if run.deferred or run.sets is None or run.key != key or not kept.values:
        return {}, None
    pairs = _reusable(old, new)  # type: ignore[arg-type]
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


def _dump(node: ast.AST | list[Any] | None) -> str:
    if isinstance(node, list):
        return "[" + ",".join(_dump(n) for n in node) + "]"
    return ast.dump(node, include_attributes=True) if isinstance(node, ast.AST) else repr(node)


def _reusable(old: ast.FunctionDef, new: ast.FunctionDef) -> list[tuple[ast.stmt, ast.stmt]]:
    """(old, new) pairs of the body statements whose answers carry over (see the module)."""
    if old.name != new.name or (old.lineno, old.col_offset) != (new.lineno, new.col_offset):
        return []
    for part in ("args", "decorator_list", "returns", "type_params"):
        if _dump(getattr(old, part, None)) != _dump(getattr(new, part, None)):
            return []
    a, b = old.body, new.body
    dumped_a, dumped_b = [_dump(s) for s in a], [_dump(s) for s in b]
    shorter = min(len(a), len(b))
    prefix = 0
    while prefix < shorter and dumped_a[prefix] == dumped_b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shorter - prefix and dumped_a[-1 - suffix] == dumped_b[-1 - suffix]:
        suffix += 1
    changed = [*a[prefix : len(a) - suffix], *b[prefix : len(b) - suffix]]
    if not changed:
        return []
    if any(isinstance(n, (ast.Global, ast.Nonlocal)) for s in (*a, *b) for n in ast.walk(s)):
        return []
    dirty: set[str] = set()
    for stmt in changed:
        dirty |= _names(stmt)
    kept = [*zip(a[:prefix], b[:prefix]), *zip(a[len(a) - suffix :], b[len(b) - suffix :])]
    names = [_names(s) for _, s in kept]
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
    taken as a parameter)."""
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
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            found.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.add(node.rest)
    return found


def _names(stmt: ast.stmt) -> set[str]:
    """Every name ``stmt`` mentions, binds or imports, and the words of its string constants."""
    found: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            found.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.add(node.rest)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(_WORDS.findall(node.value))
    return found
