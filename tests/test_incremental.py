"""Speed-ups that must not change any answer: the shared node list and parent map of a document,
incremental re-parsing of an edited document, the EDGE function map built from the parent map,
the import probe that skips modules found on disk, and the per-analysis memo of member answers.

Each optimisation is compared with the straightforward computation it replaces, on real files
and on random edit sequences (Hypothesis)."""

from __future__ import annotations

import ast
import itertools
import re
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import programs, with_line_endings

from vetpy.context import AnalysisContext
from vetpy.document import Document, Parses
from vetpy.engine import analyze
from vetpy.environment.model import InterpreterChoice, TargetEnvironment
from vetpy.environment.modules import ModuleResolver
from vetpy.resolve.infer import _Answers
from vetpy.rules.edge.facts import own_function_map, walk_no_nested

REPO = Path(__file__).resolve().parent.parent
# files that define functions (a line starting `def`: "def " in a comment does not count)
SOURCES = [p for p in sorted((REPO / "server" / "vetpy").rglob("*.py"))
           if re.search(r"^\s*(async\s+)?def ", p.read_text(encoding="utf-8"), re.M)]
_paths = itertools.count()
# the incremental parser's memory of the paths these tests edit (a language server's would be its
# analyser's: IncrementalAnalyzer.parses)
PARSES = Parses()


def _fresh_path() -> str:
    """A path no earlier parse used (so the incremental parser starts from nothing)."""
    return f"<incremental-{next(_paths)}>.py"


def _dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


# -- the shared node list and parent map -----------------------------------------------------------
@pytest.mark.parametrize("path", SOURCES[::4], ids=lambda p: p.name)
def test_nodes_and_parents_match_ast_walk(path: Path) -> None:
    doc = Document(_fresh_path(), path.read_text(encoding="utf-8"))
    assert doc.tree is not None
    assert doc.nodes == list(ast.walk(doc.tree))
    assert list(doc.walk()) == doc.nodes
    expected = {child: parent for parent in ast.walk(doc.tree) for child in ast.iter_child_nodes(parent)}
    assert doc.parents == expected


def test_nodes_of_a_document_that_does_not_parse_are_empty() -> None:
    doc = Document(_fresh_path(), "def f(:\n")
    assert doc.tree is None
    assert doc.nodes == [] and doc.parents == {} and list(doc.walk()) == []


@pytest.mark.parametrize("path", SOURCES[::3], ids=lambda p: p.name)
def test_own_function_map_matches_walking_each_function(path: Path) -> None:
    doc = Document(_fresh_path(), path.read_text(encoding="utf-8"))
    assert doc.tree is not None
    expected = {}
    for func in ast.walk(doc.tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in walk_no_nested(func.body):
                expected[id(node)] = func
    # context and operator singletons (ast.Load(), ast.Add(), ...) are shared by the whole tree:
    # "the function of" one of them means nothing, and the rules never ask
    real = {id(n) for n in doc.nodes if n._attributes or n._fields}
    actual = own_function_map(doc.nodes, doc.parents)
    assert {k: v for k, v in actual.items() if k in real} == {k: v for k, v in expected.items() if k in real}
    assert expected  # the sample files do define functions


# -- incremental parsing ---------------------------------------------------------------------------
SNIPPETS = [
    "x", "(", ")", "[", "]", ":", "#", '"', "'''", '"""', "\\", "\t", " ", "    ", "\r", "\r\n", "\n", "\x0c",
    "if x:", "else:", "elif y:", "except E:", "finally:", "@d", "def f():", "class C:", "return", "pass",
    "lambda: 0", "y = 1", "; z = 2", "async ", "await z", 'f"{', "}", "from __future__ import annotations",
]
edits = st.lists(
    st.tuples(
        st.floats(0, 1), st.floats(0, 1), st.sampled_from(["insert", "delete", "replace"]),
        st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=4)),
    ),
    min_size=1,
    max_size=6,
)


def _apply(text: str, edit: tuple[float, float, str, str]) -> str:
    where, column, kind, snippet = edit
    lines = text.splitlines(keepends=True) or [""]
    i = min(int(where * len(lines)), len(lines) - 1)
    line = lines[i]
    c = min(int(column * (len(line) + 1)), len(line))
    if kind == "insert":
        line = line[:c] + snippet + line[c:]
    elif kind == "delete":
        line = line[:c] + line[c + len(snippet) + 1 :]
    else:
        body = line.rstrip("\r\n")
        line = snippet + line[len(body) :]
    lines[i] = line
    return "".join(lines)


