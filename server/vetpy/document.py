"""A parsed Python document: text, syntax tree (or the syntax error), positions, suppressions."""

from __future__ import annotations

import ast
import bisect
import io
import threading
import tokenize
from dataclasses import dataclass, field
from functools import cached_property
from collections.abc import Mapping
from typing import Any, Iterator

from vetpy.astutil import NodeMemo, child_nodes, parse
from vetpy.comment_spans import narrowest_span
from vetpy.findings import TextEdit, _line_starts
from vetpy.suppression import Suppression, has_hint, hinted_lines, parse_comment
from vetpy.trees import parse_file

Range = tuple[int, int, int, int]  # line, column, end_line, end_column (1-based, half-open)



@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class Document:
    """Immutable snapshot of one file's text.  Rules receive this and never touch the disk."""

    path: str
    text: str
    module_name: str | None = None  # dotted name when the file lies in a package, if known
    # The last trees parsed per path, to re-parse only the statement an edit touched: given by
    # whoever analyses the same file again and again (the language server); None: parse whole.
    parses: "Parses | None" = field(default=None, repr=False, compare=False)
    _tree: ast.Module | None = field(default=None, init=False, repr=False)
    _syntax: SyntaxProblem | None = field(default=None, init=False, repr=False)
    _parsed: bool = field(default=False, init=False, repr=False)
    _module_body: list[ast.stmt] | None = field(default=None, init=False, repr=False)  # set in a view
    _reported: list[tuple[int, int]] | None = field(default=None, init=False, repr=False)  # set in a view: see reports()
    _kept_local: list[tuple[int, int]] = field(default_factory=list, init=False, repr=False)  # see reports_local()
    _memo: NodeMemo | None = field(default=None, init=False, repr=False)
    # re-parsed from an earlier text: (that text, the lengths of their common prefix and suffix)
    _edit: tuple[str, int, int] | None = field(default=None, init=False, repr=False)
    # What several rules derive from this snapshot and share (e.g. the attribute inference), by key.
    shared: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- parsing -----------------------------------------------------------------------------
    def _parse(self) -> None:
        if self._parsed:
            return
        self._parsed = True
        previous = self.parses.get(self.path) if self.parses is not None else None
        try:
            edit = self._edit = _edit_of(previous, self.text)
            if edit is not None and previous is not None and "line_starts" not in self.__dict__:
                self.__dict__["line_starts"] = edited_line_starts(previous[2], edit, self.text)  # a cached_property's slot
            tree = _reparse(previous, self.text, self.line_starts, self.path, edit)
            if tree is None and self.parses is None and self.path:
                tree = parse_file(self.path, self.text, filename=_parse_name(self.path))  # as a module's source too
            elif tree is None:
                tree = parse(self.text, filename=_parse_name(self.path))
            self._tree = tree
            self._memo = NodeMemo(tree.body, previous[3] if previous is not None else None)
            if self.parses is not None:
                self.parses.remember(self.path, self.text, tree, self.line_starts, self._memo)
        except SyntaxError as exc:
            self._syntax = self._syntax_problem(exc)
        except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
            # null bytes (older Pythons), pathological nesting, huge literals
            self._syntax = SyntaxProblem(_first_line(str(exc)) or type(exc).__name__, 1, 1, 1, 1)

    def _syntax_problem(self, exc: SyntaxError) -> SyntaxProblem:
        msg = exc.msg or "invalid syntax"
        line = exc.lineno or 1
        nlines = self.line_count
        line = min(max(line, 1), nlines)
        text = self.line_text(line)
        # SyntaxError.offset is 1-based and counted in characters of the line (3.10+)
        col = exc.offset or 1
        col = min(max(col, 1), len(text) + 1)
        end_line = exc.end_lineno or line
        end_col = exc.end_offset or col
        end_line = min(max(end_line, line), nlines)
        if end_line == line:
            end_col = min(max(end_col, col), len(text) + 1)
        else:
            end_col = min(max(end_col, 1), len(self.line_text(end_line)) + 1)
        if (end_line, end_col) == (line, col) and col <= len(text):
            end_col = col + 1
        return SyntaxProblem(_first_line(msg), line, col, end_line, end_col)

    @property
    def tree(self) -> ast.Module | None:
        self._parse()
        return self._tree

    @property
    def syntax_error(self) -> SyntaxProblem | None:
        self._parse()
        return self._syntax

    @property
    def edit(self) -> tuple[str, int, int] | None:
        """The earlier text of this path this document was re-parsed from, and the lengths of the
        common prefix and suffix of the two texts (what lies between them is what the edit changed);
        None when it was parsed whole."""
        self._parse()
        return self._edit

    @property
    def memo(self) -> NodeMemo:
        """Facts derived from single top-level statements, shared with the other versions of this
        file that hold the same statement objects (see :class:`vetpy.astutil.NodeMemo`)."""
        self._parse()
        if self._memo is None:  # no tree, or a tree set from outside
            self._memo = NodeMemo(self._tree.body if self._tree is not None else ())
        return self._memo

    # -- positions ---------------------------------------------------------------------------
    @cached_property
    def line_starts(self) -> list[int]:
        return _line_starts(self.text)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_text(self, line: int) -> str:
        """Text of a 1-based line without its line ending ('' outside the document)."""
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, column: int) -> int:
        starts = self.line_starts
        line = min(max(line, 1), len(starts))
        return min(starts[line - 1] + max(column, 1) - 1, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        import bisect

        offset = min(max(offset, 0), len(self.text))
        idx = bisect.bisect_right(self.line_starts, offset) - 1
        return idx + 1, offset - self.line_starts[idx] + 1

    def _char_col(self, line: int, byte_col: int) -> int:
        """Convert an ast UTF-8 byte column (0-based) on a 1-based line to a 1-based char column."""
        text = self.line_text(line)
        if text.isascii():
            return min(byte_col, len(text)) + 1
        encoded = text.encode("utf-8", "surrogatepass")
        return len(encoded[:byte_col].decode("utf-8", "ignore")) + 1

    def node_range(self, node: ast.AST) -> Range:
        line = getattr(node, "lineno", 1) or 1
        col = getattr(node, "col_offset", 0) or 0
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        start = self._char_col(line, col)
        end = self._char_col(end_line, end_col) if end_col is not None else start + 1
        return line, start, end_line, end

    def segment(self, node: ast.AST) -> str:
        line, col, end_line, end_col = self.node_range(node)
        return self.text[self.offset(line, col) : self.offset(end_line, end_col)]

    def range_text(self, rng: Range) -> str:
        line, col, end_line, end_col = rng
        return self.text[self.offset(line, col) : self.offset(end_line, end_col)]

    def replace_node(self, node: ast.AST, new_text: str) -> TextEdit:
        return TextEdit(*self.node_range(node), new_text)

    def name_range_after_dot(self, node: ast.Attribute) -> Range:
        """Range of ``attr`` in ``value.attr`` (the part after the last dot)."""
        line, col, end_line, end_col = self.node_range(node)
        return end_line, max(end_col - len(node.attr), 1), end_line, end_col

    # -- comments and suppressions -----------------------------------------------------------
    @property
    def comments(self) -> Comments:
        """Comment text per 1-based line.  Asking about a line without a ``#`` costs nothing; the
        file is tokenized (once) only for a line that has one, or to list them all."""
        return self._comments

    @cached_property
    def _comments(self) -> Comments:
        return Comments(self)

    def tokenized_comments(self) -> dict[int, str]:
        """Every comment, from a tokenization of the whole text (see :attr:`comments`)."""
        found: dict[int, str] = {}
        try:
            _comment_tokens(self.text, 1, found)
        except _TOKENIZE_ERRORS:
            # Unfinished code: fall back to a line scan that ignores '#' inside simple strings.
            for idx in range(1, self.line_count + 1):
                text = self.line_text(idx)
                pos = _comment_start(text)
                if pos is not None and idx not in found:
                    found[idx] = text[pos:]
        return found

    @cached_property
    def suppression_comments(self) -> dict[int, tuple[Suppression, ...]]:
        """The suppression directives per line (see :mod:`vetpy.suppression`)."""
        result: dict[int, tuple[Suppression, ...]] = {}
        if not has_hint(self.text):
            return result  # no suppression comment anywhere: skip tokenizing the file
        comments = self.comments
        for line in hinted_lines(self.text, self.line_starts):  # the others' comments hold no directive
            comment = comments.get(line)
            if comment is None:
                continue
            found = parse_comment(comment, line)
            if found:
                result[line] = tuple(found)
        return result

    @cached_property
    def file_suppressions(self) -> tuple[Suppression, ...]:
        """The ``# vetpy: ignore-file`` directives (each alone in its comment)."""
        return tuple(s for found in self.suppression_comments.values() for s in found if s.kind == "file")

    def suppressing(self, code: str, line: int, end_line: int | None = None, bare_noqa: bool = False) -> Suppression | None:
        """The directive that silences ``code`` on a finding from ``line`` to ``end_line`` (a
        comment on its first or its last line, or a file-level one), or None."""
        for directive in self.file_suppressions:
            if directive.covers(code):
                return directive
        for ln in sorted({line, end_line or line}):
            for directive in self.suppression_comments.get(ln, ()):
                if directive.kind != "file" and directive.covers(code, bare_noqa):
                    return directive
        return None

    def is_suppressed(self, code: str, line: int, end_line: int | None = None, bare_noqa: bool = False) -> bool:
        return self.suppressing(code, line, end_line, bare_noqa) is not None

    def view(self, body: list[ast.stmt], reported: list[tuple[int, int]] | None = None,
             kept_local: list[tuple[int, int]] | None = None) -> Document:
        """This document as if its syntax tree held only ``body`` (top-level statements of this
        document's tree, in their order): same text, path and positions.  The incremental
        analysis (:mod:`vetpy.incremental`) runs the checkers on such a view.  ``reported``: the
        line spans (first, last; whole top-level statements) whose findings the caller keeps,
        None for all (see :meth:`reports`); ``kept_local``: line spans of statements inside a
        reported one whose local checkers' findings the caller keeps (:meth:`reports_local`)."""
        view = Document(self.path, self.text, self.module_name)
        view._tree = ast.Module(body=body, type_ignores=[])
        view._parsed = True
        view._module_body = self.module_body
        view._reported = _disjoint(reported) if reported is not None else None
        view._kept_local = _disjoint(kept_local or [])
        view._memo = self.memo
        view.__dict__["line_starts"] = self.line_starts  # a cached_property's slot
        return view

    @property
    def is_view(self) -> bool:
        """Made by :meth:`view` (its tree holds some of another document's statements)."""
        return self._module_body is not None

    def reports(self, node: ast.AST) -> bool:
        """Are findings at ``node`` kept?  Always, except in a :meth:`view` whose caller keeps only
        some statements' findings (the others come from an earlier analysis): there a checker may
        skip the work of reporting on a node outside them, if that work is all the node is
        checked for (the node still counts as context for the others).  A node and the findings
        about it lie in one top-level statement, so its first line decides."""
        spans = self._reported
        if spans is None:
            return True
        line = getattr(node, "lineno", None)
        if line is None:
            return True
        i = bisect.bisect_right(spans, (line, _AFTER_EVERY_LINE)) - 1  # the last span starting at or before the line
        return i >= 0 and line <= spans[i][1]

    def reports_local(self, node: ast.AST) -> bool:
        """:meth:`reports` for a checker registered ``local``: also False inside the statements of an
        edited function whose local findings the caller keeps (:mod:`vetpy.incremental_inner`)."""
        if not self.reports(node):
            return False
        kept = self._kept_local
        line = getattr(node, "lineno", None)
        if not kept or line is None:
            return True
        i = bisect.bisect_right(kept, (line, _AFTER_EVERY_LINE)) - 1
        return not (i >= 0 and line <= kept[i][1])

    @property
    def module_body(self) -> list[ast.stmt]:
        """Every top-level statement of the file, also in a :meth:`view` (whose tree holds only
        some).  Facts about the whole file (is a name rebound anywhere? is any function a web
        route?) must be computed from these, per statement."""
        if self._module_body is not None:
            return self._module_body
        tree = self.tree
        return tree.body if tree is not None else []

    # -- traversal helpers -------------------------------------------------------------------
    def walk(self) -> Iterator[ast.AST]:
        """Every node of the tree in ``ast.walk`` order (from the shared :attr:`nodes` list)."""
        return iter(self.nodes)

    @property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree in ``ast.walk`` order, computed once per document and shared by
        every rule: do not modify it (nor the tree)."""
        return self._index[0]

    @property
    def parents(self) -> dict[ast.AST, ast.AST]:
        """node -> its parent node (the tree itself has none), shared like :attr:`nodes`."""
        return self._index[1]

    @cached_property
    def _index(self) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
        tree = self.tree
        if tree is None:
            return [], {}
        if self.is_view and self._memo is not None:
            return _merged_index(tree, self._memo)
        nodes: list[ast.AST] = [tree]
        parents: dict[ast.AST, ast.AST] = {}
        add = nodes.extend
        for node in nodes:  # breadth first, like ast.walk (the list grows while it is read)
            children = child_nodes(node)
            parents.update(dict.fromkeys(children, node))
            add(children)
        return nodes, parents


_AFTER_EVERY_LINE = float("inf")


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (first, last line) sorted, overlapping and adjacent ones joined: a line lies in
    one of them iff it lies in one of these, which :meth:`Document.reports` finds by bisection."""
    joined: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if joined and low <= joined[-1][1] + 1:
            if high > joined[-1][1]:
                joined[-1] = (joined[-1][0], high)
        else:
            joined.append((low, high))
    return joined


# Node types CPython makes once and shares (``ast.Load()``, ``ast.Add()`` ...): in a parent map
# such a node's parent is that of its last occurrence in ``ast.walk`` order.
_SHARED = tuple(c for c in vars(ast).values()
                if isinstance(c, type) and issubclass(c, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)))

