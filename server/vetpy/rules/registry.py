"""The rule registry: metadata for every rule code, and the checkers that produce them.

A *rule* is documentation plus defaults (code, kebab-case name, family, severity, rationale,
a bad and a good example, fix safety, CWE ids).  A *checker* is a pure function
``(document, context) -> Iterable[Finding]`` that may produce findings for several rules
(one pass over the tree can serve many codes).  Checkers never see LSP or CLI types.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from vetpy.findings import Finding, Fix, FixSafety, Severity

if TYPE_CHECKING:
    from vetpy.astutil import NodeMemo
    from vetpy.context import AnalysisContext
    from vetpy.document import Document, Range
    from vetpy.environment.declared import DeclaredDependencies, Reader
    from vetpy.suppression import Suppression

from vetpy import codes
from vetpy.codes import FAMILIES

DOCS_URL = "https://github.com/vetpy/vetpy/blob/main/docs/rules.md"

# ``doc.shared`` key under which the engine leaves the codes selected for the document while its
# checkers run: a checker serving many codes may skip the work of the unselected ones.
SELECTED = "engine.selected"


def selected_codes(doc: "Document") -> frozenset[str] | None:
    """The codes selected for ``doc`` in this analysis (None when not known: do everything)."""
    codes = doc.shared.get(SELECTED)
    return codes if isinstance(codes, frozenset) else None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    family: str
    severity: Severity
    summary: str
    rationale: str
    bad: str
    good: str
    fix_safety: FixSafety = FixSafety.NONE
    cwe: tuple[int, ...] = ()
    question: str = ""  # EDGE rules: the question the rule asks of the code
    # what the examples need besides the file as printed (a project, an installed package, bytes
    # that are not UTF-8); empty: they fire (bad) and stay silent (good) pasted into any file
    needs: str = ""

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"

    def documentation(self) -> str:
        parts = [
            f"{self.code} {self.name} ({FAMILIES.get(self.family, self.family)}, default severity {self.severity.value})",
            "",
            self.summary,
            "",
        ]
        if self.question:
            parts += [f"Question: {self.question}", ""]
        parts += ["Why: " + " ".join(self.rationale.split()), ""]
        if self.cwe:
            parts += ["CWE: " + ", ".join(f"CWE-{c}" for c in self.cwe), ""]
        if self.needs:
            parts += [f"Examples need: {self.needs}", ""]
        parts += ["Bad:", textwrap.indent(textwrap.dedent(self.bad).strip("\n"), "    "), ""]
        parts += ["Good:", textwrap.indent(textwrap.dedent(self.good).strip("\n"), "    "), ""]
        parts += [f"Fix: {self.fix_safety.value}", f"Docs: {self.help_uri}"]
        return "\n".join(parts)

    def finding(
        self,
        doc: "Document",
        where: "ast.AST | Range",
        message: str,
        fixes: Iterable[Fix] = (),
        **extra: object,
    ) -> Finding:
        rng = doc.node_range(where) if isinstance(where, ast.AST) else where
        line, col, end_line, end_col = rng
        return Finding(
            path=doc.path,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            code=self.code,
            rule=self.name,
            severity=self.severity,
            message=message,
            fixes=tuple(fixes),
            cwe=self.cwe,
            extra=dict(extra),
        )


Checker = Callable[["Document", "AnalysisContext"], Iterable[Finding]]
WholeFileFact = Callable[[ast.stmt, "NodeMemo"], frozenset[str]]


Prepare = Callable[["Document", "AnalysisContext"], None]
SuppressionChecker = Callable[["Document", "set[tuple[Suppression, str]]", "set[str]"], Iterable[Finding]]
# (context, the project's declared dependencies, a reader of declaration files or None for the
# disk) -> findings located in those files.
ProjectChecker = Callable[["AnalysisContext", "DeclaredDependencies", "Reader | None"], Iterable[Finding]]


@dataclass
class CheckerEntry:
    """A checker and what the engine must know about it.

    ``parse_errors``: it runs on documents that do not parse (and only on those); every other
    checker needs a syntax tree.  ``introspection``: it waits for the introspection worker, so the
    engine runs it after the others and calls ``prepare`` first (to start the worker on this
    document's modules while the other checkers run).  ``local``: its findings at a statement
    of a function's body depend only on that statement, the bindings of the names it mentions and
    facts of the file outside the function (audited beside the checker; :mod:`vetpy.incremental_inner`
    reuses them for the unchanged statements of an edited function), and it skips the nodes
    :meth:`Document.reports_local` rejects.
    """

    codes: frozenset[str]
    func: Checker
    parse_errors: bool = False
    introspection: bool = False
    prepare: Prepare | None = None
    local: bool = False


@dataclass
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)
    checkers: list[CheckerEntry] = field(default_factory=list)
    # Functions from one top-level statement to what it contributes to a fact a checker derives
    # from the whole file (e.g. "a parameter named `len` somewhere"): the incremental analysis
    # analyses the whole file when an edit changes such a contribution.
    # The memo is the statement's document's (:class:`vetpy.astutil.NodeMemo`).
    whole_file_facts: list[WholeFileFact] = field(default_factory=list)
    # Checkers that run after the others and the suppressions, on what the suppressions did:
    # (code, func(document, {(directive, code silenced)}, enabled codes) -> findings).  SYN003.
    suppression_checkers: list[tuple[str, SuppressionChecker]] = field(default_factory=list)
    # Checkers of a project's declaration files (requirements, pyproject.toml) rather than of a
    # Python document: the CLI's project pass runs them once per root, the language server on an
    # open declaration file (vetpy.engine.declaration_findings).  ``project_codes``: their codes.
    project_checkers: list[tuple[str, ProjectChecker]] = field(default_factory=list)
    project_codes: set[str] = field(default_factory=set)

    def add(self, rule: Rule) -> Rule:
        if rule.code in self.rules:
            raise ValueError(f"duplicate rule code {rule.code}")
        if codes.CODES.get(rule.code) != rule.name:
            raise ValueError(f"rule {rule.code} {rule.name} is not in the code table vetpy/codes.py")
        if rule.family not in FAMILIES:
            raise ValueError(f"unknown family {rule.family} for {rule.code}")
        if any(r.name == rule.name for r in self.rules.values()):
            raise ValueError(f"duplicate rule name {rule.name}")
        self.rules[rule.code] = rule
        return rule

    def checker(
        self, *codes: str, parse_errors: bool = False, introspection: bool = False, prepare: Prepare | None = None,
        local: bool = False,
    ) -> Callable[[Checker], Checker]:
        """Register a checker of ``codes`` (see :class:`CheckerEntry` for the flags)."""

        def decorate(func: Checker) -> Checker:
            self.checkers.append(CheckerEntry(frozenset(codes), func, parse_errors, introspection, prepare, local))
            return func

        return decorate

    def local_codes(self, enabled: set[str] | frozenset[str]) -> frozenset[str]:
        """The enabled codes of ``local`` checkers; none when one of them is enabled and also
        reported by another checker (its findings there would not all be the local checker's,
        and the local checker skips the kept statements for all of its codes)."""
        local = {c for e in self.checkers if e.local for c in e.codes} & set(enabled)
        if any(not e.local and e.codes & local for e in self.checkers):
            return frozenset()
        return frozenset(local)

    def suppression_checker(self, code: str) -> Callable[[SuppressionChecker], SuppressionChecker]:
        def decorate(func: SuppressionChecker) -> SuppressionChecker:
            self.suppression_checkers.append((code, func))
            return func

        return decorate

    def project_checker(self, code: str) -> Callable[[ProjectChecker], ProjectChecker]:
        def decorate(func: ProjectChecker) -> ProjectChecker:
            self.project_checkers.append((code, func))
            self.project_codes.add(code)
            return func

        return decorate

    def whole_file_fact(self, func: WholeFileFact) -> WholeFileFact:
        self.whole_file_facts.append(func)
        return func

    def get(self, code: str) -> Rule | None:
        return self.rules.get(code.upper())

    def sorted_rules(self) -> list[Rule]:
        order = list(FAMILIES)
        return sorted(
            self.rules.values(),
            key=lambda r: (order.index(r.family) if r.family in order else 99, r.code),
        )

    def expand(self, selectors: Iterable[str]) -> set[str]:
        """Codes of registered rules matched by selectors (exact codes, prefixes like ``SEC`` or
        ``HAL00``, or ``ALL``)."""
        return codes.expand(selectors) & set(self.rules)

    def match(self, selector: str) -> set[str]:
        return codes.match(selector) & set(self.rules)


REGISTRY = Registry()


def rule(**kwargs: object) -> Rule:
    """Declare a rule in the global registry."""
    return REGISTRY.add(Rule(**kwargs))  # type: ignore[arg-type]
