"""SYN: files that cannot be analysed."""

from __future__ import annotations

from collections.abc import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import REGISTRY, rule

SYNTAX_ERROR = rule(
    code="SYN001",
    name="syntax-error",
    family="SYN",
    severity=Severity.ERROR,
    summary="The file does not parse for the target Python version; no other rule runs on it.",
    rationale="""Code that does not parse cannot run, and no other check can be trusted on it.
    vetpy reports the first syntax error where the parser stopped.""",
    bad="""
        def total(items)
            return sum(items)
    """,
    good="""
        def total(items):
            return sum(items)
    """,
)

UNREADABLE = rule(
    code="SYN002",
    name="unreadable-file",
    family="SYN",
    severity=Severity.ERROR,
    summary="The file could not be read as Python source (binary, bad encoding, unreadable), or was not analysed.",
    rationale="""A `.py` file that is not valid text in its declared encoding (UTF-8 by
    default) cannot be imported; vetpy names the reason and goes on with the other files.
    `vetpy check` also reports here a file whose analysis it stopped at the time budget
    (`analysis-timeout`, 60 s of CPU time by default; the check exits 2): a vetpy bug to report, and the
    file's findings are unknown.""",
    bad="""
        # saved as Latin-1, without an encoding declaration
        café = 1
    """,
    good="""
        # -*- coding: latin-1 -*-
        café = 1
    """,
    needs="the file saved in Latin-1 (é as the single byte 0xE9), as their first lines say.",
)


@REGISTRY.checker("SYN001", parse_errors=True)
def check_syntax(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    """A file that does not parse gets this one finding and nothing else."""
    if doc.syntax_error is not None:
        yield syntax_finding(doc)


def syntax_finding(doc: Document) -> Finding:
    problem = doc.syntax_error
    assert problem is not None
    return SYNTAX_ERROR.finding(
        doc,
        (problem.line, problem.column, problem.end_line, problem.end_column),
        f"syntax error: {problem.message}",
    )


def unreadable_finding(path: str, reason: str) -> Finding:
    return not_analysed_finding(path, f"cannot read file: {reason}")


def not_analysed_finding(path: str, message: str) -> Finding:
    """SYN002 at the start of ``path``: the file was not analysed (unreadable, or stopped by
    ``vetpy check``'s time budget)."""
    return Finding(
        path=path,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        code=UNREADABLE.code,
        rule=UNREADABLE.name,
        severity=UNREADABLE.severity,
        message=message,
    )
