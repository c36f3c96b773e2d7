"""Inside the one edited function: the statements whose *local* checkers' findings an edit cannot change.

:mod:`vetpy.incremental` re-analyses an edited top-level definition whole.  When the edit changed
one simple statement of a module-level function's body (an assignment or an expression
statement, before and after), the other statements of that body are the same text at the same
lines; for a checker registered ``local=True`` (``REGISTRY.local_codes``) the findings at such a
statement depend only on that statement, on the bindings of the names it mentions, and on facts of
the file outside the function, so they are the previous version's unless the statement is
*dirty*:

* it mentions (as a name, an attribute, an imported or keyword name, a string) a name the old or
  new edited statement reads or binds, an attribute name it sets, a string it holds, or the
  function's own name (its return values may have changed), or a name a dirty statement binds (transitively: ``path = join(data)`` is dirty when
  ``data`` was edited, and so is ``return path``);
* or it comes after a dirty statement that is not a simple statement (an ``if`` that leaves the
  block is read by the checks of everything after it: platform exits, narrowing by an exit).

An edited statement that probes or sets attributes by name (``getattr``, ``setattr``,
``hasattr``, ``vars``, ``__dict__`` ...) changes facts of the whole file: no reuse then.

The audit per local checker (what its findings at a node read) is written beside its
registration; ``tests/test_incremental_inner.py`` compares the result with a whole analysis over
random edits of one statement in a function.
"""

from __future__ import annotations

import ast
import bisect

from vetpy.astutil import walk

_SIMPLE = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)
_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef)
# Names by which a statement can change what is known of attributes or names file-wide.
_BY_NAME = frozenset({"setattr", "getattr", "hasattr", "delattr", "vars", "locals", "globals", "exec", "eval",
                      "__dict__", "__setattr__", "__getattr__", "__getattribute__", "__delattr__", "__class__", "__import__"})

Spans = list[tuple[int, int]]


_DEFINING = (*_FUNCTION, ast.ClassDef, ast.Global, ast.Nonlocal, ast.ExceptHandler, ast.MatchAs, ast.MatchStar,
             ast.MatchMapping)


def _names(stmt: ast.stmt) -> tuple[set[str], set[str]]:
    """What ``stmt`` mentions (a name, an attribute, an imported or keyword name, a string, a
    parameter, a defined or declared name) and what it binds, sets or deletes (names and
    attribute names; a superset is safe), in one walk."""
    mentions: set[str] = set()
    binds: set[str] = set()
    for node in walk(stmt):
        kind = type(node)
        if kind is ast.Name:
            mentions.add(node.id)  # type: ignore[attr-defined]
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                binds.add(node.id)  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            mentions.add(node.attr)  # type: ignore[attr-defined]
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                binds.add(node.attr)  # type: ignore[attr-defined]
        elif kind is ast.Constant:
            if isinstance(node.value, str):  # type: ignore[attr-defined]
                mentions.add(node.value)  # type: ignore[attr-defined]
        elif kind is ast.keyword or kind is ast.arg:
            if node.arg:  # type: ignore[attr-defined]
                mentions.add(node.arg)  # type: ignore[attr-defined]
        elif kind is ast.alias:
            mentions.update((node.name, *node.name.split(".")))  # type: ignore[attr-defined]
            if node.asname:  # type: ignore[attr-defined]
                mentions.add(node.asname)  # type: ignore[attr-defined]
            binds.add(node.asname or node.name.split(".")[0])  # type: ignore[attr-defined]
        elif kind is ast.MatchClass:
            mentions.update(node.kwd_attrs)  # type: ignore[attr-defined]
        elif isinstance(node, _DEFINING):
            defined = _defined(node)
            mentions |= defined
            binds |= defined
    return mentions, binds


def _defined(node: ast.AST) -> set[str]:
    """The names ``node`` binds as a definition, a declaration, a handler or a pattern."""
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return set(node.names)
    name = getattr(node, "rest" if isinstance(node, ast.MatchMapping) else "name", None)
    return {name} if name else set()


