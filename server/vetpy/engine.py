"""Run every enabled checker over a document and post-process the findings.

This is the single entry point shared by the CLI, the language server and the hook.
"""

from __future__ import annotations

import ast
import bisect
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from vetpy import codes as codes_table
from vetpy import reads
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.files import matches_pattern
from vetpy.findings import Finding
from vetpy.rules import REGISTRY, load_all
from vetpy.rules.registry import SELECTED
from vetpy.semantic import runs_elsewhere
from vetpy.suppression import Suppression

if TYPE_CHECKING:
    from vetpy.environment.declared import DeclaredDependencies, Reader

log = logging.getLogger("vetpy")


def enabled_codes(ctx: AnalysisContext, path: str | None = None) -> set[str]:
    """Codes enabled for ``path`` by select / ignore / per-file-ignores."""
    load_all()
    cfg = ctx.config
    selected = REGISTRY.expand(cfg.select) if cfg.select else set(REGISTRY.rules) & codes_table.default_codes()
    selected -= REGISTRY.expand(cfg.ignore)
    if path and cfg.per_file_ignores:
        rel = _relative(path, ctx.root)
        for pattern, ignored in cfg.per_file_ignores.items():
            if matches_pattern(rel, pattern):
                selected -= REGISTRY.expand(ignored)
    return selected


def analyze(doc: Document, ctx: AnalysisContext, codes: set[str] | None = None) -> list[Finding]:
    """All findings for ``doc``: never raises for any input text."""
    if codes is None:
        codes = enabled_codes(ctx, doc.path)
    findings, complete = run_checkers(doc, ctx, codes)
    return postprocess(findings, doc, ctx, codes if complete else None)


def run_checkers(doc: Document, ctx: AnalysisContext, codes: set[str]) -> tuple[list[Finding], bool]:
    """The enabled checkers' findings for ``doc`` before suppressions, severity overrides and
    de-duplication (:func:`postprocess`), and whether every checker ran to its end (False when
    one raised or the run was cancelled)."""
    load_all()
    findings: list[Finding] = []
    # A file that does not parse is seen only by the checkers of parse errors (SYN001).
    broken = doc.syntax_error is not None
    entries = [entry for entry in REGISTRY.checkers if entry.codes & codes and entry.parse_errors == broken]
    if any(entry.introspection for entry in entries):
        # The checkers that wait for the introspection worker run last, and the worker starts on
        # this document's modules now.  The order of the checkers changes no finding (no two
        # checkers report the same code; the findings are sorted).
        for entry in entries:
            if entry.prepare is not None:
                entry.prepare(doc, ctx)
        entries.sort(key=lambda entry: entry.introspection)
    complete = True
    doc.shared[SELECTED] = frozenset(codes)
    try:
        for entry in entries:
            if ctx.cancelled():
                return findings, False
            try:
                for finding in entry.func(doc, ctx):
                    if finding.code in codes:
                        findings.append(finding)
            except Exception as exc:  # one broken checker must not hide the others
                complete = False
                name = getattr(entry.func, "__qualname__", repr(entry.func))
                reads.note("engine", "failed", (name,), reads.UNSTABLE)  # an incomplete result is never reused
                if ctx.on_error is not None:
                    ctx.on_error(name, exc)
                else:
                    log.warning("checker %s failed on %s: %s: %s", name, doc.path, type(exc).__name__, exc)
    finally:
        # What the checkers shared is this analysis's (some of it refers to the document): gone
        # with the analysis, so reference counting frees the document and its tree.
        doc.shared.clear()
        runs_elsewhere.forget()  # its per-thread memo refers to the document too
    return findings, complete


# `# type: ignore` (bare, or with a code that says the name or its arguments cannot be seen) and
# pyright's `# pyright: ignore`: the author told type checkers that this line uses what they cannot
# see, a hint that the name exists at run time (a PyPy-only attribute, an optional import); HAL
# stays silent there unless `type-ignore = false`.  A code about anything else (arg-type,
# return-value ...) is no such hint.
_TYPE_IGNORE = re.compile(r"#\s*(?:type|pyright):\s*ignore(?:\[([^\]]*)\])?")
_EXISTENCE_CODES = frozenset({
    "attr-defined", "union-attr", "import", "import-not-found", "import-untyped", "call-arg", "misc", "name-defined",
    "reportAttributeAccessIssue", "reportMissingImports", "reportMissingModuleSource", "reportCallIssue",
    "reportOptionalMemberAccess", "reportGeneralTypeIssues", "reportPrivateImportUsage",
})


def type_ignored(doc: Document, line: int) -> bool:
    """Does a `# type: ignore` or `# pyright: ignore` on ``line`` cover a missing name?"""
    comment = doc.comments.get(line)
    if not comment:
        return False
    for match in _TYPE_IGNORE.finditer(comment):
        codes = match.group(1)
        if codes is None or {c.strip() for c in codes.split(",")} & _EXISTENCE_CODES:
            return True
    return False