def _assert_parses_like_a_fresh_document(path: str, text: str) -> Document:
    doc = Document(path, text, parses=PARSES)
    fresh = Document(_fresh_path(), text)
    assert (doc.tree is None) == (fresh.tree is None)
    if fresh.tree is None:
        assert doc.syntax_error == fresh.syntax_error
    else:
        assert doc.tree is not None
        assert _dump(doc.tree) == _dump(fresh.tree)
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=programs(), style=st.sampled_from(["lf", "crlf", "cr", "mixed"]), steps=edits)
@pytest.mark.slow
def test_incremental_parse_equals_a_full_parse(base: str, style: str, steps: list) -> None:
    path = _fresh_path()
    text = with_line_endings(base, style)
    _assert_parses_like_a_fresh_document(path, text)
    for step in steps:
        text = _apply(text, step)
        _assert_parses_like_a_fresh_document(path, text)


def _benchmark_like(functions: int = 60) -> list[str]:
    lines = ["import json", "import os", ""]
    for i in range(functions):
        lines += [f"def handler_{i}(value):", f"    data = json.dumps({{'k': value, 'i': {i}}})",
                  "    return os.path.join(data, str(value))", ""]
    return lines


def test_an_edit_inside_one_function_reuses_the_other_statements() -> None:
    path = _fresh_path()
    lines = _benchmark_like()
    before = Document(path, "\n".join(lines) + "\n", parses=PARSES).tree
    lines[5] = "    data = json.dumps({'k': value, 'step': 1})"
    after = Document(path, "\n".join(lines) + "\n", parses=PARSES).tree
    assert before is not None and after is not None
    assert after.body[2] is not before.body[2]  # handler_0, edited: parsed again
    assert all(a is b for a, b in zip(after.body[3:], before.body[3:]))  # the others: reused as they are
    assert _dump(after) == _dump(ast.parse("\n".join(lines) + "\n"))


@pytest.mark.parametrize(
    "new_line",
    [
        "    data = (",  # an unclosed bracket continues into the next function
        "data = 1",  # dedented: a new top-level statement between two lines of the function
        '    data = """',  # an unclosed string swallows what follows
        "    data = 1 \\",  # a line continuation
        "@decorator",  # a decorator line inside a body
    ],
)
def test_edits_that_reach_beyond_their_statement_parse_like_the_whole_text(new_line: str) -> None:
    path = _fresh_path()
    lines = _benchmark_like(8)
    Document(path, "\n".join(lines) + "\n", parses=PARSES).tree
    lines[5] = new_line
    _assert_parses_like_a_fresh_document(path, "\n".join(lines) + "\n")


def test_a_statement_sharing_a_line_with_its_neighbour_is_not_parsed_alone() -> None:
    path = _fresh_path()
    Document(path, "a = 1; b = 2 + \\\n3\nc = 4\n", parses=PARSES).tree
    # the second line alone ("+ 5") would parse as an expression statement
    _assert_parses_like_a_fresh_document(path, "a = 1; b = 2 + \\\n+ 5\nc = 4\n")


def test_findings_after_incremental_parses_equal_findings_of_fresh_documents() -> None:
    """Whole analyses (every static rule family) on an edit sequence: same findings either way."""
    ctx = AnalysisContext.bare()
    path = "app.py"
    lines = [
        "import subprocess, hashlib, requests",
        "",
        "def fetch(url, items):",
        "    r = requests.get(url)",
        "    first = items[0]",
        "    return r.json(), first",
        "",
        "def run(cmd):",
        "    subprocess.run(cmd, shell=True)",
        "    return hashlib.md5(cmd.encode()).hexdigest()",
        "",
        "def pick(xs):",
        "    try:",
        "        return max(xs)",
        "    except Exception:",
        "        pass",
    ]
    variants = {
        3: ["    r = requests.get(url, timeout=5)", "    r = requests.get(url)"],
        8: ["    subprocess.run(cmd)", "    subprocess.run(cmd, shell=True)", "    subprocess.run(cmd, shell=("],
        13: ["        return max(xs, default=None)", "        return xs[0]"],
    }
    for line, texts in itertools.cycle(variants.items()):
        if not texts:
            break
        lines[line] = texts.pop(0)
        text = "\n".join(lines) + "\n"
        incremental = analyze(Document(path, text, parses=PARSES), ctx)
        fresh = analyze(Document(_fresh_path(), text), ctx)
        assert [(f.line, f.column, f.code, f.message) for f in incremental] == [
            (f.line, f.column, f.code, f.message) for f in fresh
        ]
        if all(not t for t in variants.values()):
            break
    assert PARSES.get(path) is not None


def test_the_parse_memory_is_bounded() -> None:
    parses = Parses()
    for _ in range(Parses.MAX_ENTRIES * 2):
        Document(_fresh_path(), "x = 1\n", parses=parses).tree
    assert len(parses) == Parses.MAX_ENTRIES


