"""The SEC walk: one pass over a module's tree, gated by trigger words, dispatching by node type.

Each rule module declares a :class:`RuleModule`: its rules, the node types it looks at (with one
handler each) and the words that can start one of its findings.  :class:`Walk` builds from those
declarations the dispatch table (node type -> handlers, in declaration order) and the pre-filter
(the union of the trigger words).  Nothing here knows a rule: a new rule module is one more
declaration in the package's list.

The pre-filter: in a module that does not use a web framework only the statements on lines with a
trigger word are walked (modules that do are walked in full: their handlers' returns and parameters
matter).  ``tests/test_security_properties.py`` checks that the gated walk finds what the full walk
finds.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.rules.registry import Rule
from vetpy.rules.sec.handed_sinks import handed_call
from vetpy.semantic.model import semantic

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

if TYPE_CHECKING:
    from vetpy.context import AnalysisContext


class Site:
    """A node a handler looks at: the node, its enclosing function (None at module or class
    level), for a call the qualified name of the callee and the attribute called (``x.execute``:
    ``"execute"``), and, computed on first use and shared by the node's handlers, its ancestors."""

    __slots__ = ("node", "func", "name", "attr", "_parents", "_ancestors")

    def __init__(
        self, node: ast.AST, func: FunctionNode | None, parents: dict[ast.AST, ast.AST], name: str | None = None, attr: str | None = None
    ) -> None:
        self.node = node
        self.func = func
        self.name = name
        self.attr = attr
        self._parents = parents
        self._ancestors: list[ast.AST] | None = None

    @property
    def parent(self) -> ast.AST | None:
        return self._parents.get(self.node)

    @property
    def ancestors(self) -> list[ast.AST]:
        """Enclosing nodes, outermost first."""
        if self._ancestors is None:
            chain: list[ast.AST] = []
            cur = self._parents.get(self.node)
            while cur is not None:
                chain.append(cur)
                cur = self._parents.get(cur)
            chain.reverse()
            self._ancestors = chain
        return self._ancestors


Handler = Callable[["SecurityPass", Site], Iterable[Finding]]


@dataclass(frozen=True)
class Triggers:
    """Text on a line that can start a finding (matched in the whole source, before parsing).

    ``words``: lower-case words.  ``untrusted``: words that count only in a module that reads
    ``input()`` or ``sys.argv`` (outside web modules the only untrusted input).  ``imported``:
    module -> words that count when the module is imported.  ``followed_by``: lower-case words
    that count when the text after them matches the pattern (``password = "..."``).  ``exact``:
    case-sensitive text (provider key prefixes)."""

    words: tuple[str, ...] = ()
    untrusted: tuple[str, ...] = ()
    imported: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    followed_by: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = ()
    exact: tuple[str, ...] = ()


# for Triggers.followed_by: `verify=False`, `debug = True` (lower case: the text is lowered)
BOOLEAN_SETTING = re.compile(r"\s*(?::\s*bool\s*)?=\s*(?:true|false)\b")


@dataclass(frozen=True)
class RuleModule:
    """What one rule module declares: its rules, a handler per node type, its trigger words, and
    the builtins its handlers read as qualified names (``eval`` when not imported)."""

    rules: tuple[Rule, ...]
    handlers: Mapping[type[ast.AST], Handler]
    triggers: Triggers
    builtins: frozenset[str] = frozenset()


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class Walk:
    """The dispatch table and the pre-filter built from the rule modules' declarations."""

    def __init__(self, modules: Iterable[RuleModule]) -> None:
        modules = tuple(modules)
        self.codes = frozenset(r.code for m in modules for r in m.rules)
        table: dict[type[ast.AST], list[Handler]] = {}
        for m in modules:
            for node_type, handler in m.handlers.items():
                table.setdefault(node_type, []).append(handler)
        self.table = {t: tuple(hs) for t, hs in table.items()}
        self.builtins = frozenset().union(*(m.builtins for m in modules))
        triggers = [m.triggers for m in modules]
        self.words = _unique(w for t in triggers for w in t.words)
        self.untrusted_words = _unique(w for t in triggers for w in t.untrusted)
        imported: dict[str, list[str]] = {}
        for t in triggers:
            for module, words in t.imported.items():
                imported.setdefault(module, []).extend(words)
        self.imported_words = {module: _unique(words) for module, words in imported.items()}
        self.followed_by = tuple((w, pattern) for t in triggers for words, pattern in t.followed_by for w in words)
        self.exact = _unique(w for t in triggers for w in t.exact)

    def trigger_offsets(self, text: str, words: Iterable[str]) -> list[int]:
        """Offsets of every trigger word (case-insensitive), word followed by its pattern and
        case-sensitive text."""
        low = text.lower()
        offsets: list[int] = []
        for word in words:
            offsets += _find_all(low, word)
        for word, tail in self.followed_by:
            offsets += [i for i in _find_all(low, word) if tail.match(low, i + len(word))]
        for prefix in self.exact:
            offsets += _find_all(text, prefix)
        return offsets