def _edited(stmt: ast.stmt) -> set[str] | None:
    """What another statement must mention to depend on the edited simple statement ``stmt``: the
    names it reads or binds (its values, mutations, narrowing), the attribute names it sets, its
    strings (an attribute probed by name).  An attribute it only reads changes nothing elsewhere.
    None when it names something that probes or sets names by name (``getattr``, ``__dict__`` ...)
    or holds a ``yield`` (it makes or unmakes a generator)."""
    found: set[str] = set()
    for node in walk(stmt):
        kind = type(node)
        if kind is ast.Name:
            found.add(node.id)  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            if node.attr in _BY_NAME:  # type: ignore[attr-defined]
                return None
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                found.add(node.attr)  # type: ignore[attr-defined]
        elif kind is ast.Constant and isinstance(node.value, str):  # type: ignore[attr-defined]
            found.add(node.value)  # type: ignore[attr-defined]
        elif kind is ast.arg:  # a lambda's
            found.add(node.arg)  # type: ignore[attr-defined]
        elif kind is ast.Yield or kind is ast.YieldFrom:
            return None
    return None if found & _BY_NAME else found


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)  # 1-based: starts[0] == 0


def _changed_lines(starts: list[int], length: int, first: int, tail: int) -> tuple[int, int]:
    """First and last line holding a changed character (the insertion point's line when none is)."""
    end = length - tail
    return _line_of(starts, first), _line_of(starts, max(first, end - 1))


def _lines(stmt: ast.stmt) -> tuple[int, int]:
    return stmt.lineno, stmt.end_lineno or stmt.lineno


def kept_statements(old: ast.stmt, new: ast.stmt, old_starts: list[int], new_starts: list[int],
                    edit: tuple[str, int, int], new_length: int) -> Spans:
    """Line spans of the statements of ``new``'s body (the edited module-level function; ``old``:
    the definition it replaced, the edit ``(old text, common prefix, common suffix)``) whose local
    checkers' findings are the previous version's; [] when the edit does not have that shape."""
    if type(old) is not type(new) or not isinstance(new, _FUNCTION) or len(old.body) != len(new.body):
        return []
    old_text, first, tail = edit
    new_low, new_high = _changed_lines(new_starts, new_length, first, tail)
    old_low, old_high = _changed_lines(old_starts, len(old_text), first, tail)
    body, old_body = new.body, old.body  # type: ignore[attr-defined]
    edited = next((i for i, s in enumerate(body) if s.lineno <= new_low and new_high <= (s.end_lineno or s.lineno)), None)
    if edited is None:
        return []
    was, now = old_body[edited], body[edited]
    if not (isinstance(was, _SIMPLE) and isinstance(now, _SIMPLE)) or not (
            was.lineno <= old_low and old_high <= (was.end_lineno or was.lineno)):
        return []
    last = new.lineno  # a body on the `def` line: not told apart from the header
    for i, (a, b) in enumerate(zip(old_body, body)):
        if b.lineno <= last:
            return []  # two statements on one line: findings are told apart by line only
        last = b.end_lineno or b.lineno
        if i != edited and (type(a) is not type(b) or _lines(a) != _lines(b) or a.col_offset != b.col_offset):
            return []
    before, after = _edited(was), _edited(now)
    if before is None or after is None:
        return []
    dirty_names = before | after | {new.name}
    facts = [_names(s) for s in body]
    dirty = {edited}
    grew = True
    while grew:
        grew = False
        for i, (mentions, binds) in enumerate(facts):
            if i not in dirty and mentions & dirty_names:
                dirty.add(i)
                dirty_names |= binds
                grew = True
    kept: Spans = []
    for i, stmt in enumerate(body):
        if i in dirty:
            if not isinstance(stmt, _SIMPLE):
                break  # everything after it reads it (an exit, a narrowing)
            continue
        kept.append(_lines(stmt))
    return kept
