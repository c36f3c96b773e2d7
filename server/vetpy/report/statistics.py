"""``--statistics``: how many findings per rule and per family (text table or JSON)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Sequence

from vetpy.findings import Finding
from vetpy.rules import REGISTRY, load_all
from vetpy.rules.registry import FAMILIES


def family_of(code: str) -> str:
    rule = REGISTRY.get(code)
    if rule is not None:
        return rule.family
    return code.rstrip("0123456789") or code


def statistics(findings: Sequence[Finding]) -> dict[str, Any]:
    load_all()
    by_rule = Counter(f.code for f in findings)
    names = {f.code: f.rule for f in findings}
    fixable = Counter(f.code for f in findings if any(fx.safe for fx in f.fixes))
    rules = [
        {"code": code, "rule": names[code], "family": family_of(code), "count": n, "fixable": fixable[code]}
        for code, n in sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))
    ]
    by_family: Counter[str] = Counter()
    for entry in rules:
        by_family[entry["family"]] += entry["count"]
    families = [
        {"family": fam, "description": FAMILIES.get(fam, fam), "count": n}
        for fam, n in sorted(by_family.items(), key=lambda item: (-item[1], item[0]))
    ]
    return {"total": len(findings), "rules": rules, "families": families}


def render_statistics(findings: Sequence[Finding], fmt: str = "text") -> str:
    stats = statistics(findings)
    if fmt == "json":
        return json.dumps(stats, indent=2, ensure_ascii=False) + "\n"
    if not stats["rules"]:
        return "No findings.\n"
    width = max(len(str(stats["total"])), 5)
    code_w = max(len(r["code"]) for r in stats["rules"])
    lines = [f"{'count':>{width}}  {'code':<{code_w}}  rule"]
    for r in stats["rules"]:
        fix = " [*]" if r["fixable"] else ""
        lines.append(f"{r['count']:>{width}}  {r['code']:<{code_w}}  {r['rule']}{fix}")
    lines += ["", f"{'count':>{width}}  family"]
    for fam in stats["families"]:
        lines.append(f"{fam['count']:>{width}}  {fam['family']} ({fam['description']})")
    lines += ["", f"{stats['total']:>{width}}  total"]
    return "\n".join(lines) + "\n"
