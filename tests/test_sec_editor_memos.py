"""What two SEC rules keep between the editor's versions of a file (issue #17 point 4: an edit costs
the edited statement, not the module), and that the findings stay those of a whole analysis.

- SEC036 (object_ownership): a route's fetches are memoised with its top-level statement; an edit
  walks the routes of the edited statement only (the app benchmark's 79 routes were walked on
  every edit: 17 of 24 ms).
- SEC025 (caller_arguments): the calls of a module are indexed by the name they call in one walk;
  an importer's tree and index are kept per version of its text, the analysed module's per
  statement.  A question walked the module and every importer again (and, in the language server,
  parsed every importer again)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from conftest import context_for, write
from test_object_ownership import DJANGO
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.incremental import IncrementalAnalyzer
import vetpy.rules.sec.caller_arguments as caller_arguments
import vetpy.rules.sec.object_ownership as object_ownership


def _reference_calls(module: ast.Module, name: str) -> Iterator[tuple[ast.AST | None, ast.Call]]:
    """The walk the index replaced (specification): depth first, each call with its enclosing function."""
    def visit(node: ast.AST, enclosing: ast.AST | None) -> Iterator[tuple[ast.AST | None, ast.Call]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else enclosing
            if isinstance(child, ast.Call):
                callee = child.func
                if (isinstance(callee, ast.Name) and callee.id == name) or (isinstance(callee, ast.Attribute) and callee.attr == name):
                    yield enclosing, child
            yield from visit(child, inner)
    yield from visit(module, None)


VARIED = '''
import os
run(os.getcwd())

@decorate(run("d"))
def outer(a=run("default")):
    run(a)
    def inner():
        return obj.run(run(1), key=lambda: run(2))
    class Local:
        x = run(3)
        def method(self):
            self.run([run(4) for _ in range(2)])
    return inner

class Service:
    value = run(5)
    async def go(self):
        await self.client.run(f"{run(6)}")

if run(7):
    other(run(8))
'''


def test_the_call_index_is_the_walk_it_replaced() -> None:
    tree = ast.parse(VARIED)
    index = caller_arguments._call_index(tree.body)
    for name in ("run", "other", "getcwd", "decorate", "range", "absent"):
        assert index.get(name, []) == list(_reference_calls(tree, name)), name
    assert len(index["run"]) == 15
    assert caller_arguments._own_calls(tree, None) == index


HELPER = '''\
import subprocess

WORKDIR = "/srv/work"


def remove(path):
    subprocess.run(f"sudo rm -rf {path}", shell=True, check=True)
    return True
'''


def test_editing_the_helper_reads_each_importer_once(tmp_path: Path, monkeypatch) -> None:
    files = {"pyproject.toml": "[project]\nname = 'proj'\nversion = '0'\n", "pkg/__init__.py": "", "pkg/helper.py": HELPER}
    for k in range(3):
        files[f"pkg/user{k}.py"] = f"from pkg.helper import remove, WORKDIR\n\n\ndef clean_{k}():\n    remove(WORKDIR)\n"
    root = write(tmp_path, files)
    ctx = context_for(root)
    parsed: list[str] = []
    real_parse = caller_arguments.parse_file
    monkeypatch.setattr(caller_arguments, "parse_file", lambda path, text: parsed.append(path) or real_parse(path, text))
    path = str(root / "pkg" / "helper.py")
    analyzer = IncrementalAnalyzer()
    text = HELPER
    for step in range(4):
        text = HELPER.replace("return True", f"return {step} > 0")
        got = analyzer.analyze(Document(path, text, parses=analyzer.parses), ctx).findings
        assert [f.code for f in got if f.code == "SEC025"] == []  # every caller passes the module constant
        assert got == analyze(Document(path, text), ctx)
    assert sorted(parsed) == sorted(str(root / "pkg" / f"user{k}.py") for k in range(3))  # once each, not per edit
    # a caller that passes its own parameter: the importer's new text is read, the finding comes back
    user = root / "pkg" / "user1.py"
    user.write_text(user.read_text() + "\n\ndef clean_from(where):\n    remove(where)\n")
    got = analyzer.analyze(Document(path, text + "\n", parses=analyzer.parses), ctx).findings
    assert [f.line for f in got if f.code == "SEC025"] == [7]
    assert got == analyze(Document(path, text + "\n"), ctx)


def test_an_edit_walks_only_the_edited_routes(monkeypatch) -> None:
    ctx = AnalysisContext.bare(select=["SEC036"])
    path = "/project/app/views.py"
    analyzer = IncrementalAnalyzer()
    first = analyzer.analyze(Document(path, DJANGO, parses=analyzer.parses), ctx).findings
    assert [f.code for f in first] == ["SEC036"]
    walked: list[str] = []
    real = object_ownership._route_fetches
    monkeypatch.setattr(object_ownership, "_route_fetches", lambda route, *rest: walked.append(route.node.name) or real(route, *rest))
    edited = DJANGO.replace('return JsonResponse({"pdf": invoice.pdf_key})', 'return JsonResponse({"pdf": invoice.key})')
    assert edited != DJANGO
    got = analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx)
    assert walked == ["get"]  # InvoiceDownloadView.get, not the module's other views
    assert got.findings == analyze(Document(path, edited), ctx)


CSV_MODULE = '''\
import csv
import io

PREFIXES = ("=", "+", "-", "@")


def _cell(value):
    text = str(value)
    return "'" + text if text[:1] in PREFIXES else text


def export(orders):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for e in orders:
        writer.writerow([e.merchant, e.note])
    return out.getvalue()


def other(x):
    return x + 1
'''


def test_csv_neutralisers_walk_only_the_edited_function(monkeypatch) -> None:
    """SEC040's neutralisers: what a function reads (its strings, names, start tests) is memoised with
    its statement; an edit walks the edited function only, and the findings stay a whole analysis's
    (also when the edit removes, then restores, the module's neutraliser)."""
    import vetpy.rules.sec.csv_injection as csv_injection

    ctx = AnalysisContext.bare(select=["SEC040"])
    path = "/project/app/export.py"
    analyzer = IncrementalAnalyzer()
    first = analyzer.analyze(Document(path, CSV_MODULE, parses=analyzer.parses), ctx).findings
    assert [f.line for f in first] == [16]
    walked: list[str] = []
    real = csv_injection._start_tests
    monkeypatch.setattr(csv_injection, "_start_tests", lambda func, memo: walked.append(func.name) or real(func, memo))
    texts = [CSV_MODULE.replace("return x + 1", f"return x + {step}") for step in range(2, 4)]
    texts.append(texts[-1].replace("if text[:1] in PREFIXES else text", "if text else text"))  # no neutraliser left
    texts.append(texts[-2])
    texts.append(texts[-1].replace('writer.writerow([e.merchant, e.note])', 'writer.writerow([e.merchant, e.notes])'))  # inside export
    incremental: list[str] = []
    for text in texts:
        del walked[:]
        got = analyzer.analyze(Document(path, text, parses=analyzer.parses), ctx).findings
        incremental += walked
        assert got == analyze(Document(path, text), ctx)
    assert [f.line for f in analyze(Document(path, texts[2]), ctx)] == []
    assert incremental == ["other", "other", "_cell", "_cell", "export"]  # the edited function only


def _csrf_module(decorated: int) -> str:
    """A Flask blueprint whose write routes behind a login carry the project's CSRF decorator, but the last."""
    head = (
        "from flask import Blueprint, request\n"
        "from flask_login import login_required\n\n"
        "bp = Blueprint('bp', __name__)\n\n\n"
        "def csrf_protect(view):\n"
        "    return view\n"
    )
    routes = "".join(
        f"\n\n@bp.route('/w{k}', methods=['POST'])\n@login_required\n{'@csrf_protect' if k < decorated else '# no check   '}\n"
        f"def write_{k}():\n    return request.form['v{k}']\n"
        for k in range(5))
    return head + routes


def test_csrf_siblings_are_the_whole_file_in_the_editor() -> None:
    """SEC032 counts the CSRF decorators of a route's siblings and whether the application protects
    CSRF as a whole: facts of the whole file, also in the editor's view (which held only the edited
    route, so the finding went away while its route was edited), and an edit that changes one is
    analysed whole (the siblings' findings change with it).  Each statement's whole-application check
    is memoised with it."""
    ctx = AnalysisContext.bare(select=["SEC032"])
    path = "/project/app/views.py"
    base = _csrf_module(4)
    assert [f.line for f in analyze(Document(path, base), ctx)] == [42]
    edits = [
        base.replace("request.form['v4']", "request.form['v44']"),  # inside the route reported
        base.replace("request.form['v0']", "request.form['v00']"),  # inside a decorated sibling
        base.replace("@csrf_protect\ndef write_1", "# no check   \ndef write_1"),  # 3 of 4 left: both reported
        base.replace("@csrf_protect\ndef write_1", "# no check   \ndef write_1").replace(
            "@csrf_protect\ndef write_2", "# no check   \ndef write_2"),  # 2 of 4: none
        base.replace("def csrf_protect(view):\n    return view", "def csrf_protect(view):\n    CSRFProtect(view)"),
    ]
    for i, edited in enumerate(edits):
        assert edited != base and edited.count("\n") == base.count("\n")
        analyzer = IncrementalAnalyzer()
        analyzer.analyze(Document(path, base, parses=analyzer.parses), ctx)
        got = analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx)
        assert got.reused == (i < 2)  # a decorator or a whole-application check changed: analysed whole
        assert got.findings == analyze(Document(path, edited), ctx)
    assert [f.line for f in analyze(Document(path, edits[2]), ctx)] == [21, 42]
    assert analyze(Document(path, edits[3]), ctx) == [] == analyze(Document(path, edits[4]), ctx)


