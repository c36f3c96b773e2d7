"""A reference for LSP positions and edits, written from the specification alone (no code of
vetpy or pygls): the tests apply the server's edits to the client's text with it, and keep the
client's text in step with the changes they send.

- a line ends at ``\\n``, ``\\r\\n`` or ``\\r`` and at nothing else (not at ``\\x0b``, ``\\x0c``,
  ``\\x1c``-``\\x1e``, ``\\x85``, U+2028, U+2029, which ``str.splitlines`` breaks at); the text
  after the last line ending is a line, even when empty;
- a column counts UTF-8 bytes, UTF-16 code units or code points (``utf-32``) of its line;
- a column past the end of its line means the end of the line (before its line ending), a line
  past the last means the end of the document; a range whose end comes first is read backwards;
- the edits of one ``TextEdit[]`` all refer to the text before any of them is applied.
"""

from __future__ import annotations

from typing import Any


def _pair(position: Any) -> tuple[int, int]:
    return (position.line, position.character) if not isinstance(position, tuple) else position


def ref_lines(text: str) -> list[tuple[int, int]]:
    """(start, end of content) of every LSP line: the text after the last line ending is a line,
    even when empty."""
    lines = []
    start = i = 0
    while i < len(text):
        if text[i] == "\r" or text[i] == "\n":
            end = i
            i += 2 if text[i : i + 2] == "\r\n" else 1
            lines.append((start, end))
            start = i
        else:
            i += 1
    lines.append((start, len(text)))
    return lines


def code_units(char: str, encoding: str) -> int:
    point = ord(char)
    if encoding == "utf-8":
        return 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4
    if encoding == "utf-16":
        return 2 if point > 0xFFFF else 1
    return 1


def ref_offset(text: str, position: Any, encoding: str) -> int:
    """Index into ``text`` of an LSP position (a ``Position`` or a ``(line, character)`` pair)."""
    line, character = _pair(position)
    lines = ref_lines(text)
    if line >= len(lines):
        return len(text)
    start, end = lines[line]
    seen = 0
    for offset in range(start, end):
        if seen >= character:
            return offset
        seen += code_units(text[offset], encoding)
    return end


def ref_apply(text: str, start: Any, end: Any, new: str, encoding: str) -> str:
    """``text`` after one incremental change (``TextDocumentContentChangePartial``)."""
    a, b = sorted((ref_offset(text, start, encoding), ref_offset(text, end, encoding)))
    return text[:a] + new + text[b:]


def ref_position(text: str, line: int, column: int, encoding: str) -> tuple[int, int]:
    """The client position of code point ``column`` of LSP line ``line`` (a column past the end
    of its line, or a line past the last, stays out of range: the server must clamp it)."""
    lines = ref_lines(text)
    if line >= len(lines):
        return line, column
    start, end = lines[line]
    inside = min(column, end - start)
    width = sum(code_units(c, encoding) for c in text[start : start + inside])
    return line, width + (column - inside)



def range_text(text: str, rng: Any, encoding: str) -> str:
    """The text an LSP ``Range`` covers."""
    a = ref_offset(text, rng.start, encoding)
    b = ref_offset(text, rng.end, encoding)
    return text[a:b]


def apply_text_edits(text: str, edits: list[Any], encoding: str) -> str:
    """``TextEdit``s (all on ``text``, none overlapping) applied as a client does."""
    spans = sorted(
        (ref_offset(text, e.range.start, encoding), ref_offset(text, e.range.end, encoding), i, e.new_text)
        for i, e in enumerate(edits)
    )
    for (_, end, _, _), (start, _, _, _) in zip(spans, spans[1:]):
        assert end <= start, f"overlapping edits: {edits}"
    for start, end, _, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text
