"""Engine types <-> LSP types: positions in the negotiated encoding, diagnostics, code actions.

Findings count 1-based lines and 1-based columns in code points (Python ``str`` indices + 1);
LSP counts 0-based lines and 0-based columns in UTF-8 bytes, UTF-16 units (the default) or
code points, as negotiated at ``initialize``.  Every conversion goes through the text the
finding was computed on, so characters outside the Basic Multilingual Plane (2 UTF-16 units,
4 UTF-8 bytes) land where the client expects them.

No analysis happens here: a diagnostic carries its fixes in ``data`` (already in client units,
tagged with the document version) and code actions are built from that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from lsprotocol import types

from vetpy.astutil import parse
from vetpy.document import Document
from vetpy.findings import Finding, Fix, Severity, TextEdit, apply_edits
from vetpy.rules import REGISTRY, load_all

SOURCE = "vetpy"
FIX_ALL_KIND = "source.fixAll.vetpy"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


# -- positions --------------------------------------------------------------------------------

def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the code units of ``encoding`` (``utf-8``/``utf-16``/``utf-32``)."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def char_index(line_text: str, client_units: int, encoding: str) -> int:
    """Code-point index on ``line_text`` of a column given in client units (clamped to the line).

    A column that falls inside a character (half of a surrogate pair, the middle of a UTF-8
    sequence) rounds up to the next character boundary.
    """
    if client_units <= 0:
        return 0
    if encoding == types.PositionEncodingKind.Utf32:
        return min(client_units, len(line_text))
    seen = 0
    for index, char in enumerate(line_text):
        if seen >= client_units:
            return index
        seen += units(char, encoding)
    return len(line_text)


class Lines:
    """The lines of one text snapshot (``\\n``, ``\\r\\n`` and ``\\r`` end lines, as in LSP)."""

    def __init__(self, text: str, doc: Document | None = None) -> None:
        # ``doc``: a document of this text whose line starts are known already (the one analysed)
        self._doc = doc if doc is not None and doc.text == text else Document(path="", text=text)

    @property
    def count(self) -> int:
        return self._doc.line_count

    def text(self, line0: int) -> str:
        return self._doc.line_text(line0 + 1)

    def to_client(self, line: int, column: int, encoding: str) -> types.Position:
        """LSP position of an engine position (1-based line and code-point column)."""
        line = max(line, 1)
        if line > self.count:  # past the end: the end of the last line
            last = self.text(self.count - 1)
            return types.Position(line=self.count - 1, character=units(last, encoding))
        text = self.text(line - 1)
        column = min(max(column, 1), len(text) + 1)
        return types.Position(line=line - 1, character=units(text[: column - 1], encoding))

    def from_client(self, position: types.Position, encoding: str) -> tuple[int, int]:
        """Engine position (1-based line, 1-based code-point column) of an LSP position."""
        if position.line >= self.count:
            last = self.count
            return last, len(self.text(last - 1)) + 1
        line0 = max(position.line, 0)
        return line0 + 1, char_index(self.text(line0), position.character, encoding) + 1

    def range_to_client(self, line: int, column: int, end_line: int, end_column: int, encoding: str) -> types.Range:
        return types.Range(start=self.to_client(line, column, encoding), end=self.to_client(end_line, end_column, encoding))

    def edit_to_client(self, edit: TextEdit, encoding: str) -> types.TextEdit:
        return types.TextEdit(
            range=self.range_to_client(edit.line, edit.column, edit.end_line, edit.end_column, encoding),
            new_text=edit.new_text,
        )


# -- diagnostics ------------------------------------------------------------------------------

def to_diagnostic(finding: Finding, lines: Lines, encoding: str, version: int | None) -> types.Diagnostic:
    rule = REGISTRY.get(finding.code)
    data: dict[str, Any] = {"version": version, "rule": finding.rule}
    if finding.fixes:
        data["fixes"] = [
            {
                "title": fix.title,
                "safe": fix.safe,
                "preferred": fix.preferred,
                "edits": [_edit_json(lines.edit_to_client(e, encoding)) for e in fix.edits],
            }
            for fix in _ordered(finding.fixes)
        ]
    return types.Diagnostic(
        range=lines.range_to_client(finding.line, finding.column, finding.end_line, finding.end_column, encoding),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule.help_uri) if rule else None,
        source=SOURCE,
        data=data,
        related_information=_related(finding),
    )


def _related(finding: Finding) -> list[types.DiagnosticRelatedInformation] | None:
    """Where a finding at a helper's sink is reached from (``extra["caller"]``: the view's file and
    the line of its call, :mod:`vetpy.rules.sec.callers_into`): the call, as related information."""
    caller = finding.extra.get("caller")
    if not (isinstance(caller, tuple) and len(caller) == 2 and isinstance(caller[0], str) and isinstance(caller[1], int)):
        return None
    where = types.Position(line=max(caller[1] - 1, 0), character=0)
    location = types.Location(uri=Path(caller[0]).resolve().as_uri(), range=types.Range(start=where, end=where))
    return [types.DiagnosticRelatedInformation(location=location, message="the request input is passed here")]


def to_diagnostics(
    findings: Iterable[Finding], text: str, encoding: str, version: int | None, doc: Document | None = None
) -> list[types.Diagnostic]:
    """``doc``: the analysed document of ``text``, if at hand (its line starts are reused)."""
    load_all()  # rule metadata (documentation links)
    lines = Lines(text, doc)
    return [to_diagnostic(f, lines, encoding, version) for f in findings]


def _ordered(fixes: Iterable[Fix]) -> list[Fix]:
    """The preferred fix first, the others in the rule's order."""
    return sorted(fixes, key=lambda f: not f.preferred)


