"""Suppression comments: ``# vetpy: ignore[CODES]``, ``# noqa: CODES``, ``# vetpy: ignore-file``.

Only vetpy's own codes (``HAL002``) and family names (``HAL``) count: ``# noqa: S608`` is ruff's
(its bandit rules), ``# noqa: E501`` is flake8's, and neither silences a vetpy finding.  A bare
``# vetpy: ignore`` silences every vetpy code on its line; a bare ``# noqa`` (written for flake8 or
ruff) silences vetpy only when the ``bare-noqa`` setting says so.  ``# vetpy: ignore-file`` (or
``# vetpy: ignore-file[CODES]``), alone on a line anywhere in the file, silences the whole file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from vetpy.codes import CODES, FAMILIES

_FILE = re.compile(r"#\s*vetpy:\s*ignore-file(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_LINE = re.compile(r"#\s*vetpy:\s*ignore(?![-\w])(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(
    r"#\s*noqa(?![\w-])(?::\s*(?P<codes>[A-Za-z][A-Za-z0-9]*(?:\s*,\s*[A-Za-z][A-Za-z0-9]*|\s+[A-Za-z]+[0-9]+)*))?",
    re.IGNORECASE,
)
HINT = re.compile(r"noqa|vetpy\s*:", re.IGNORECASE)  # no match: the file has no suppression comment
_VETPY_COLON = re.compile(r"vetpy\s*:")


def has_hint(text: str) -> bool:
    """``HINT.search(text) is not None``, ten times faster (a case-insensitive alternation is
    slow to scan for: 2 ms on a 1,000-line file, on every edit)."""
    lowered = text.lower()
    return "noqa" in lowered or _VETPY_COLON.search(lowered) is not None


def hinted_lines(text: str, line_starts: list[int]) -> list[int]:
    """The 1-based lines (``line_starts``: the offset of each) that may hold a suppression
    directive, in order: those where ``noqa`` or ``vetpy:`` occurs, in any case.  Every directive
    is on one of them (its comment is on its line, and holds its word), so only their comments
    need reading, not a tokenization of the whole file."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: offsets would move
        lowered = "".join(ch.lower()[:1] or ch for ch in text)
    offsets = [m.start() for m in _VETPY_COLON.finditer(lowered)]
    at = lowered.find("noqa")
    while at != -1:
        offsets.append(at)
        at = lowered.find("noqa", at + 4)
    return sorted({bisect.bisect_right(line_starts, offset) for offset in offsets})


@dataclass(frozen=True)
class Suppression:
    """One suppression directive in a comment."""

    line: int
    kind: str  # "ignore" (# vetpy: ignore), "noqa", "file" (# vetpy: ignore-file)
    bare: bool  # no codes given
    codes: tuple[str, ...]  # vetpy codes and families it names (upper case)
    foreign: tuple[str, ...]  # the codes it names that are not vetpy's (other tools')
    start: int  # 0-based column of the directive's '#' in the comment
    end: int  # 0-based column just after the directive in the comment

    def covers(self, code: str, bare_noqa: bool = False) -> bool:
        if self.bare:
            return self.kind != "noqa" or bare_noqa
        return code in self.codes or family(code) in self.codes


def family(code: str) -> str:
    return code.rstrip("0123456789")


def is_vetpy_selector(name: str) -> bool:
    return name in CODES or name in FAMILIES


def parse_comment(comment: str, line: int) -> list[Suppression]:
    """The suppression directives of one comment (the text from its ``#``)."""
    found: list[Suppression] = []
    for kind, pattern in (("file", _FILE), ("ignore", _LINE), ("noqa", _NOQA)):
        for match in pattern.finditer(comment):
            if match.start() and not comment[match.start() - 1].isspace():
                continue  # quoted in prose (`# noqa`, "(# vetpy: ignore)"), not a directive
            spec = match.group("codes")
            names = [n.upper() for n in re.findall(r"[A-Za-z][A-Za-z0-9]*", spec or "")]
            bare = not names and (kind == "noqa" or spec is None or not spec.strip())
            if kind == "file" and comment[: match.start()].strip():
                continue  # ignore-file only as a comment of its own
            found.append(Suppression(
                line=line,
                kind=kind,
                bare=bare,
                codes=tuple(n for n in names if is_vetpy_selector(n)),
                foreign=tuple(n for n in names if not is_vetpy_selector(n)),
                start=match.start(),
                end=match.end(),
            ))
    return found


def rewrite(comment: str, directive: Suppression, keep: tuple[str, ...]) -> str:
    """``comment`` with ``directive`` naming only ``keep`` (vetpy codes), or without it when
    ``keep`` and the directive's foreign codes are empty.  The result may be ``""``."""
    before, after = comment[: directive.start], comment[directive.end :]
    names = [*keep, *directive.foreign] if directive.kind == "noqa" else list(keep)
    if names:
        if directive.kind == "noqa":
            text = "# noqa: " + ", ".join(names)
        else:
            text = f"# vetpy: {'ignore-file' if directive.kind == 'file' else 'ignore'}[{', '.join(names)}]"
        return before + text + after
    rest = after.strip()
    if not rest:
        return before.rstrip()
    if rest.startswith("#"):
        return (before + rest) if before.strip() else rest
    return before + "# " + rest.lstrip("-:;, ")
