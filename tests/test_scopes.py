"""vetpy.scopes: the binding sites of each scope, built once and shared by the type inference, the
data-flow analysis and the EDGE None/emptiness facts (specification first: what each construct
binds, in which scope, under which blocks)."""

from __future__ import annotations

import ast
import sys
import textwrap

from conftest import context_for
from vetpy import scopes as scopes_module
from vetpy.document import Document, Parses
from vetpy.engine import analyze
from vetpy.scopes import ScopeIndex, scope_table


def _sites(source: str, scope_name: str | None = None) -> dict[str, list[tuple[str, int]]]:
    tree = ast.parse(textwrap.dedent(source))
    scope: ast.AST = tree
    if scope_name is not None:
        scope = next(n for n in ast.walk(tree) if getattr(n, "name", None) == scope_name)
    return {name: [(s.kind, s.unpacked) for s in sites] for name, sites in scope_table(scope).sites.items()}


def test_each_statement_binds_its_names_with_its_kind():
    sites = _sites("""
        import os.path, json as j
        from a.b import c as d, e
        from x import *
        x = 1
        p, (q, *r) = v
        n: int
        m: int = 2
        m += 1
        for i, (k, w) in items: pass
        with open(f) as fh, lock: pass
        if (y := 3): pass
        class C: pass
        async def g(): pass
        try: pass
        except ValueError as err: pass
        del z
        match v:
            case {"k": kk, **rest}: pass
            case [first, *others]: pass
        global gl
    """)
    assert sites == {
        "os": [("import", 0)], "j": [("import", 0)], "d": [("import", 0)], "e": [("import", 0)],
        "x": [("assign", 0)], "p": [("assign", 1)], "q": [("assign", 2)], "r": [("assign", 2)],
        "n": [("annotated", 0)], "m": [("annotated", 0), ("augmented", 0)],
        "i": [("for", 1)], "k": [("for", 2)], "w": [("for", 2)], "fh": [("with", 0)],
        "y": [("walrus", 0)], "C": [("class", 0)], "g": [("def", 0)], "err": [("except", 0)],
        "z": [("delete", 0)], "kk": [("match", 0)], "rest": [("match", 0)], "first": [("match", 0)],
        "others": [("match", 0)], "gl": [("global", 0)],
    }


def test_nested_scopes_lend_their_names_only_and_what_runs_in_this_scope():
    sites = _sites("""
        @deco(a := 1)
        def f(x=(b := 2)):
            inner = 3
        class K(Base if (c := 4) else object):
            attr = 5
        squares = [(t := n * n) for n in range(9)]
        fn = lambda q: (h := q)
    """)
    # a def's decorators, defaults and a class's bases run here; a comprehension's assignment
    # expression binds here, its loop variable does not; a lambda's body binds nothing here
    assert set(sites) == {"a", "f", "b", "K", "c", "squares", "t", "fn"}
    assert _sites("def f(x):\n    inner = 3\n    def g():\n        deep = 1\n", "f") == {"inner": [("assign", 0)], "g": [("def", 0)]}
    assert _sites("class K:\n    attr = 5\n    def m(self):\n        self.x = 1\n", "K") == {"attr": [("assign", 0)], "m": [("def", 0)]}


def test_comprehension_and_lambda_scopes():
    tree = ast.parse("[x for x, y in pairs for z in x]\nf = lambda a: (b := a)\n")
    comp = next(n for n in ast.walk(tree) if isinstance(n, ast.ListComp))
    table = scope_table(comp)
    assert {n: [(s.kind, s.unpacked) for s in ss] for n, ss in table.sites.items()} == {
        "x": [("comprehension", 1)], "y": [("comprehension", 1)], "z": [("comprehension", 0)]}
    lam = next(n for n in ast.walk(tree) if isinstance(n, ast.Lambda))
    assert set(scope_table(lam).sites) == {"b"}


def test_blocks_are_the_compound_statements_around_a_binding():
    tree = ast.parse(textwrap.dedent("""
        def f(items):
            a = 0
            for item in items:
                if item:
                    a = 1
            try:
                b = 2
            except OSError as e:
                b = 3
    """))
    func = tree.body[0]
    table = scope_table(func)
    kinds = {name: [tuple(type(b).__name__ for b in s.blocks) for s in sites] for name, sites in table.sites.items()}
    assert kinds == {"a": [(), ("For", "If")], "item": [()], "b": [("Try",), ("Try", "ExceptHandler")], "e": [("Try",)]}
    assert [type(c).__name__ for c in table.conditions] == ["If"]


def test_item_and_attribute_targets_are_recorded_as_stored_through():
    table = scope_table(ast.parse("d[key] = 1\nobj.attr = 2\n(a, cfg['x']) = 3, 4\nplain = 5\n"))
    assert table.stored_through == {"d", "key", "obj", "cfg"}


def test_an_unchanged_statement_keeps_its_tables_across_edits():
    """The tables live in the document's memo under their top-level statement: after an edit of
    another statement the incremental parser keeps the nodes, and the table is not rebuilt."""
    parses = Parses()
    before = "def f(a):\n    x = a\n    return x\n\n\ndef g():\n    y = 1\n"
    after = before.replace("y = 1", "y = 22")  # an edit inside g, keeping the line count
    old = Document("m.py", before, parses=parses)
    old_f = old.tree.body[0]
    old_table = ScopeIndex(old.tree, old).table(old_f)
    new = Document("m.py", after, parses=parses)
    assert new.tree.body[0] is old_f  # the parser reused the statement
    assert ScopeIndex(new.tree, new).table(new.tree.body[0]) is old_table
    old_g = ScopeIndex(old.tree, old).table(old.tree.body[1])
    assert new.tree.body[1] is not old.tree.body[1]
    assert ScopeIndex(new.tree, new).table(new.tree.body[1]) is not old_g


def test_one_analysis_builds_each_scope_table_once(monkeypatch, tmp_path):
    """The inference (HAL), the data-flow analysis (SEC) and the None facts (EDGE) read the same
    tables: one analysis of a document builds each scope's table at most once."""
    built: list[int] = []
    real = scopes_module.scope_table

    def counting(scope):
        built.append(id(scope))
        return real(scope)

    monkeypatch.setattr(scopes_module, "scope_table", counting)
    source = textwrap.dedent("""
        import json, sqlite3, requests
        from flask import Flask, request
        app = Flask(__name__)
        CONFIG = {"a": 1}

        @app.route("/q")
        def query():
            name = request.args.get("name")
            conn = sqlite3.connect("db")
            rows = conn.execute("SELECT * FROM t WHERE n = '%s'" % name)
            data = CONFIG.get("a")
            return json.dumps(data.bit_length())

        class Client:
            def fetch(self, url):
                resp = requests.get(url)
                return resp.json()
    """)
    ctx = context_for(tmp_path, python=sys.executable, settings={"select": ["ALL"]})  # every rule, the opt-in ones too
    findings = analyze(Document(str(tmp_path / "app.py"), source), ctx)
    assert {"SEC001", "EDGE003"} <= {f.code for f in findings}  # the data-flow and EDGE rules ran
    assert built, "no scope table was built"
    assert len(built) == len(set(built)), "a scope's table was built twice in one analysis"