def _edit_json(edit: types.TextEdit) -> dict[str, Any]:
    r = edit.range
    return {
        "range": {
            "start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character},
        },
        "newText": edit.new_text,
    }


def _edit_from_json(data: Any) -> types.TextEdit | None:
    try:
        r = data["range"]
        return types.TextEdit(
            range=types.Range(
                start=types.Position(line=int(r["start"]["line"]), character=int(r["start"]["character"])),
                end=types.Position(line=int(r["end"]["line"]), character=int(r["end"]["character"])),
            ),
            new_text=str(data["newText"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


# -- code actions -----------------------------------------------------------------------------

def kind_requested(kind: str, only: Sequence[str] | None) -> bool:
    """``context.only`` is a list of kind prefixes: ``source`` asks for ``source.fixAll.vetpy``."""
    if not only:
        return True
    return any(kind == want or kind.startswith(want + ".") for want in only)


@dataclass(frozen=True)
class DocumentState:
    """What the code action handler knows of the document it answers for."""

    uri: str
    version: int | None
    text: str
    encoding: str


def quick_fixes(state: DocumentState, diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    """Fix actions (preferred first) then one "Disable ... for this line" per vetpy diagnostic."""
    fixes: list[types.CodeAction] = []
    disables: list[types.CodeAction] = []
    lines = Lines(state.text)
    seen_disable: set[tuple[int, str]] = set()
    for diag in diagnostics:
        if diag.source != SOURCE or not isinstance(diag.code, str):
            continue
        data = diag.data if isinstance(diag.data, dict) else {}
        if data.get("version") == state.version:  # fixes computed for another version are stale
            for fix in data.get("fixes") or ():
                action = _fix_action(state.uri, diag, fix)
                if action is not None:
                    fixes.append(action)
        key = (diag.range.start.line, diag.code)
        if key not in seen_disable:
            seen_disable.add(key)
            action = disable_action(state, lines, diag)
            if action is not None:
                disables.append(action)
    fixes.sort(key=lambda a: not a.is_preferred)
    preferred_seen = False
    for action in fixes:  # at most one preferred action: the editor applies it on its own
        if action.is_preferred and preferred_seen:
            action.is_preferred = False
        preferred_seen |= bool(action.is_preferred)
    return fixes + disables


def _fix_action(uri: str, diag: types.Diagnostic, fix: Any) -> types.CodeAction | None:
    if not isinstance(fix, dict):
        return None
    edits = [_edit_from_json(e) for e in fix.get("edits") or ()]
    if not edits or any(e is None for e in edits):
        return None
    return types.CodeAction(
        title=str(fix.get("title", "Apply vetpy fix")),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=bool(fix.get("preferred")),
        edit=types.WorkspaceEdit(changes={uri: [e for e in edits if e is not None]}),
    )


def disable_action(state: DocumentState, lines: Lines, diag: types.Diagnostic) -> types.CodeAction | None:
    """"Disable vetpy CODE for this line": add or extend ``# vetpy: ignore[CODE]``.

    Tries the diagnostic's first line, then its last; offers nothing when neither takes a
    comment that the engine would read as a suppression (a line inside a string literal).
    """
    code = str(diag.code)
    for line0 in dict.fromkeys((diag.range.start.line, diag.range.end.line)):
        if line0 >= lines.count:
            continue
        edit = suppression_edit(state.text, line0 + 1, code)
        if edit is None:
            continue
        return types.CodeAction(
            title=f"Disable vetpy {code} for this line",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diag],
            edit=types.WorkspaceEdit(changes={state.uri: [lines.edit_to_client(edit, state.encoding)]}),
        )
    return None


def suppression_edit(text: str, line: int, code: str) -> TextEdit | None:
    """An edit that makes the engine ignore ``code`` on ``line``, or None when it cannot."""
    doc = Document(path="", text=text)
    line_text = doc.line_text(line)
    comment = doc.comments.get(line)
    existing = _vetpy_ignore_span(line_text, comment)
    if existing is not None:
        start, end, codes = existing
        if code in codes:
            return None
        new = f"# vetpy: ignore[{', '.join([*codes, code])}]"
        edit = TextEdit(line, start + 1, line, end + 1, new)
    else:
        stripped = len(line_text.rstrip())
        edit = TextEdit(line, stripped + 1, line, len(line_text) + 1, f"  # vetpy: ignore[{code}]")
    new_text = apply_edits(text, [edit])
    after = Document(path="", text=new_text)
    if doc.tree is not None and after.tree is None:
        return None
    if not after.is_suppressed(code, line):
        return None
    return edit


def _vetpy_ignore_span(line_text: str, comment: str | None) -> tuple[int, int, list[str]] | None:
    """Start, end (0-based, on the line) and codes of an existing ``# vetpy: ignore[...]``."""
    import re

    if not comment:
        return None
    offset = line_text.rfind(comment)
    if offset < 0:
        return None
    match = re.search(r"#\s*vetpy:\s*ignore\[([^\]]*)\]", comment, re.IGNORECASE)
    if match is None:
        return None
    codes = [c.strip().upper() for c in match.group(1).split(",") if c.strip()]
    return offset + match.start(), offset + match.end(), codes


def fix_all_edits(text: str, findings: Iterable[Finding]) -> list[TextEdit]:
    """Every safe fix that does not overlap an earlier one, as long as the result still parses."""
    chosen: list[TextEdit] = []
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for finding in findings:
        for fix in _ordered(finding.fixes):
            if not fix.safe:
                continue
            spans = [((e.line, e.column), (e.end_line, e.end_column)) for e in fix.edits]
            if any(_overlaps(s, t) for s in spans for t in taken):
                continue
            try:
                apply_edits(text, [*chosen, *fix.edits])
            except ValueError:
                continue
            chosen.extend(fix.edits)
            taken.extend(spans)
            break  # one fix per finding
    if not chosen:
        return []
    try:
        parse(apply_edits(text, chosen))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return chosen


def _overlaps(a: tuple[tuple[int, int], tuple[int, int]], b: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    (a0, a1), (b0, b1) = a, b
    if a0 == a1 or b0 == b1:  # insertions only clash at the same point or strictly inside
        return a0 == b0 or b0 < a0 < b1 or a0 < b0 < a1
    return a0 < b1 and b0 < a1


def fix_all_action(state: DocumentState, findings: Iterable[Finding]) -> types.CodeAction | None:
    edits = fix_all_edits(state.text, findings)
    if not edits:
        return None
    lines = Lines(state.text)
    return types.CodeAction(
        title="vetpy: apply all safe fixes",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={state.uri: [lines.edit_to_client(e, state.encoding) for e in edits]}),
    )