IndexPart = tuple[list[list[ast.AST]], dict[ast.AST, ast.AST], dict[ast.AST, tuple[int, ast.AST]]]


def _statement_index(stmt: ast.stmt) -> IndexPart:
    """One top-level statement's part of :attr:`Document.nodes` and :attr:`Document.parents`:
    its nodes level by level (breadth first, the statement alone on the first level), the
    parent of every node below it, and of each shared node the level and parent of its last
    occurrence."""
    levels: list[list[ast.AST]] = []
    parents: dict[ast.AST, ast.AST] = {}
    level: list[ast.AST] = [stmt]
    while level:
        levels.append(level)
        below: list[ast.AST] = []
        for node in level:
            children = child_nodes(node)
            if children:
                parents.update(dict.fromkeys(children, node))
                below += children
        level = below
    shared = {node: (depth, parents[node]) for depth, nodes in enumerate(levels) for node in nodes if isinstance(node, _SHARED)}
    return levels, parents, shared


def statement_levels(stmt: ast.stmt, memo: NodeMemo) -> list[list[ast.AST]]:
    """The nodes of the top-level statement ``stmt`` level by level (breadth first), kept in
    ``memo`` with the rest of its part of a view's index (:func:`_merged_index`)."""
    return memo.get(stmt, "index-part", lambda: _statement_index(stmt))[0]


