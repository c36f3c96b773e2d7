"""Open documents kept in step with the editor, with the lines of the LSP specification.

In LSP a line ends at ``\\n``, ``\\r\\n`` or ``\\r`` and nowhere else.  pygls 2.1 stores a
document's lines as ``str.splitlines()``, which also breaks at ``\\x0b``, ``\\x0c``,
``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029: an incremental change below a form feed was
applied on another line than the editor's, and every later diagnostic and quick fix was computed
on text the user does not have (issue 22).  The classes here replace pygls' document store:

- :class:`LspTextDocument` applies a change by offsets computed on LSP lines, in the position
  encoding negotiated at ``initialize`` (UTF-8, UTF-16 or UTF-32), and its ``lines`` (used by
  every inherited position helper) are LSP lines;
- :class:`LspPositionCodec` converts client columns on those lines, clamped as the specification
  and VS Code's ``TextDocument`` do: a column past the end of its line is the end of the line
  (never inside its ``\\r\\n``), a line past the last one is the end of the document;
- :class:`LspWorkspace` makes such documents and :class:`LspLinesProtocol` installs it.

A range whose end comes before its start is applied from the end to the start, like VS Code's
``getWellformedRange``; both that and clamping are logged.
"""

from __future__ import annotations

import logging
from itertools import islice
from typing import Any, Sequence

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.workspace import TextDocument, Workspace
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

from vetpy.findings import _LINE_BREAK, _line_starts
from vetpy.lsp.convert import char_index, units

log = logging.getLogger("vetpy.lsp")

LINE_ENDINGS = ("\r\n", "\r", "\n")


def split_lines(text: str) -> list[str]:
    """The LSP lines of ``text``, each with its line ending; no empty last line (like
    ``str.splitlines(True)``, which pygls' helpers expect, but breaking only at LSP endings)."""
    starts = _line_starts(text)
    ends = [*starts[1:], len(text)]
    return [text[a:b] for a, b in zip(starts, ends) if a < b]


def line_content(line: str) -> str:
    """``line`` without its line ending."""
    return line.rstrip("\r\n")


class LspPositionCodec(PositionCodec):
    """pygls' codec on LSP lines, with the specification's clamping (pygls clamps a column past
    the line to one before the end, measures the end of a line past the last one in client units
    and can land between the ``\\r`` and ``\\n`` of a line ending)."""

    def position_from_client_units(self, lines: Sequence[str], position: types.Position) -> ServerTextPosition:
        if position.line >= len(lines):  # past the last line: the end of the document
            return ServerTextPosition(len(lines), 0)
        content = line_content(lines[position.line])
        return ServerTextPosition(position.line, char_index(content, position.character, str(self.encoding)))

    def position_to_client_units(self, lines: Sequence[str], position: Any) -> types.Position:
        if position.line >= len(lines):
            return types.Position(line=len(lines), character=0)
        text = lines[position.line][: position.character]
        return types.Position(line=position.line, character=units(text, str(self.encoding)))


class LspTextDocument(TextDocument):
    """A pygls ``TextDocument`` on LSP lines (see the module's documentation)."""

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(split_lines(self.source))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        source = self.source
        encoding = str(self.position_codec.encoding)
        start, end = _offsets(source, change.range, encoding)
        if start is None or end is None:
            log.warning("%s: change range %s is outside the document (%d lines): clamped",
                        self.uri, _show(change.range), len(_line_starts(source)))
            start, end = _offsets(source, change.range, encoding, clamp=True)
        assert start is not None and end is not None
        if end < start:
            log.warning("%s: change range %s ends before it starts: applied from end to start",
                        self.uri, _show(change.range))
            start, end = end, start
        self._source = source[:start] + change.text + source[end:]


def _offsets(text: str, rng: types.Range, encoding: str, clamp: bool = False) -> tuple[int | None, int | None]:
    """Indexes into ``text`` of the start and end of an LSP range, each None when out of range
    (unless ``clamp``: then a line past the last is the end of the text and a column past its
    line the line's end).  Reads the text once, up to the later line, instead of splitting it."""
    first, second = sorted((rng.start, rng.end), key=lambda p: p.line)
    line_start = _line_start(text, first.line, 0)
    a = _offset(text, line_start, first.character, encoding, clamp)
    if line_start is not None:
        line_start = _line_start(text, second.line - first.line, line_start)
    b = _offset(text, line_start, second.character, encoding, clamp)
    return (a, b) if first is rng.start else (b, a)


def _line_start(text: str, lines_down: int, begin: int) -> int | None:
    """Offset of the line ``lines_down`` lines below the line starting at ``begin``; None past
    the last line."""
    if lines_down == 0:
        return begin
    found = next(islice(_LINE_BREAK.finditer(text, begin), lines_down - 1, None), None)
    return None if found is None else found.end()


def _offset(text: str, line_start: int | None, character: int, encoding: str, clamp: bool) -> int | None:
    if line_start is None:
        return len(text) if clamp else None
    found = _LINE_BREAK.search(text, line_start)
    content = text[line_start : found.start() if found else len(text)]
    if not clamp and character > units(content, encoding):
        return None
    return line_start + char_index(content, character, encoding)


def _show(rng: types.Range) -> str:
    return f"{rng.start.line}:{rng.start.character}-{rng.end.line}:{rng.end.character}"


class LspWorkspace(Workspace):
    """pygls' workspace whose documents are :class:`LspTextDocument`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._position_codec = LspPositionCodec(encoding=self.position_encoding)

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )


class LspLinesProtocol(LanguageServerProtocol):
    """Replaces the workspace pygls makes at ``initialize`` (before any document is opened, and
    before the server's own ``initialize`` handler runs) by an :class:`LspWorkspace`."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Any:
        steps = super().lsp_initialize(params)
        answer = None
        first = True
        while True:
            try:
                request = steps.send(answer)
            except StopIteration as done:
                if first:
                    self._adopt_lsp_workspace()
                return done.value
            if first:  # pygls has built its workspace and now hands over to the server's handler
                self._adopt_lsp_workspace()
                first = False
            answer = yield request

    def _adopt_lsp_workspace(self) -> None:
        old = self.workspace
        self._workspace = LspWorkspace(
            old.root_uri,
            self._server._text_document_sync_kind,
            list(old.folders.values()),
            old.position_encoding,
        )
