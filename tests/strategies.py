"""Shared Hypothesis strategies for Python-shaped (and hostile) source text.

Used by the engine fuzz tests (``test_fuzz_engine.py``) and meant for reuse by any front end
that must survive arbitrary editor buffers (the language server's fuzz tests: import from
``strategies`` with ``tests/`` on ``sys.path``, as pytest's rootdir conftest arranges).

Public strategies (all produce ``str``):

``programs()``
    Valid Python from a small grammar: imports (stdlib, installed, hallucinated, relative),
    assignments, calls of APIs the rule families look at (``subprocess``, ``eval``, ``open``,
    ``requests``, ``yaml``, ``pickle``, ``hashlib`` ...), functions, classes, ``if``/``for``/
    ``while``/``try``/``with`` blocks with real nesting, comments and suppression comments.
    Every example parses with ``ast.parse`` (checked by ``test_strategies_programs_parse``).
``truncated(strategy)``
    A prefix of an example, cut anywhere (mid-token, mid-string, mid-indentation).
``hostile_sources()``
    Everything below mixed: programs with re-written line endings (CRLF, CR, mixed), a BOM,
    form feeds, tabs mixed into indentation, null bytes and other control characters spliced
    in, non-BMP identifiers and strings, deep nesting (1,000+ brackets, deeply nested blocks,
    long operator chains), huge literals, and raw ``st.text()``.
``deep_nesting()``, ``huge_literals()``, ``non_bmp_programs()``
    The pathological shapes on their own (each example is a complete document).

``InvariantChecker(ctx).check(text)`` runs the engine (every enabled rule of ``ctx``) on one
text and asserts the fuzzing invariants (see ``test_fuzz_engine.py``); the atheris harness
(``benchmarks/fuzz_atheris.py``) uses it too.

The helpers ``with_line_endings``, ``with_mixed_indentation``, ``with_bom``, ``splice`` are
plain functions (text -> text) usable outside Hypothesis, e.g. by the atheris harness.
"""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import strategies as st

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.findings import Finding, apply_edits

# Module names: a fixed pool so resolver caches stay warm (a new name may cost a probe run).
STDLIB = ["os", "os.path", "sys", "json", "subprocess", "pickle", "hashlib", "random", "re", "shlex", "tempfile", "sqlite3"]
INSTALLED = ["packaging", "packaging.version", "hypothesis", "pytest", "jedi", "yaml", "requests"]
HALLUCINATED = ["fastjsonx", "jsonx.fast", "os.nothing", "packaging.nonexistent", "requests_async_pro"]
MODULES = STDLIB + INSTALLED + HALLUCINATED
FROM_IMPORTS = [
    ("json", "loads"), ("json", "loads_fast"), ("os", "path"), ("os", "makedirs_safe"),
    ("subprocess", "run"), ("subprocess", "check_output"), ("packaging.version", "Version"),
    ("packaging", "parse_version"), ("hashlib", "md5"), (".", "sibling"), (".sibling", "helper"),
    ("..", "parent"), ("__future__", "annotations"),
]
NAMES = ["x", "y", "data", "path", "cmd", "user_input", "items", "résumé", "_private", "𝔡𝔞𝔱𝔞", "名前"]
CALLS = [
    "eval({0})", "exec({0})", "open({0})", "open({0}, 'w')", "os.system({0})",
    "subprocess.run({0}, shell=True)", "subprocess.run([{0}], check=True)", "subprocess.Popen({0}, shell=True)",
    "pickle.loads({0})", "yaml.load({0})", "yaml.safe_load({0})", "hashlib.md5({0})",
    "requests.get({0})", "requests.get({0}, timeout=5)", "requests.post({0}, verify=False)",
    "random.random()", "json.loads({0})", "int({0})", "float({0})", "({0}).split(',')[1]",
    "len({0})", "sorted({0})", "tempfile.mktemp()", "re.compile({0})", "shlex.quote({0})",
    "sqlite3.connect(':memory:').execute('SELECT * FROM t WHERE a = ' + {0})",
    "sqlite3.connect(':memory:').execute(f\"SELECT {{{0}}}\")", "({0})[0]", "({0}).get('k')",
    "print({0})", "max({0})", "sum({0}) / len({0})", "os.path.join({0}, 'a')",
]
LITERALS = [
    "0", "1", "-1", "3.5", "1e308", "0x1F", "1_000", "True", "None", "...", "''", "'text'",
    '"🐍 non-BMP ✓"', "b'bytes'", "r'\\d+'", "f'{x}'", "'''multi\nline'''", "[]", "{}",
    "[1, 2, 3]", "{'a': 1}", "(1,)", "'a' * 3", "'\\U0001F600'", "'\\x00'",
]
COMMENTS = ["# plain", "# noqa", "# noqa: HAL001", "# vetpy: ignore", "# vetpy: ignore[SEC, EDGE001]", "# type: ignore", "#"]


def _indent(block: str, unit: str = "    ") -> str:
    return "".join(unit + line if line.strip() else line for line in block.splitlines(keepends=True))