def _merged_index(tree: ast.Module, memo: NodeMemo) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
    """:attr:`Document._index` of a view (a module made of some top-level statements, no type
    ignores) from its statements' parts, each kept in the memo while the statement is: a
    breadth-first walk of a module lists level by level, each level statement by statement,
    so concatenating the statements' levels gives ``ast.walk``'s order (and a shared node's
    parent is that of its occurrence on the deepest level, in the last statement)."""
    parts = [memo.get(stmt, "index-part", lambda stmt=stmt: _statement_index(stmt)) for stmt in tree.body]  # type: ignore[misc]
    nodes: list[ast.AST] = [tree]
    parents: dict[ast.AST, ast.AST] = dict.fromkeys(tree.body, tree)
    depth = 0
    while True:
        added = False
        for levels, _, _ in parts:
            if depth < len(levels):
                nodes += levels[depth]
                added = True
        if not added:
            break
        depth += 1
    last: dict[ast.AST, tuple[int, ast.AST]] = {}
    for _, below, shared in parts:
        parents.update(below)
        for node, (level, parent) in shared.items():
            if node not in last or level >= last[node][0]:
                last[node] = (level, parent)
    parents.update({node: parent for node, (_, parent) in last.items()})
    return nodes, parents


# -- incremental parsing ----------------------------------------------------------------------
Previous = tuple[str, ast.Module, list[int], NodeMemo]  # text, tree, line starts, memo


