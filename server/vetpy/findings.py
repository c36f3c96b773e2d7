"""Findings, fixes and text edits: the engine's only output types (no LSP types here).

Coordinates are 1-based lines and 1-based columns counted in Unicode code points
(Python ``str`` indices + 1).  Ranges are half-open: ``end_column`` is the column just
after the last character.  Front ends convert to their own units (the LSP server to
UTF-16 or UTF-8 code units).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r} (expected one of: {', '.join(s.value for s in cls)})"
            ) from None


class FixSafety(str, enum.Enum):
    SAFE = "safe"  # applied by fix-all; keeps behaviour the author intended
    UNSAFE = "unsafe"  # offered as a quick-fix only; may change behaviour
    NONE = "none"  # the rule never offers a fix


@dataclass(frozen=True, order=True)
class TextEdit:
    """Replace the half-open range [start, end) with ``new_text``."""

    line: int
    column: int
    end_line: int
    end_column: int
    new_text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "new_text": self.new_text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TextEdit":
        return cls(
            int(data["line"]),
            int(data["column"]),
            int(data["end_line"]),
            int(data["end_column"]),
            str(data["new_text"]),
        )


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    safe: bool = False
    preferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "safe": self.safe,
            "preferred": self.preferred,
            "edits": [e.to_dict() for e in self.edits],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fix":
        return cls(
            title=str(data["title"]),
            edits=tuple(TextEdit.from_dict(e) for e in data.get("edits", ())),
            safe=bool(data.get("safe", False)),
            preferred=bool(data.get("preferred", False)),
        )


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    severity: Severity
    message: str
    fixes: tuple[Fix, ...] = ()
    cwe: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_severity(self, severity: Severity) -> "Finding":
        return replace(self, severity=severity)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "fixes": [f.to_dict() for f in self.fixes],
        }
        if self.cwe:
            data["cwe"] = [f"CWE-{c}" for c in self.cwe]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        """The inverse of :meth:`to_dict` (``extra`` is not carried)."""
        return cls(
            path=str(data["path"]),
            line=int(data["line"]),
            column=int(data["column"]),
            end_line=int(data["end_line"]),
            end_column=int(data["end_column"]),
            code=str(data["code"]),
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            fixes=tuple(Fix.from_dict(f) for f in data.get("fixes", ())),
            cwe=tuple(int(str(c).removeprefix("CWE-")) for c in data.get("cwe", ())),
        )


def apply_edits(text: str, edits: "tuple[TextEdit, ...] | list[TextEdit]") -> str:
    """Apply non-overlapping edits to ``text`` (coordinates as in this module).

    Raises ``ValueError`` for overlapping edits or positions outside the text.
    """
    starts = _line_starts(text)

    def offset(line: int, column: int) -> int:
        if line < 1 or line > len(starts):
            raise ValueError(f"line {line} outside the document")
        base = starts[line - 1]
        next_start = starts[line] if line < len(starts) else len(text)
        line_end = base + len(text[base:next_start].rstrip("\r\n"))  # before the line break
        pos = base + column - 1
        if column < 1 or pos > line_end:  # column len+1 is the end of the line, never inside "\r\n"
            raise ValueError(f"column {column} outside line {line}")
        return pos

    spans = sorted(
        ((offset(e.line, e.column), offset(e.end_line, e.end_column), e.new_text) for e in edits),
        key=lambda s: (s[0], s[1]),
    )
    out: list[str] = []
    cursor = 0
    for start, end, new in spans:
        if start < cursor or end < start:
            raise ValueError("overlapping or inverted edits")
        out.append(text[cursor:start])
        out.append(new)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _line_starts(text: str) -> list[int]:
    """Offsets where lines start (CR LF, CR and LF each end a line)."""
    if "\r" not in text:  # only LF: from the lines' lengths, twice as fast as the regex (three times per edit)
        return list(accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0))  # no frame per line
    return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