def test_documents_without_a_parse_memory_keep_nothing() -> None:
    """The CLI and every one-off analysis: no tree outlives its document."""
    parses = Parses()
    path = _fresh_path()
    Document(path, "x = 1\n").tree
    Document(path, "x = 2\n").tree
    assert path not in parses and PARSES.get(path) is None


# -- the import probe ------------------------------------------------------------------------------
def test_the_import_probe_is_not_asked_about_modules_found_on_disk(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "pkg" / "sub").mkdir(parents=True)
    (site / "pkg" / "__init__.py").write_text("")
    (site / "pkg" / "sub" / "__init__.py").write_text("")
    (site / "pkg" / "mod.py").write_text("")
    env = TargetEnvironment(
        choice=InterpreterChoice("/nonexistent/python", "test"), executable="/nonexistent/python",
        version=(3, 11, 0), implementation="cpython", platform="linux", prefix=str(tmp_path),
        base_prefix=str(tmp_path), sys_path=[str(site)], site_packages=[str(site)], stdlib_dirs=[],
        stdlib_names=frozenset({"os", "json"}), distributions={}, module_dists={},
        top_level_modules={"pkg": "site", "os": "stdlib", "json": "stdlib"},
    )
    resolver = ModuleResolver(env, tmp_path / "project", use_disk_cache=False)
    asked: list[list[str]] = []
    resolver.prefetch_specs = lambda modules: asked.append(list(modules))  # type: ignore[method-assign]
    resolver.prefetch_unplaced(["pkg", "pkg.mod", "pkg.sub", "os", "json.decoder", "pkg.missing", "unknown_top"])
    assert asked == [["json.decoder", "pkg.missing", "unknown_top"]]
    asked.clear()
    resolver.prefetch_unplaced(["pkg.mod", "os"])
    assert asked == []  # nothing to ask: no probe at all


# -- member answers memoised per analysis ----------------------------------------------------------
class _CountingIndex:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def describe(self, path: str) -> dict | None:
        self.calls.append(("describe", path))
        return {"found": True, "kind": "module", "path": path}

    def method(self, cls_path: str, name: str) -> dict | None:
        self.calls.append(("method", cls_path, name))
        return None

    def module_attribute(self, module: str, name: str) -> object:
        self.calls.append(("attribute", module, name))
        return (module, name)

    def flush(self) -> None:
        self.calls.append(("flush",))


def test_member_answers_are_asked_once_per_analysis() -> None:
    index = _CountingIndex()
    answers = _Answers(index)  # type: ignore[arg-type]
    for _ in range(3):
        assert answers.describe("json")["path"] == "json"  # type: ignore[index]
        assert answers.method("json.JSONDecoder", "decode") is None
        assert answers.module_attribute("json", "loads") == ("json", "loads")
        answers.flush()
    assert index.calls.count(("describe", "json")) == 1
    assert index.calls.count(("method", "json.JSONDecoder", "decode")) == 1
    assert index.calls.count(("attribute", "json", "loads")) == 1
    assert index.calls.count(("flush",)) == 3  # not memoised: it writes to disk


# -- the member prefetch of a cold start -------------------------------------------------------------
def test_prefetch_asks_once_about_installed_modules_whose_attributes_are_read(tmp_path: Path) -> None:
    import threading

    from vetpy.environment.modules import ModuleLookup
    from vetpy.rules.hal.attributes import prefetch_members

    class Resolver:
        def find(self, module: str, file_path: str | None = None) -> ModuleLookup:
            return ModuleLookup(module, "first-party" if module == "mine" else "site")

    index = _CountingIndex()
    ctx = AnalysisContext.bare(tmp_path)
    ctx.resolver = Resolver()  # type: ignore[assignment]
    ctx.environment = object()  # type: ignore[assignment]
    ctx.members = index
    text = "import json, mine, unused\nfrom lsprotocol import types\nfrom . import sibling\n" \
           "json.dumps(1)\nmine.x\ntypes.Position\nsibling.y\n"
    before = set(threading.enumerate())
    prefetch_members(Document(_fresh_path(), text), ctx)
    for thread in set(threading.enumerate()) - before:
        thread.join(10)
    assert sorted(c for c in index.calls if c[0] == "describe") == [("describe", "json"), ("describe", "lsprotocol.types")]
    index.calls.clear()
    prefetch_members(Document(_fresh_path(), text), ctx)  # the index has been warmed: nothing more
    assert index.calls == []