class Parses:
    """The last tree parsed for each path, with its text, line starts and memo, for the next
    parse of the same path (a language server re-parses the same file on every edit).  Owned by
    its user (the incremental analyser), bounded, safe to share between threads."""

    MAX_ENTRIES = 8
    MAX_CHARS = 1_000_000  # a tree takes ~100 times its text in memory: keep only ordinary files

    def __init__(self) -> None:
        self._entries: dict[str, Previous] = {}
        self._lock = threading.Lock()

    def get(self, path: str) -> Previous | None:
        with self._lock:
            return self._entries.get(path)

    def remember(self, path: str, text: str, tree: ast.Module, starts: list[int], memo: NodeMemo) -> None:
        with self._lock:
            if len(text) > self.MAX_CHARS:
                self._entries.pop(path, None)
                return
            if path not in self._entries and len(self._entries) >= self.MAX_ENTRIES:
                self._entries.pop(next(iter(self._entries)), None)
            self._entries[path] = (text, tree, starts, memo)

    def forget(self, path: str) -> None:
        """Drop what is kept to re-parse ``path`` (its document closed)."""
        with self._lock:
            self._entries.pop(path, None)

    def __contains__(self, path: str) -> bool:
        with self._lock:
            return path in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _parse_name(path: str) -> str:
    """The file name given to the parser: never a readable path.  For some errors CPython reads
    the offending line back from the named file and converts the column with it, so an unsaved
    buffer whose file on disk differs would get columns of the disk's text."""
    return f"<{path}>"