@st.composite
def _expr(draw) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.sampled_from(LITERALS))
    if kind == 1:
        return draw(st.sampled_from(NAMES))
    arg = draw(st.sampled_from(NAMES + LITERALS[:12]))
    return draw(st.sampled_from(CALLS)).format(arg)


def _simple_statement() -> st.SearchStrategy[str]:
    imports = st.sampled_from(MODULES).map(lambda m: f"import {m}")
    aliased = st.tuples(st.sampled_from(MODULES), st.sampled_from(NAMES[:7])).map(lambda t: f"import {t[0]} as {t[1]}")
    from_imports = st.sampled_from(FROM_IMPORTS).map(lambda t: f"from {t[0]} import {t[1]}")
    assign = st.tuples(st.sampled_from(NAMES), _expr()).map(lambda t: f"{t[0]} = {t[1]}")
    aug = st.sampled_from(NAMES).map(lambda n: f"{n} += 1")
    bare = _expr()
    annotated = st.sampled_from(NAMES).map(lambda n: f"{n}: int = 0")
    asserting = _expr().map(lambda e: f"assert {e}")
    other = st.sampled_from(["pass", "del x", "global x", "raise ValueError('bad')", "x, *y = items", "lambda: None"])
    stmt = st.one_of(imports, aliased, from_imports, assign, aug, bare, annotated, asserting, other)
    comment = st.one_of(st.just(""), st.sampled_from(COMMENTS).map(lambda c: "  " + c))
    return st.tuples(stmt, comment).map(lambda t: t[0] + t[1] + "\n")


