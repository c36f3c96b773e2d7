"""JSON: a list of finding objects (``json``) or one object per line (``json-lines``).

Each object carries the rule's documentation address as ``url``."""

from __future__ import annotations

import json
from typing import Any, Sequence

from vetpy.findings import Finding
from vetpy.rules import REGISTRY, load_all


def finding_object(f: Finding) -> dict[str, Any]:
    load_all()
    data = f.to_dict()
    rule = REGISTRY.get(f.code)
    data["url"] = rule.help_uri if rule is not None else None
    return data


def render_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding_object(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def render_json_lines(findings: Sequence[Finding]) -> str:
    return "".join(json.dumps(finding_object(f), ensure_ascii=False) + "\n" for f in findings)
