"""SYN003: suppression comments that silence nothing (opt-in, like ruff's RUF100).

Run by the engine after the checkers (:func:`vetpy.engine.postprocess`), since only then is it
known which directive silenced which finding; it reports nothing when a checker did not finish.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.registry import REGISTRY, rule
from vetpy.suppression import Suppression, family, rewrite

UNUSED_SUPPRESSION = rule(
    code="SYN003",
    name="unused-suppression",
    family="SYN",
    severity=Severity.WARNING,
    summary="A `# vetpy: ignore[...]` or `# noqa: ...` names a vetpy code that it no longer silences (opt-in).",
    rationale="""A suppression outlives the problem it silenced: once the code is fixed, the
    comment stays and would hide the next real finding on that line. Only vetpy's own codes and
    families are judged (a `# noqa: E501` is flake8's business), only codes that are enabled for
    the file, and nothing is reported when the analysis did not finish. The rule runs only when
    selected by its code, `SYN` or `ALL` (`--extend-select SYN003`); its fix removes the code, or
    the whole directive when nothing else is left in it.""",
    bad="""
        import json
        data = json.loads("{}")  # vetpy: ignore[HAL003]
    """,
    good="""
        import json
        data = json.loads("{}")
    """,
    fix_safety=FixSafety.SAFE,
)


@REGISTRY.suppression_checker("SYN003")
def unused_suppressions(doc: Document, used: set[tuple[Suppression, str]], enabled: Iterable[str]) -> Iterator[Finding]:
    """A finding for each directive of ``doc`` that names an enabled vetpy code (or family, or
    nothing: a bare ``# vetpy: ignore``) and silenced no finding of it; ``used`` holds the
    (directive, code) pairs that silenced one."""
    enabled = set(enabled)
    families = {family(code) for code in enabled}
    silenced: dict[Suppression, set[str]] = {}
    for directive, code in used:
        silenced.setdefault(directive, set()).update((code, family(code)))
    for line, directives in sorted(doc.suppression_comments.items()):
        comment = doc.comments.get(line, "")
        for directive in directives:
            if directive.bare:
                if directive.kind == "noqa" or directive in silenced:
                    continue  # a bare noqa may be another tool's
                unused: tuple[str, ...] = ("every code",)
            else:
                unused = tuple(
                    name for name in directive.codes
                    if (name in enabled or name in families) and name not in silenced.get(directive, set())
                )
                if not unused:
                    continue
            yield _finding(doc, line, comment, directive, unused)


def _finding(doc: Document, line: int, comment: str, directive: Suppression, unused: tuple[str, ...]) -> Finding:
    text = doc.line_text(line)
    start = text.rfind(comment) if comment else -1
    shown = comment[directive.start : directive.end]
    what = "any finding" if directive.bare else "a finding of " + ", ".join(unused)
    where = "in this file" if directive.kind == "file" else "on this line"
    fixes: tuple[Fix, ...] = ()
    if start >= 0:
        keep = () if directive.bare else tuple(n for n in directive.codes if n not in unused)
        new = rewrite(comment, directive, keep)
        begin = start if new else len(text[:start].rstrip())
        edit = TextEdit(line, begin + 1, line, start + len(comment) + 1, new)
        title = f"Remove {', '.join(unused)} from the suppression" if keep or directive.foreign else "Remove the unused suppression"
        fixes = (Fix(title, (edit,), safe=True, preferred=True),)
    col = max(start, 0) + directive.start
    return UNUSED_SUPPRESSION.finding(
        doc, (line, col + 1, line, col + len(shown) + 1),
        f"unused suppression: `{shown}` does not silence {what} {where}",
        fixes,
        directive=directive,  # never silenced by itself (a bare `# vetpy: ignore` covers SYN003 too)
    )