class SecurityPass:
    """One module's security pass: what the handlers share (the document, its imports and data
    flow) and the walk.  ``full``: walk every statement instead of only those on lines with a
    trigger word (the result must be the same; tests compare both)."""

    # the analysis context (the resolver: calls into other modules of the project); None in a
    # probe of another module's function (:mod:`vetpy.rules.sec.sink_summaries`) and in ``scan``
    ctx: "AnalysisContext | None" = None

    def __init__(self, doc: Document, tree: ast.Module, walk: Walk, full: bool = False) -> None:
        self.doc = doc
        self.tree = tree
        self.walk = walk
        model = semantic(doc)  # the document's one import map and data-flow model
        self.imports = model.imports
        self.flow = model.flow
        self.modules = {m.split(".")[0] for m in self.imports.names.values()}
        if self.flow.web or full:
            roots: list[Root] = [(tree, None, [], False)]
        else:
            aliases = [local.lower() for local, target in self.imports.names.items() if local != target.split(".")[-1] or "." in target]
            words = walk.words + tuple(aliases)
            if "input(" in doc.text or "argv" in doc.text:
                words += walk.untrusted_words
            for module, extra in walk.imported_words.items():
                if module in self.modules:
                    words += extra
            offsets = walk.trigger_offsets(doc.text, words)
            # each offset's line (``doc.position(o)[0]``, for some hundred thousand offsets per file)
            starts, end = doc.line_starts, len(doc.text)
            roots = _statements_at(tree, {bisect.bisect_right(starts, o if o < end else end) for o in offsets})
        if doc.is_view:  # an incremental view: maybe only some statements' findings are taken from it
            roots = _reported(roots, doc)
        self.nodes = _collect(roots, walk.table)
        self.parents = doc.parents  # the document's one parent map

    @classmethod
    def probe(cls, doc: Document, walk: Walk, flow: Any, func: FunctionNode) -> "SecurityPass":
        """A pass over ``func`` alone with the data-flow model ``flow`` (a probe: what reaches the
        sinks of ``func`` when one of its parameters is untrusted)."""
        sec = cls.__new__(cls)
        sec.doc, sec.tree, sec.walk = doc, doc.tree, walk  # type: ignore[assignment]
        sec.imports = flow.imports
        sec.flow = flow
        sec.modules = {m.split(".")[0] for m in sec.imports.names.values()}
        sec.nodes = [(node, f) for node, f in _collect([(func, None, [], False)], walk.table) if f is not None]
        sec.parents = doc.parents
        return sec

    def qualified(self, node: ast.AST) -> str | None:
        """The qualified name ``node`` refers to (``os.path.join``), or a builtin a rule module
        declared (``eval`` when not imported)."""
        name = self.flow.qualified(node)
        if name is None and isinstance(node, ast.Name) and node.id in self.walk.builtins and node.id not in self.imports.names:
            return node.id
        return name

    def run(self) -> Iterator[Finding]:
        for _node, finding in self.found():
            yield finding

    def found(self) -> Iterator[tuple[ast.AST, Finding]]:
        """Each finding with the node whose handler reported it."""
        table, parents = self.walk.table, self.parents
        comments = self.doc.comments
        for node, func in self.nodes:
            if isinstance(node, ast.Call):
                callee = node.func
                site = Site(node, func, parents, self.qualified(callee), callee.attr if isinstance(callee, ast.Attribute) else None)
            else:
                site = Site(node, func, parents)
            for handler in table[type(node)]:
                for f in handler(self, site):
                    # a line the author marked as reviewed for bandit (``# nosec``, ``# nosec B608``)
                    if "nosec" not in comments.get(f.line, ""):
                        yield node, f
            if isinstance(node, ast.Call) and (handed := handed_call(self, node, site.name)) is not None:
                # `asyncio.to_thread(subprocess.run, cmd, shell=True)`: the call it makes later
                later, name = handed
                parent = parents.get(node)
                inner = Site(later, func, ChainMap({later: parent} if parent is not None else {}, parents), name,  # type: ignore[arg-type]
                             later.func.attr if isinstance(later.func, ast.Attribute) else None)
                for handler in table[ast.Call]:
                    for f in handler(self, inner):
                        if "nosec" not in comments.get(f.line, ""):
                            yield node, f


# ---------------------------------------------------------------------------------------------
# Which statements to walk, and the walk
# ---------------------------------------------------------------------------------------------

# node, enclosing function, ancestors, header only (a compound statement without its bodies)
Root = tuple[ast.AST, "FunctionNode | None", list[ast.AST], bool]

# A line start is also just after a lone CR (old Mac line endings), which `^` does not know.
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _find_all(text: str, word: str) -> list[int]:
    found: list[int] = []
    i = text.find(word)
    while i != -1:
        found.append(i)
        i = text.find(word, i + len(word))
    return found