def _edit_of(previous: Previous | None, text: str) -> tuple[str, int, int] | None:
    """(the previous text, the lengths of its common prefix and suffix with ``text``), None without
    a previous text or when it is ``text``."""
    if previous is None or previous[0] == text:
        return None
    old_text = previous[0]
    first = _common_prefix(old_text, text)
    return old_text, first, _common_suffix(old_text, text, min(len(old_text), len(text)) - first)


def edited_line_starts(old_starts: list[int], edit: tuple[str, int, int], text: str) -> list[int]:
    """``_line_starts(text)`` from the line starts of the earlier text ``edit`` was made from: the
    lines before the change keep their starts, those after it shift by the change in length, and
    only the lines between are scanned.  The stretch scanned runs from a line start before the
    first changed character to a line start whose line break lies wholly in the common suffix,
    so that a CR LF pair can neither form nor split at either end."""
    old_text, first, tail = edit
    k = bisect.bisect_left(old_starts, first)  # old_starts[:k]: the starts before the first change
    if k == 0:
        return _line_starts(text)
    low = old_starts[k - 1]
    j = bisect.bisect_left(old_starts, len(old_text) - tail + 1, k)  # the first start whose break is in the suffix
    delta = len(text) - len(old_text)
    if j == len(old_starts):
        return [*old_starts[:k], *(low + x for x in _line_starts(text[low:])[1:])]
    end = old_starts[j] + delta
    return [*old_starts[:k], *(low + x for x in _line_starts(text[low:end])[1:-1]), *(s + delta for s in old_starts[j:])]


