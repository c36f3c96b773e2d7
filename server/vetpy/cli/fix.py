"""``vetpy check --fix`` / ``--diff``: the findings' fixes applied until the text is stable.

Every step is checked: the fixed text must parse, the fixed findings must be gone and no finding
may appear that the text did not have before.  Fixes are applied in batches (those whose edits do
not overlap); a batch that fails the check is retried one fix at a time, and a fix that fails it
alone is never applied.  Only a finding's one eligible fix is applied (its preferred one, or the
only one): a finding that offers several guesses is left to the reader.
"""

from __future__ import annotations

import codecs
import collections
import difflib
import io
import tokenize
from dataclasses import dataclass, field

from vetpy.astutil import parse
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.findings import Finding, Fix, apply_edits

MAX_STEPS = 100  # analyses of one file; each applies at least one fix, so a loop stops here


@dataclass
class FileFix:
    """What fixing did to one file: its text before and after, and the findings it fixed."""

    path: str
    before: str
    after: str
    fixed: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after != self.before


def chosen_fix(finding: Finding, unsafe: bool) -> Fix | None:
    """The fix ``--fix`` applies to ``finding``: its preferred eligible fix, else its only one."""
    eligible = [fix for fix in finding.fixes if fix.edits and (fix.safe or unsafe)]
    preferred = [fix for fix in eligible if fix.preferred]
    if preferred:
        return preferred[0]
    return eligible[0] if len(eligible) == 1 else None


def fix_text(path: str, text: str, ctx: AnalysisContext, unsafe: bool = False) -> tuple[FileFix, list[Finding]]:
    """Apply the eligible fixes of ``text``'s findings until none is left that can be applied;
    return what changed and the findings of the final text."""
    findings = analyze(Document(path=path, text=text), ctx)
    outcome = FileFix(path, text, text)
    rejected: set[tuple] = set()
    one_at_a_time = False
    for _ in range(MAX_STEPS):
        candidates = [
            (finding, fix) for finding in findings
            if (fix := chosen_fix(finding, unsafe)) is not None and _identity(finding, fix) not in rejected
        ]
        if not candidates:
            break
        batch = candidates[:1] if one_at_a_time else _non_overlapping(candidates)
        step = _apply(path, outcome.after, ctx, findings, batch)
        if step is None:
            if len(batch) == 1:
                rejected.add(_identity(*batch[0]))
            one_at_a_time = True
            continue
        outcome.after, findings = step
        outcome.fixed.extend(finding for finding, _ in batch)
    return outcome, findings


def _identity(finding: Finding, fix: Fix) -> tuple:
    return finding.code, finding.message, fix.title, fix.edits


def _key(finding: Finding) -> tuple[str, str]:
    return finding.code, finding.message


def _non_overlapping(candidates: list[tuple[Finding, Fix]]) -> list[tuple[Finding, Fix]]:
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    batch = []
    for finding, fix in candidates:
        spans = [((e.line, e.column), (e.end_line, e.end_column)) for e in fix.edits]
        if any(start <= t_end and t_start <= end for start, end in spans for t_start, t_end in taken):
            continue  # touches an edit already taken (two insertions at one place count too)
        taken.extend(spans)
        batch.append((finding, fix))
    return batch


def _apply(
    path: str, text: str, ctx: AnalysisContext, findings: list[Finding], batch: list[tuple[Finding, Fix]]
) -> tuple[str, list[Finding]] | None:
    """The text and findings after ``batch``, or None when the batch fails the checks."""
    try:
        fixed = apply_edits(text, [edit for _, fix in batch for edit in fix.edits])
        parse(fixed)
    except (ValueError, SyntaxError):  # overlapping edits, or a result that does not parse
        return None
    after = analyze(Document(path=path, text=fixed), ctx)
    before = collections.Counter(_key(f) for f in findings)
    before.subtract(_key(finding) for finding, _ in batch)
    now = collections.Counter(_key(f) for f in after)
    if any(count > max(before[key], 0) for key, count in now.items()):
        return None  # a fixed finding is still there, or the fix introduced one
    return fixed, after


def encode_like(original: bytes, text: str) -> bytes:
    """``text`` in the encoding of ``original`` (its PEP 263 cookie, its UTF-8 byte order mark)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    except SyntaxError:
        encoding = "utf-8"
    if encoding == "utf-8" and original.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    return text.encode(encoding)


def unified_diff(fixes: list[FileFix]) -> str:
    """The changes as one unified diff (``--- a/PATH`` / ``+++ b/PATH``), files in the order given."""
    out: list[str] = []
    for item in fixes:
        if not item.changed:
            continue
        lines = difflib.unified_diff(
            item.before.splitlines(keepends=True),
            item.after.splitlines(keepends=True),
            fromfile=f"a/{item.path}",
            tofile=f"b/{item.path}",
        )
        for line in lines:
            out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