def _block(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    body = st.lists(children, min_size=1, max_size=4).map("".join)
    header = st.sampled_from(
        [
            "if {e}:", "while {e}:", "for item in {e}:", "with open('f') as fh:", "def f(x, *args, y=1, **kw):",
            "async def g(url):", "class C(Base):", "try:", "if x:\n    pass\nelif {e}:", "with {e} as ctx:",
        ]
    )

    def build(t: tuple[str, str, str, str]) -> str:
        head, e, inner, tail = t
        text = head.format(e=e) + "\n" + _indent(inner)
        if head == "try:":
            text += tail
        return text

    tails = st.sampled_from(
        ["except ImportError:\n    pass\n", "except Exception:\n    pass\n", "except:\n    raise\n", "finally:\n    pass\n"]
    )
    return st.tuples(header, _expr(), body, tails).map(build)


def statements() -> st.SearchStrategy[str]:
    """One statement or a compound statement with nested blocks."""
    return st.recursive(_simple_statement(), _block, max_leaves=12)


def programs() -> st.SearchStrategy[str]:
    """Complete, syntactically valid modules."""
    docstring = st.sampled_from(["", '"""Module docstring."""\n', "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"])
    return st.tuples(docstring, st.lists(statements(), max_size=8)).map(lambda t: t[0] + "".join(t[1]))


def truncated(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A prefix of an example, cut anywhere."""
    return strategy.flatmap(lambda s: st.integers(0, len(s)).map(lambda i: s[:i]))


# -- text transformations (plain functions: also used by the atheris harness) -------------------

def with_line_endings(text: str, style: str) -> str:
    """Rewrite ``\\n`` line breaks as ``crlf``, ``cr`` or ``mixed`` (alternating \\r\\n, \\r, \\n)."""
    if style == "crlf":
        return text.replace("\n", "\r\n")
    if style == "cr":
        return text.replace("\n", "\r")
    if style == "mixed":
        endings = ["\r\n", "\r", "\n"]
        parts = text.split("\n")
        return "".join(p + endings[i % 3] for i, p in enumerate(parts[:-1])) + parts[-1]
    return text


def with_mixed_indentation(text: str) -> str:
    """Replace the first four spaces of every other indented line with a tab (may not parse)."""
    out = []
    for i, line in enumerate(text.splitlines(keepends=True)):
        out.append("\t" + line[4:] if i % 2 and line.startswith("    ") else line)
    return "".join(out)


def with_bom(text: str) -> str:
    return "\ufeff" + text


def splice(text: str, position: int, insert: str) -> str:
    position = max(0, min(position, len(text)))
    return text[:position] + insert + text[position:]


# -- pathological shapes ------------------------------------------------------------------------

def deep_nesting() -> st.SearchStrategy[str]:
    """1,000+ nested brackets, deeply nested blocks, and long chains that build deep trees."""
    depth = st.integers(1000, 3000)
    brackets = st.tuples(st.sampled_from(["()", "[]", "{}"]), depth).map(lambda t: "x = " + t[0][0] * t[1] + "1" + t[0][1] * t[1] + "\n")
    mixed = depth.map(lambda n: "x = " + "([" * (n // 2) + "1" + "])" * (n // 2) + "\n")
    unclosed = depth.map(lambda n: "print(" * n + "\n")
    blocks = st.integers(20, 120).map(lambda n: "".join("    " * i + f"if x{i}:\n" for i in range(n)) + "    " * n + "pass\n")
    # Chains the parser accepts at any length, giving syntax trees thousands of levels deep:
    chains = st.tuples(st.sampled_from(["1 + ", "a.", "not ", "-", "x or ", "f()("]), st.integers(500, 5000)).map(
        lambda t: "y = " + t[0] * t[1] + ("1" if not t[0].endswith(".") else "b") + "\n"
    )
    calls = st.integers(200, 1200).map(lambda n: "import subprocess\nsubprocess.run(" + "str(" * n + "x" + ")" * n + ", shell=True)\n")
    return st.one_of(brackets, mixed, unclosed, blocks, chains, calls)


def huge_literals() -> st.SearchStrategy[str]:
    """Very long numbers, strings, lines and collections."""
    size = st.integers(5_000, 200_000)
    return st.one_of(
        size.map(lambda n: "x = " + "9" * n + "\n"),  # beyond int's digit limit for str()
        size.map(lambda n: "s = '" + "a" * n + "'\n"),
        size.map(lambda n: "s = '" + "😀" * (n // 10) + "'\n"),
        size.map(lambda n: "b = b'" + "\\x00" * (n // 10) + "'\n"),
        st.integers(1_000, 20_000).map(lambda n: "xs = [" + ", ".join(["1"] * n) + "]\n"),
        st.integers(1_000, 20_000).map(lambda n: "import os; " * n + "\n"),
        st.integers(1_000, 5_000).map(lambda n: "".join(f"import fastjsonx{i % 7}\n" for i in range(n))),
        st.integers(10, 60).map(lambda n: "x = 1e" + "9" * n + "\n"),
    )


def non_bmp_programs() -> st.SearchStrategy[str]:
    """Identifiers and strings outside the Basic Multilingual Plane, before and inside findings."""
    ident = st.sampled_from(["𝔡𝔞𝔱𝔞", "𝓍", "𐐀𐐁", "名前", "ｆｕｌｌ", "ℌ"])  # NFKC-normalised by the parser
    text = st.text(alphabet=st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, blacklist_categories=("Cs",)), max_size=5)
    return st.tuples(ident, text, statements()).map(
        lambda t: f"{t[0]} = '{t[1]}'; import fastjsonx; eval({t[0]})\n"
        f"from json import loads_fast as {t[0]}2\n{t[2]}"
    )


_CONTROL = st.sampled_from(["\x00", "\x0c", "\x0b", "\x1a", "\x1c", "\x85", "\u2028", "\ufeff", "\ud800", "\t", "\\", "\r", "'''", '"', "#"])


def hostile_sources() -> st.SearchStrategy[str]:
    """Every shape above plus programs with damaged line endings, indentation and bytes."""
    prog = programs()
    endings = st.tuples(prog, st.sampled_from(["crlf", "cr", "mixed"])).map(lambda t: with_line_endings(*t))
    spliced = st.tuples(prog, st.integers(0, 10_000), _CONTROL).map(lambda t: splice(t[0], t[1] % (len(t[0]) + 1), t[2]))
    return st.one_of(
        prog,
        truncated(prog),
        endings,
        truncated(endings),
        prog.map(with_mixed_indentation),
        prog.map(with_bom),
        prog.map(lambda s: s.replace("\n", "\n\x0c", 2)),  # form feeds at line starts
        spliced,
        non_bmp_programs(),
        deep_nesting(),
        huge_literals(),
        st.text(max_size=300),
    )


# -- the invariants ------------------------------------------------------------------------------

class InvariantChecker:
    """A real analysis context plus a record of checker failures."""

    def __init__(self, ctx: AnalysisContext) -> None:
        self.ctx = ctx
        self.errors: list[str] = []
        ctx.on_error = lambda name, exc: self.errors.append(f"{name}: {type(exc).__name__}: {exc}")

    def check(self, text: str, name: str = "app.py") -> list[Finding]:
        path = str(Path(self.ctx.root) / "pkg" / name)
        self.errors.clear()
        doc = Document(path, text)
        findings = analyze(doc, self.ctx)
        assert not self.errors, f"checker failed: {self.errors[0][:500]}"
        for f in findings:
            assert_inside(doc, f)
            for fix in f.fixes:
                fixed = apply_edits(text, fix.edits)  # raises for edits outside the text or overlapping
                if doc.tree is not None:
                    try:
                        ast.parse(fixed)
                    except (SyntaxError, ValueError) as exc:
                        raise AssertionError(f"{f.code} fix {fix.title!r} broke the code: {exc}\n{fixed[:2000]}") from None
        again = analyze(Document(path, text), self.ctx)
        assert again == findings, "findings differ between two runs on the same text"
        return findings


def assert_inside(doc: Document, f: Finding) -> None:
    n = doc.line_count
    assert 1 <= f.line <= f.end_line <= n, f"{f.code} lines {f.line}-{f.end_line} outside 1..{n}"
    assert 1 <= f.column <= len(doc.line_text(f.line)) + 1, f"{f.code} column {f.column} outside line {f.line}"
    assert 1 <= f.end_column <= len(doc.line_text(f.end_line)) + 1, f"{f.code} end column {f.end_column} outside line {f.end_line}"
    assert (f.line, f.column) <= (f.end_line, f.end_column), f"{f.code} range ends before it starts"
