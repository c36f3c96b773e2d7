"""Every option of ``vetpy check`` and ``vetpy serve`` is documented (issue 18: every flag added is
in README.md or docs/)."""

from __future__ import annotations

import argparse

from conftest import REPO
from vetpy.cli import build_parser

DOCS = "\n".join(
    (REPO / name).read_text(encoding="utf-8") for name in ("README.md", "docs/precommit.md", "docs/lsp.md")
)


def _options(command: str) -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return [
        next(s for s in action.option_strings if s.startswith("--"))
        for action in sub.choices[command]._actions  # noqa: SLF001
        if action.option_strings and action.option_strings != ["-h", "--help"]
    ]


def test_every_check_option_is_documented():
    missing = [option for option in _options("check") if f"`{option}" not in DOCS and f"check {option}" not in DOCS]
    assert missing == []


def test_every_serve_option_is_documented():
    missing = [option for option in _options("serve") if f"`{option}" not in DOCS and f"serve {option}" not in DOCS]
    assert missing == []