def _ignored_import_lines(doc: Document) -> set[int]:
    """The later lines of each multi-line ``from m import (...)`` whose first line has a ``# type:
    ignore`` that covers a missing name: mypy reports a missing name there (scrapy's ``from
    twisted.internet._sslverify import (  # type: ignore[attr-defined]`` over
    ``_setAcceptableProtocols,``).  Only the statements around such a comment are looked at: the
    editor asks on every edit of a file with a HAL finding, and a walk of every node of a
    1,000-line file cost more than the rest of the analysis."""
    lines: set[int] = set()
    tree = doc.tree
    if tree is None:
        return lines
    marked = sorted(line for line in _lines_with(doc, "ignore") if type_ignored(doc, line))
    if not marked:
        return lines
    todo: list[ast.stmt | ast.excepthandler | ast.match_case] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.match_case):  # no lines of its own
            todo.extend(node.body)
            continue
        i = bisect.bisect_left(marked, node.lineno)
        if i == len(marked) or marked[i] > (node.end_lineno or node.lineno):
            continue  # no statement in it starts on a marked line
        if isinstance(node, ast.ImportFrom):
            if marked[i] == node.lineno:
                lines.update(range(node.lineno + 1, (node.end_lineno or node.lineno) + 1))
            continue
        # statements lie only in statements' bodies, except handlers and match cases
        todo.extend(child for child in ast.iter_child_nodes(node)
                    if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)))
    return lines


def _lines_with(doc: Document, word: str) -> set[int]:
    """The lines of ``doc`` whose text contains ``word``."""
    text, found = doc.text, set()
    at = text.find(word)
    while at >= 0:
        found.add(doc.position(at)[0])
        at = text.find(word, at + len(word))
    return found


def postprocess(
    findings: Iterable[Finding], doc: Document, ctx: AnalysisContext, codes: set[str] | None = None
) -> list[Finding]:
    """Suppressions, severity overrides and de-duplication.  ``codes``: the codes every checker
    ran for to its end; with SYN003 among them, the suppressions that silenced nothing are
    reported (None: the analysis was incomplete, so no suppression can be called unused)."""
    out: dict[tuple, Finding] = {}
    overrides = ctx.config.severity
    bare_noqa = ctx.config.bare_noqa
    type_ignore = ctx.config.type_ignore
    used: set[tuple[Suppression, str]] = set()
    ignored_imports: set[int] | None = None
    for f in findings:
        if type_ignore and f.code.startswith("HAL"):
            if type_ignored(doc, f.line):
                continue
            if ignored_imports is None:
                ignored_imports = _ignored_import_lines(doc)
            if f.line in ignored_imports:
                continue
        directive = doc.suppressing(f.code, f.line, f.end_line, bare_noqa)
        if directive is not None:
            used.add((directive, f.code))
            continue
        if f.code in overrides:
            f = f.with_severity(overrides[f.code])
        key = (f.line, f.column, f.end_line, f.end_column, f.code, f.message)
        out.setdefault(key, f)
    checkers = [func for code, func in REGISTRY.suppression_checkers if codes is not None and code in codes]
    for func in checkers if doc.suppression_comments else ():
        for f in func(doc, used, set(codes or ())):
            # a directive never silences the finding about itself (a bare `# vetpy: ignore` covers every code)
            if doc.suppressing(f.code, f.line, f.end_line, bare_noqa) in (None, f.extra.get("directive")):
                f = f.with_severity(overrides[f.code]) if f.code in overrides else f
                out.setdefault((f.line, f.column, f.end_line, f.end_column, f.code, f.message), f)
    return sorted(out.values(), key=lambda f: f.sort_key)


def declaration_findings(ctx: AnalysisContext, declared: DeclaredDependencies | None,
                         read: Reader | None = None) -> list[Finding]:
    """Findings in the project's declaration files (DEP004) under ``ctx``'s configuration (select,
    ignore, per-file ignores, severities).  ``declared``: read with ``read`` (the editor passes its
    open documents' text); the CLI's is the project's, read from disk."""
    load_all()
    if declared is None or not declared.requirements:
        return []
    enabled = enabled_codes(ctx)
    out: list[Finding] = []
    for code, func in REGISTRY.project_checkers:
        if code not in enabled:
            continue
        severity = ctx.config.severity.get(code)
        out.extend(f.with_severity(severity) if severity else f for f in func(ctx, declared, read)
                   if code in enabled_codes(ctx, f.path))
    return out


def check_source(
    text: str, path: str = "<string>", ctx: AnalysisContext | None = None, module_name: str | None = None
) -> list[Finding]:
    """Convenience for tests and embedders: analyse ``text`` as if it were the file ``path``."""
    ctx = ctx or AnalysisContext.bare()
    return analyze(Document(path=path, text=text, module_name=module_name), ctx)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()
