"""Render the rule catalogue as Markdown (``python -m vetpy.rulesdoc > docs/rules.md``).

The headings' anchors match :attr:`vetpy.rules.registry.Rule.help_uri`.
"""

from __future__ import annotations

import textwrap

from vetpy.rules import REGISTRY, load_all
from vetpy.rules.registry import FAMILIES


def render_markdown() -> str:
    load_all()
    out = [
        "# vetpy rules",
        "",
        "Generated from the rule declarations by `python -m vetpy.rulesdoc`; do not edit by hand.",
        "`vetpy rule CODE` prints the same text in a terminal.",
        "",
        "| code | name | severity | fix | summary |",
        "|---|---|---|---|---|",
    ]
    rules = REGISTRY.sorted_rules()
    for r in rules:
        anchor = r.help_uri.split("#", 1)[1]
        out.append(f"| [{r.code}](#{anchor}) | {r.name} | {r.severity.value} | {r.fix_safety.value} | {_cell(r.summary)} |")
    family = None
    for r in rules:
        if r.family != family:
            family = r.family
            out += ["", f"## {FAMILIES[family]} ({family})"]
        out += ["", f"### {r.code} {r.name}", "", r.summary, ""]
        if r.question:
            out += [f"**Question:** {r.question}", ""]
        out += [" ".join(r.rationale.split()), ""]
        facts = [f"default severity: {r.severity.value}", f"fix: {r.fix_safety.value}"]
        if r.cwe:
            facts.append(", ".join(f"[CWE-{c}](https://cwe.mitre.org/data/definitions/{c}.html)" for c in r.cwe))
        out += ["*" + "; ".join(facts) + "*", ""]
        if r.needs:
            out += [f"Examples need: {r.needs}", ""]
        out += ["Bad:", "", "```python", textwrap.dedent(r.bad).strip("\n"), "```", ""]
        out += ["Good:", "", "```python", textwrap.dedent(r.good).strip("\n"), "```"]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


if __name__ == "__main__":
    print(render_markdown(), end="")
