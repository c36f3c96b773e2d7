"""The README's first command: `vetpy check fixtures/demo` shows every rule that exists."""

from __future__ import annotations

import json
import re

from conftest import REPO, run_vetpy
from vetpy import codes
from vetpy.rules import REGISTRY, load_all

import pytest

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples


def test_demo_triggers_every_rule():
    r = run_vetpy("check", "fixtures/demo", "--format", "json", cwd=REPO, timeout=300)
    assert r.returncode == 1, r.stderr
    found = {d["code"] for d in json.loads(r.stdout)}
    load_all()
    # SYN002 needs an unreadable file, which a source tree should not carry; it is tested in test_cli.
    # Opt-in rules (SYN003 unused-suppression) run only when selected; tests/test_rule_fixtures.py has them.
    missing = set(REGISTRY.rules) - found - {"SYN002"} - codes.OPT_IN
    assert not missing, f"demo does not show: {sorted(missing)}"
    assert "Traceback" not in r.stderr


def test_demo_marks_each_finding_in_a_comment():
    """Every line of the demo that vetpy reports says so in a comment (the demo documents itself)."""
    r = run_vetpy("check", "fixtures/demo", "--format", "json", cwd=REPO, timeout=300)
    for d in json.loads(r.stdout):
        line = (REPO / d["path"]).read_text(encoding="utf-8").splitlines()[d["line"] - 1]
        assert re.search(rf"#.*\b{d['code']}\b", line), (d["code"], d["path"], d["line"], line)