PYRAMID_HELPERS = '''\
from pyramid.view import view_config
import db
import security


def _api_owner(request):
    ident = security.require_any_token(request)
    return ident.owner_id


def _pet_by_id(request, pet_id):
    return request.db.execute("SELECT * FROM pets WHERE id = %s", (pet_id,)).fetchone()


@view_config(route_name="pet", request_method="GET", renderer="json", permission="api")
def pet(request):
    return request.db.execute("SELECT * FROM pets WHERE id = %s AND owner_id = %s", (int(request.matchdict["pet_id"]), _api_owner(request))).fetchone()


@view_config(route_name="pet", request_method="DELETE", renderer="json", permission="api")
def delete_pet(request):
    request.db.execute("DELETE FROM pets WHERE id = %s AND owner_id = %s", (int(request.matchdict["pet_id"]), _api_owner(request)))
    return {"ok": True}


@view_config(route_name="pet_card", request_method="GET", renderer="json", permission="api")
def card(request):
    return _pet_by_id(request, int(request.matchdict["pet_id"]))
'''


def test_an_edit_of_the_modules_helpers_is_seen_by_the_routes_that_call_them() -> None:
    """The module's helper for the principal (`_api_owner`) and its unscoped one-row helper
    (`_pet_by_id`) decide the routes' findings: an edit of either is analysed as the whole file is."""
    ctx = AnalysisContext.bare(select=["SEC036"])
    path = "/project/app/views_api.py"
    analyzer = IncrementalAnalyzer()
    first = analyzer.analyze(Document(path, PYRAMID_HELPERS, parses=analyzer.parses), ctx).findings
    assert [f.line for f in first] == [28]
    for edited in (PYRAMID_HELPERS.replace("return ident.owner_id", "return 7"),
                   PYRAMID_HELPERS.replace('WHERE id = %s", (pet_id,)', 'WHERE id = %s AND owner_id = %s", (pet_id, _api_owner(request))')):
        assert edited != PYRAMID_HELPERS
        got = analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx).findings
        assert got == analyze(Document(path, edited), ctx) == []
        back = analyzer.analyze(Document(path, PYRAMID_HELPERS, parses=analyzer.parses), ctx).findings
        assert [f.line for f in back] == [28]