def _reparse(
    previous: Previous | None, text: str, starts: list[int], path: str, edit: tuple[str, int, int] | None = None
) -> ast.Module | None:
    """The tree of ``text`` built from ``previous``, the last tree parsed for ``path``, when the
    edit since then stays inside the lines of one top-level statement (with the blank and comment
    lines around it) and keeps the number of lines: only those lines are parsed again, the other
    top-level statements are reused as they are.  None when that does not apply (parse the whole text).

    Exact: the text outside the re-parsed lines is identical, the re-parsed lines start at
    indentation level 0 after a complete statement and must parse on their own (an unclosed
    bracket or string, a stray indent or a lone decorator does not), and Python's grammar does
    not look across complete top-level statements, so the result equals ``ast.parse(text)``
    (tests compare both on random edits).  ``edit``: :func:`_edit_of` the previous text, if known."""
    if previous is None:
        return None
    old_text, old_tree, old_starts, _ = previous
    if old_text == text:
        return old_tree
    body = old_tree.body
    if len(old_starts) != len(starts) or not body or "\0" in text or "barry_as_FLUFL" in text or text[:1] == "\ufeff":
        return None
    _, first, tail = edit if edit is not None and edit[0] is old_text else _edit_of(previous, text)  # type: ignore[misc]
    # 0-based lines touched by the change, in either text
    low = bisect.bisect_right(starts, first) - 1
    high = max(bisect.bisect_right(old_starts, len(old_text) - tail) - 1, bisect.bisect_right(starts, len(text) - tail) - 1)
    for k, stmt in enumerate(body):
        begin = body[k - 1].end_lineno if k else 0  # 0-based first line of the segment
        end = statement_start(body[k + 1]) - 1 if k + 1 < len(body) else len(starts)  # 0-based, exclusive
        if begin is None or not (begin <= low and high < end):
            continue
        if not (begin < statement_start(stmt) and (stmt.end_lineno or 0) <= end):
            return None  # shares a line with a neighbour (`a = 1; b = 2`)
        seg_start, seg_end = starts[begin], (starts[end] if end < len(starts) else len(text))
        old_end = old_starts[end] if end < len(old_starts) else len(old_text)
        if text[:seg_start] != old_text[: old_starts[begin]] or text[seg_end:] != old_text[old_end:]:
            return None
        try:
            # blank lines first: the parser numbers the lines as in the file (no walk to shift them)
            segment = parse("\n" * begin + text[seg_start:seg_end], filename=_parse_name(path))
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
            return None  # the whole text decides (and reports the error the user must see)
        return ast.Module(body=[*body[:k], *segment.body, *body[k + 1 :]], type_ignores=[])
    return None


def statement_start(stmt: ast.stmt) -> int:
    """1-based first line of a statement, decorators included."""
    decorators = getattr(stmt, "decorator_list", None)
    # the grammar puts the decorators, in order, above the definition: the first is the first line
    return min(decorators[0].lineno, stmt.lineno) if decorators else stmt.lineno


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of ``a`` and ``b`` (binary search over C-level comparisons)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix of ``a`` and ``b``, at most ``limit``."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            low = mid
        else:
            high = mid - 1
    return low


