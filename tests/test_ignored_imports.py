"""``engine._ignored_import_lines`` (the lines a ``# type: ignore`` on a multi-line import's first
line covers) looks only at the statements around an ignore comment; it must find what a walk of
every node finds, on real files and on files with an ignore added to every import."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vetpy.document import Document
from vetpy.engine import _ignored_import_lines, type_ignored

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("fixtures/**/*.py"), *ROOT.glob("server/vetpy/**/*.py"), *ROOT.glob("tests/*.py")])


def every_node_walk(doc: Document) -> set[int]:
    """The definition before the pruned walk: every node of the tree."""
    lines: set[int] = set()
    for node in ast.walk(doc.tree) if doc.tree is not None else ():
        if isinstance(node, ast.ImportFrom) and type_ignored(doc, node.lineno):
            lines.update(range(node.lineno + 1, (node.end_lineno or node.lineno) + 1))
    return lines


def with_ignores(text: str) -> str:
    """``text`` with an ignore comment after every line that opens a ``from ... import (``, and a
    non-covering one after every other ``import`` line."""
    out = []
    for line in text.splitlines():
        if re.match(r"\s*from\s.*import\s*\($", line):
            line += "  # type: ignore[attr-defined]"
        elif re.match(r"\s*(from|import)\s", line) and "#" not in line:
            line += "  # type: ignore[arg-type]"
        out.append(line)
    return "\n".join(out) + "\n"


# Blocks an import can sit in (the opening lines, the lines after the body).
BLOCKS = (
    (["def f():"], []),
    (["async def f():"], []),
    (["class C:"], []),
    (["@decorator(", "    1,", ")", "def g():"], []),
    (["if x:"], []),
    (["if x:", "    pass", "else:"], []),
    (["try:"], ["except E:", "    pass"]),
    (["try:", "    pass", "except (A,", "        B):"], []),
    (["try:", "    pass", "finally:"], []),
    (["with a as b:"], []),
    (["for i in y:"], []),
    (["while z:"], []),
    (["match v:", "    case [_]:"], []),
)
IMPORTS = (
    ["from json import (  # type: ignore[attr-defined]", "    dumpz,", ")"],
    ["from json import (  # type: ignore[arg-type]", "    dumpz,", ")"],
    ["from json import (", "    dumpz,  # type: ignore", ")"],
    ["from json import dumpz  # type: ignore"],
    ["x = 1; from os import (  # pyright: ignore", "    sepz, pathz)"],
    ["s = '# type: ignore'"],
)


def generated(seed: int) -> str:
    """A module of randomly nested blocks holding the imports above."""
    import random

    rnd = random.Random(seed)

    def block(depth: int) -> list[str]:
        lines: list[str] = []
        for _ in range(rnd.randint(1, 3)):
            if depth < 4 and rnd.random() < 0.6:
                opening, closing = rnd.choice(BLOCKS)
                inner = opening[-1].startswith("    ")  # the body is one level below its last line
                body = ["    " * (1 + inner) + line for line in block(depth + 1)]
                lines += opening + body + closing
            else:
                lines += rnd.choice(IMPORTS)
        return lines

    return "\n".join(block(0)) + "\n"


def test_the_generated_modules_parse_and_nest_covered_imports():
    """The comparison below covers imports inside blocks (else it would compare empty sets)."""
    nested = 0
    for seed in range(300):
        doc = Document("m.py", generated(seed))
        assert doc.tree is not None, generated(seed)
        nested += sum(1 for line in every_node_walk(doc) if doc.line_text(line).startswith("    " * 2))
    assert nested > 50


def test_the_pruned_walk_finds_what_a_walk_of_every_node_finds_in_generated_modules():
    for seed in range(300):
        doc = Document("m.py", generated(seed))
        assert _ignored_import_lines(doc) == every_node_walk(doc), generated(seed)


@pytest.mark.slow
@pytest.mark.parametrize("ignores", [False, True])
def test_the_pruned_walk_finds_what_a_walk_of_every_node_finds(ignores):
    covered = 0
    for path in SOURCES:
        text = path.read_text()
        doc = Document(str(path), with_ignores(text) if ignores else text)
        expected = every_node_walk(doc)
        assert _ignored_import_lines(doc) == expected, path
        covered += len(expected)
    assert covered > 0 if ignores else covered >= 0


def test_an_ignore_inside_a_string_or_on_another_line_covers_nothing():
    text = (
        "def f():\n"
        "    s = '# type: ignore'; from json import (\n"
        "        dumpz,\n"
        "    )\n"
        "    from os import (\n"
        "        sepz,  # type: ignore\n"
        "    )\n"
        "    from os import (  # type: ignore[import-not-found]\n"
        "        pathz,\n"
        "        curdirz,\n"
        "    )\n"
    )
    assert _ignored_import_lines(Document("m.py", text)) == {9, 10, 11}
