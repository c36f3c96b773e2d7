"""Which bindings of a name are bindings of one scope's variable (``ScopeIndex.bindings``), and
the rules that ask it instead of walking the function by hand: EDGE005 (a name bound only to an
in-memory buffer), EDGE018 (the local written back after an ``await``), EDGE020 (the query text
of a name bound once) and SEC026 (a name bound only to a tar archive opened for reading).

Specification. The bindings of ``name`` in scope S are:
- S's own binding sites (assignments, ``for``/``with`` targets, ``:=`` also inside S's
  comprehensions, imports, ``def``/``class``, ``except ... as``, ``del``, match captures,
  ``global``/``nonlocal`` statements);
- the sites of a function nested in S (at any depth, also in a class body nested in S) that
  declares ``nonlocal name``, reached through nested functions that leave ``name`` free.
Not bindings of S's variable: an assignment in a nested function without ``nonlocal`` (a local
of that function, also when a deeper function declares it nonlocal), a comprehension's own
target, a lambda's parameter, a nested function's parameter. For the module scope, an
assignment in any function without ``global`` is that function's local.
"""

from __future__ import annotations

import ast
import textwrap

from test_edge_rules import flagged
from test_security import lines

from vetpy.document import Document
from vetpy.scopes import scope_index


def _bound(source: str, scope: str | None, name: str) -> list[tuple[str, int]]:
    doc = Document("m.py", textwrap.dedent(source))
    assert doc.tree is not None
    node: ast.AST = doc.tree if scope is None else next(
        n for n in ast.walk(doc.tree) if getattr(n, "name", None) == scope)
    return [(s.kind, s.line) for s in scope_index(doc).bindings(node, name)]


NESTED = """
    def outer():
        x = 1
        def local():
            x = 2
            def deeper():
                nonlocal x
                x = 3
        def rebinds():
            nonlocal x
            x = 4
        def free():
            def deeper():
                nonlocal x
                x = 5
        class C:
            def method(self):
                nonlocal x
                x = 6
        def param(x):
            x = 7
        def declares_global():
            global x
            x = 8
        ys = [x for x in range(3)]
        f = lambda x: x
        [(x := y) for y in ys]
"""


def test_own_sites_and_nonlocal_rebindings_only() -> None:
    sites = _bound(NESTED, "outer", "x")
    # 3: own; 11: rebinds (nonlocal); 15: free -> deeper (nonlocal through a free function);
    # 19: a method of a nested class; 27: `:=` in a comprehension binds in the function
    assert sites == [("assign", 3), ("assign", 11), ("assign", 15), ("assign", 19), ("walrus", 27)]


def test_a_nested_local_is_not_the_outer_variable() -> None:
    assert _bound(NESTED, "local", "x") == [("assign", 5), ("assign", 8)]  # deeper's nonlocal is local's
    assert _bound(NESTED, "param", "x") == [("assign", 21)]


def test_module_scope_ignores_function_locals() -> None:
    source = """
        import tarfile
        tar = tarfile.open("a.tar")
        def other():
            tar = None
        def declared():
            global tar
            tar = None
    """
    assert _bound(source, None, "tar") == [("assign", 3)]  # the `global` rebinding is not followed


# --- EDGE005: a name bound only to an in-memory buffer -------------------------------------------

def test_edge005_nested_local_does_not_rebind_the_buffer() -> None:
    src = """
        import io

        def lines_of(text, path):
            handle = io.StringIO(text)
            def reopen():
                handle = open(path)
                return handle
            for line in handle.readlines():
                print(line)
    """
    assert flagged(src, "EDGE005") == []


def test_edge005_nonlocal_rebinding_to_a_file_is_still_reported() -> None:
    src = """
        import io

        def lines_of(text, path):
            handle = io.StringIO(text)
            def reopen():
                nonlocal handle
                handle = open(path)
            reopen()
            for line in handle.readlines():
                print(line)
    """
    assert flagged(src, "EDGE005") == [10]


# --- EDGE018: the local read before an `await` and written back ----------------------------------

JOIN = """
    import asyncio
    from fastapi import FastAPI
    app = FastAPI()
    VIEWERS = {}

    @app.get("/join")
    async def join(room):
        count = VIEWERS.get(room, 0)"""


def test_edge018_nested_local_of_the_same_name_keeps_the_finding() -> None:
    src = JOIN + """
        def reset():
            count = 0
            return count
        await asyncio.sleep(0)
        VIEWERS[room] = count + 1
    """
    assert flagged(src, "EDGE018") == [14]


def test_edge018_nonlocal_rebinding_after_the_read_is_not_a_stale_copy() -> None:
    src = JOIN + """
        def reset():
            nonlocal count
            count = 0
        await asyncio.sleep(0)
        VIEWERS[room] = count + 1
    """
    assert flagged(src, "EDGE018") == []


# --- EDGE020: the query text of a name bound once ------------------------------------------------

def test_edge020_a_nested_local_is_not_a_second_binding() -> None:
    src = """
        def name_of(cur, uid):
            sql = "SELECT name FROM users WHERE id = ?"
            def other():
                sql = "SELECT 1"
                return sql
            return cur.execute(sql, (uid,)).fetchone()[0]
    """
    assert flagged(src, "EDGE020") == [7]


def test_edge020_module_constant_despite_a_function_local_of_the_same_name() -> None:
    src = """
        QUERY = "SELECT name FROM users WHERE id = ?"

        def unrelated():
            QUERY = "SELECT 1"
            return QUERY

        def name_of(cur, uid):
            return cur.execute(QUERY, (uid,)).fetchone()[0]
    """
    assert flagged(src, "EDGE020") == [9]


def test_edge020_nonlocal_rebinding_is_a_second_binding() -> None:
    src = """
        def name_of(cur, uid):
            sql = "SELECT name FROM users WHERE id = ?"
            def other():
                nonlocal sql
                sql = "SELECT COUNT(*) FROM users WHERE id = ?"
            other()
            return cur.execute(sql, (uid,)).fetchone()[0]
    """
    assert flagged(src, "EDGE020") == []


def test_edge020_a_parameter_shadows_the_module_constant() -> None:
    src = """
        QUERY = "SELECT name FROM users WHERE id = ?"

        def name_of(cur, uid, QUERY):
            return cur.execute(QUERY, (uid,)).fetchone()[0]
    """
    assert flagged(src, "EDGE020") == []


# --- SEC026: a name bound only to a tar archive opened for reading --------------------------------

def test_sec026_nested_local_does_not_rebind_the_archive() -> None:
    src = """
        import tarfile
        import zipfile

        def restore(path, dest):
            tar = tarfile.open(path)
            def other():
                tar = zipfile.ZipFile(path)
                return tar
            tar.extractall(dest)
    """
    assert lines(src, "SEC026") == [10]


def test_sec026_module_archive_despite_a_function_local_of_the_same_name() -> None:
    src = """
        import tarfile

        def other():
            tar = object()
            return tar

        tar = tarfile.open("bundle.tar")
        tar.extractall("out")
    """
    assert lines(src, "SEC026") == [9]


def test_sec026_nonlocal_or_loop_rebinding_is_not_known_to_be_the_archive() -> None:
    src = """
        import tarfile

        def restore(path, dest, archives):
            tar = tarfile.open(path)
            def swap(other):
                nonlocal tar
                tar = other
            swap(archives[0])
            tar.extractall(dest)

        def each(path, dest, archives):
            tar = tarfile.open(path)
            for tar in archives:
                tar.extractall(dest)
    """
    assert lines(src, "SEC026") == []