class Comments(Mapping[int, str]):
    """A document's comments by line (:attr:`Document.comments`).  A comment token starts with
    ``#`` on the line it is reported for, so a line without one has none.  A question about a line
    with a ``#`` tokenizes only the top-level statement that holds the line (or the line alone,
    between statements): each such piece starts where no string or bracket is open, so it
    tokenizes as it does within the file.  Listing them all, or a document that does not parse,
    tokenizes the whole text."""

    __slots__ = ("_doc", "_all", "_pieces", "_starts", "_ends", "_tops")

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._all: dict[int, str] | None = None
        self._pieces: dict[tuple[int, int], dict[int, str] | None] = {}
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._tops: list[ast.stmt | None] = []  # the statement of each span (None: several)

    def _tokenized(self) -> dict[int, str]:
        if self._all is None:
            self._all = self._doc.tokenized_comments()
        return self._all

    def __getitem__(self, line: int) -> str:
        if self._all is None:
            if "#" not in self._doc.line_text(line):
                raise KeyError(line)
            piece = self._piece(line)
            if piece is not None:
                return piece[line]
        return self._tokenized()[line]

    def _spans(self) -> list[int] | None:
        """First lines of the top-level statements (from their first decorator), statements that
        share a line merged (``s = \"\"\"...\"\"\"; t = 1``); :attr:`_ends` their last lines."""
        if self._starts is None:
            tree = self._doc.tree
            if tree is None:
                return None
            starts: list[int] = []
            ends: list[int] = []
            tops: list[ast.stmt | None] = []
            for stmt in tree.body:
                first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
                last = stmt.end_lineno or stmt.lineno
                if ends and first <= ends[-1]:
                    ends[-1] = max(ends[-1], last)
                    tops[-1] = None
                else:
                    starts.append(first)
                    ends.append(last)
                    tops.append(stmt)
            self._starts, self._ends, self._tops = starts, ends, tops
        return self._starts

    def _piece(self, line: int) -> dict[int, str] | None:
        """The comments of the piece of text that holds ``line``, tokenized alone (None: ask the
        whole file)."""
        starts = self._spans()
        if starts is None:
            return None
        i = bisect.bisect_right(starts, line) - 1
        first, last = (starts[i], self._ends[i]) if i >= 0 and line <= self._ends[i] else (line, line)
        top = self._tops[i] if i >= 0 and line <= self._ends[i] else None
        if top is not None:  # the statement inside it that holds the line, when it tokenizes alone
            first, last = narrowest_span(top, line, self._doc.line_text) or (first, last)
        if (first, last) not in self._pieces:
            doc = self._doc
            line_starts = doc.line_starts
            begin = line_starts[first - 1]
            end = line_starts[last] if last < len(line_starts) else len(doc.text)
            found: dict[int, str] = {}
            try:
                _comment_tokens(doc.text[begin:end], first, found)
            except _TOKENIZE_ERRORS:
                self._pieces[first, last] = None
            else:
                self._pieces[first, last] = found
        return self._pieces[first, last]

    def __iter__(self) -> Iterator[int]:
        return iter(self._tokenized())

    def __len__(self) -> int:
        return len(self._tokenized())


_TOKENIZE_ERRORS = (tokenize.TokenError, SyntaxError, IndentationError, ValueError)


def _comment_tokens(text: str, first_line: int, found: dict[int, str]) -> None:
    """Put the comments of ``text``, whose first line is line ``first_line`` of its document, into
    ``found`` by line (raises one of _TOKENIZE_ERRORS where the text does not tokenize)."""
    # newline='': split lines on \r, \n and \r\n like ast and line_starts (a bare \r is a line break)
    for tok in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
        if tok.type == tokenize.COMMENT:
            found[tok.start[0] + first_line - 1] = tok.string


def _comment_start(text: str) -> int | None:
    quote: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return i
        i += 1
    return None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def decode_source(data: bytes) -> str:
    """Decode Python source bytes (PEP 263 cookie or UTF-8 with optional BOM).

    Raises ``ValueError`` with a one-line reason for binary or undecodable input.
    """
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes), not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if "invalid or missing encoding declaration" in str(exc):
            encoding = "utf-8"  # no usable cookie: report the undecodable byte below
        else:
            raise ValueError(f"bad encoding declaration: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        if isinstance(exc, UnicodeDecodeError):
            raise ValueError(
                f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None
        raise ValueError(f"unknown encoding {encoding!r}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