# -- the EDGE checkers' node index ----------------------------------------------------------------
@pytest.mark.parametrize("path", SOURCES[::3], ids=lambda p: p.name)
def test_edge_of_type_matches_isinstance_filtering(path: Path) -> None:
    from vetpy.rules.edge.facts import Module

    doc = Document(_fresh_path(), path.read_text(encoding="utf-8"))
    assert doc.tree is not None
    mod = Module(doc, doc.tree)
    queries = [
        (ast.Call,), (ast.Assign, ast.AnnAssign, ast.With, ast.AsyncWith), (ast.FunctionDef, ast.AsyncFunctionDef),
        (ast.Try, ast.TryStar), (ast.For, ast.AsyncFor, ast.comprehension, ast.Call, ast.Attribute), (ast.Constant,),
        (ast.stmt,), (ast.expr, ast.Call), (ast.Load,), (ast.Match,),  # abstract classes too
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if sys.version_info < (3, 14):
            queries.append((ast.Num,))  # deprecated alias of Constant with its own isinstance
    for query in queries:
        assert list(mod.of_type(*query)) == [n for n in doc.nodes if isinstance(n, query)], query


# -- binding tables kept across analyses ----------------------------------------------------------
def _tables(doc: Document) -> tuple[object, list[tuple[str, dict]]]:
    from vetpy.resolve.infer import Inference

    inference = Inference(doc, "app", False, _CountingIndex(), None, lambda top: True)  # type: ignore[arg-type]
    scopes = [n for n in doc.nodes if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp))]
    out = []
    for scope in scopes:
        table = inference.bindings(scope)
        out.append((
            _dump(scope),
            {name: [(b.kind, b.extra, b.node and _dump(b.node), b.stmt and _dump(b.stmt)) for b in found]
             for name, found in table.items()},
        ))
    return inference, out


def test_binding_tables_of_unchanged_functions_are_reused_and_equal_fresh_ones() -> None:
    path = _fresh_path()
    lines = [
        "import json", "", "class Point:", "    def norm(self, scale=(k := 2)):", "        return [v for v in (self.x,)]", "",
        "def a(value):", "    data = json.dumps(value)", "    return data", "",
        "def b(items):", "    for item in items:", "        with open(item) as fh:", "            yield fh.read()",
    ]
    first, _ = _tables(Document(path, "\n".join(lines) + "\n", parses=PARSES))
    lines[7] = "    data, other = json.dumps(value), lambda q: q"
    doc = Document(path, "\n".join(lines) + "\n", parses=PARSES)
    second, tables = _tables(doc)
    _, fresh = _tables(Document(_fresh_path(), "\n".join(lines) + "\n"))
    assert tables == fresh
    b_new = next(n for n in doc.nodes if isinstance(n, ast.FunctionDef) and n.name == "b")
    a_new = next(n for n in doc.nodes if isinstance(n, ast.FunctionDef) and n.name == "a")
    # the binding sites (vetpy.scopes) of an unchanged function are reused, those of the edited
    # one collected again
    assert second.scopes.table(b_new) is first.scopes._tables[b_new]  # type: ignore[attr-defined]
    assert a_new not in first.scopes._tables  # type: ignore[attr-defined]
    assert set(second.bindings(a_new)) == {"value", "data", "other"}


def test_huge_documents_are_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Parses, "MAX_CHARS", 600)
    path = _fresh_path()
    Document(path, "x = 1\n", parses=PARSES).tree
    assert path in PARSES
    Document(path, "x = 1\n" * 101, parses=PARSES).tree
    assert path not in PARSES


def test_an_edit_that_makes_the_module_dynamic_is_analysed_whole() -> None:
    """The dynamic-module test after an edit searches only the changed stretch for its words
    (``Document.edit``): typing one into a function still makes the analysis whole."""
    from vetpy.incremental import IncrementalAnalyzer

    ctx = AnalysisContext.bare(select=["EDGE", "SEC"])
    analyzer = IncrementalAnalyzer()
    source = "import json\n\n\ndef a(x):\n    return json.dumps(x)\n\n\ndef b(y):\n    return y\n"
    first = Document("dyn.py", source, parses=analyzer.parses)
    analyzer.analyze(first, ctx)
    plain = Document("dyn.py", source.replace("return y", "return 1"), parses=analyzer.parses)
    assert analyzer.analyze(plain, ctx).reused
    assert plain.edit is not None and plain.edit[0] == source
    dynamic = Document("dyn.py", plain.text.replace("return 1", "return import_module"), parses=analyzer.parses)
    assert not analyzer.analyze(dynamic, ctx).reused
    assert analyzer.records["dyn.py"].dynamic
    Document("other.py", source).tree
    assert Document("other.py", source).edit is None  # parsed whole: no earlier text