def _collect(roots: list[Root], table: Mapping[type[ast.AST], object]) -> list[tuple[ast.AST, FunctionNode | None]]:
    """Walk the subtrees under ``roots``: the nodes of the types in ``table``, with their
    enclosing function (a function's decorators are in the enclosing scope).  Every node of a
    file passes here: node types are compared with ``is`` and fields read from ``__dict__``
    (unset optional fields read as None, as with ``getattr``)."""
    found: list[tuple[ast.AST, FunctionNode | None]] = []
    stack: list[tuple[ast.AST, FunctionNode | None]] = []
    headers: set[int] = set()
    for root, func, _chain, header in roots:
        stack.append((root, func))
        if header:
            headers.add(id(root))
    pop, push, record = stack.pop, stack.append, found.append
    function_def, async_function_def, class_def, node_type = ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.AST
    inner: FunctionNode | None
    while stack:
        node, func = pop()
        kind = type(node)
        if kind in table:
            record((node, func))
        if kind is function_def or kind is async_function_def:
            for dec in node.decorator_list:  # type: ignore[attr-defined]
                push((dec, func))
            inner = node  # type: ignore[assignment]
        elif kind is class_def:
            inner = None
        else:
            inner = func
        fields = node.__dict__
        skip = _BODIES if headers and id(node) in headers else ()
        for name in node._fields:
            if skip and name in skip:
                continue
            value = fields.get(name)
            if value.__class__ is list:
                if name != "decorator_list":
                    for item in value:
                        if isinstance(item, node_type):
                            push((item, inner))
            elif isinstance(value, node_type):
                push((value, inner))
        if kind is class_def:
            for dec in node.decorator_list:  # type: ignore[attr-defined]
                push((dec, func))
    return found


def _reported(roots: list[Root], doc: Document) -> list[Root]:
    """The roots inside the top-level statements whose findings ``doc`` (an incremental view)
    reports; the module root becomes those statements.  A handler reports on the node it is
    called for or on a node inside it (``tests/test_security_properties.py`` checks that every
    finding lies in its node's top-level statement), so the other statements' findings, which the
    incremental analysis takes from the previous version, are never computed."""
    kept: list[Root] = []
    for root in roots:
        node = root[0]
        if isinstance(node, ast.Module):
            kept += [(stmt, None, [node], False) for stmt in node.body if doc.reports(stmt)]
        elif doc.reports(node):
            kept.append(root)
    return kept


def _statements_at(tree: ast.Module, lines: Iterable[int]) -> list[Root]:
    """The innermost statements (or except/case clauses) containing each line, with their
    enclosing function and ancestors; a statement inside another one returned is dropped."""
    roots: dict[int, Root] = {}
    firsts: dict[int, list[int]] = {}  # of each statement list: its statements' first lines
    for line in sorted(set(lines)):
        chain: list[ast.AST] = [tree]
        while (child := _child_statement_at(chain[-1], line, firsts)) is not None:
            chain.append(child)
        if len(chain) == 1 or any(id(a) in roots and not roots[id(a)][3] for a in chain[1:]):
            continue  # between statements, or inside a statement already walked
        node = chain[-1]
        body = getattr(node, "body", None)
        header = isinstance(body, list) and bool(body) and line < _first_line(body[0])
        if isinstance(body, list) and body and not header:
            continue  # a comment, blank line or bare `else:` between the statements of a block
        if id(node) in roots and (header or not roots[id(node)][3]):
            continue  # already there (a header root is upgraded when a later line needs its bodies)
        roots[id(node)] = (node, _function_of(chain[:-1]), chain[:-1], header)
    return list(roots.values())


def _function_of(chain: list[ast.AST]) -> FunctionNode | None:
    for node in reversed(chain):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
        if isinstance(node, ast.ClassDef):
            return None
    return None


def _child_statement_at(node: ast.AST, line: int, firsts: dict[int, list[int]]) -> ast.AST | None:
    """``firsts``: the first lines of the statement lists seen so far (by ``id``), kept by the
    caller for the lines it asks about next."""
    for name in _BODIES:
        body = getattr(node, name, None)
        if not body:
            continue
        starts = firsts.get(id(body))
        if starts is None:
            starts = firsts[id(body)] = [_first_line(stmt) for stmt in body]
        idx = bisect.bisect_right(starts, line) - 1
        if idx >= 0:
            stmt = body[idx]
            last = stmt.body[-1] if isinstance(stmt, ast.match_case) else stmt
            if line <= (last.end_lineno or 0):
                return stmt
    return None


def _first_line(stmt: ast.AST) -> int:
    """Where ``stmt`` starts: a decorated definition at its first decorator (a trigger word in a
    decorator, ``@pytest.mark.parametrize("q", [f"... {x}"])``, belongs to the definition)."""
    if isinstance(stmt, ast.match_case):
        return stmt.pattern.lineno
    decorators = getattr(stmt, "decorator_list", None)
    if decorators:
        return min(stmt.lineno, *(d.lineno for d in decorators))  # type: ignore[attr-defined]
    return stmt.lineno  # type: ignore[attr-defined]
