"""callers_into asks only the importers that may be web modules (FirstPartyFacts.web_importers).

Specification (issue #17: the cross-module SQL work probed every function of every imported
module of the 350k scale input, about 1,500 probes, though only ~25 of its 524 files name a web
framework):
- a module whose importers name no web framework is not probed (its functions' sinks are never
  summarised) and reports nothing from its callers; the same module imported by a view reports;
- every importer whose data-flow model is a web one is among the web importers (one that imports a
  framework); one in a package named like a framework importing only relatively (``from .db
  import search`` in ``flask/``, no framework named in its text) is taken as one too;
- a non-web importer that becomes a view passing request input re-checks the helper, cached as
  uncached (the recorded question changes its answer).
"""

from __future__ import annotations

import pytest

from conftest import write
from test_result_cache import check, shown
from test_security_cross_module import DB, VIEWS_HEAD, one_view
from vetpy.document import Document
from vetpy.first_party import FirstPartyFacts
from vetpy.rules.sec import sink_summaries
from vetpy.semantic.model import semantic

CLI = "import sys\n\nfrom app import db\n\n\ndef main():\n    print(db.search(sys.argv[1], sys.argv[2]))\n"
VIEW = VIEWS_HEAD.replace("from app import clients, db, tasks, uploads\nfrom app.clients import fetch", "from app import db") \
    + one_view('rows = db.search(request.args["q"], request.args["sort"])')


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("VETPY_CACHE_DIR", str(path))
    return path


@pytest.fixture
def probes(monkeypatch):
    """The functions may_reach probed, by name."""
    seen: list[str] = []
    real = sink_summaries.may_reach

    def counting(mod, func, walk, codes):
        seen.append(func.name)
        return real(mod, func, walk, codes)

    monkeypatch.setattr("vetpy.rules.sec.callers_into.may_reach", counting)
    monkeypatch.setattr("vetpy.cli.pool.available", lambda: False)  # analysed here, where it is counted
    return seen


def test_a_module_imported_by_no_web_module_is_not_probed(tmp_path, probes):
    root = write(tmp_path / "p", {"app/__init__.py": "", "app/db.py": DB, "app/cli.py": CLI})
    found = shown(check(root, use_cache=False))
    assert [s for s in found if s[0] == "db.py" and s[3] == "SEC001"] == []
    assert "search" not in probes
    assert FirstPartyFacts(root).web_importers("app.db") == ()
    assert FirstPartyFacts(root).import_conditions("app.db")  # imported all the same


def test_the_same_module_imported_by_a_view_is_probed_and_reports(tmp_path, probes):
    root = write(tmp_path / "p", {"app/__init__.py": "", "app/db.py": DB, "app/cli.py": CLI, "app/views.py": VIEW})
    found = shown(check(root, use_cache=False))
    assert [(s[0], s[3]) for s in found if s[3] == "SEC001"] == [("db.py", "SEC001")]
    assert "search" in probes
    assert FirstPartyFacts(root).web_importers("app.db") == ("app.views",)


def test_every_importer_with_a_web_model_is_a_web_importer(tmp_path):
    root = write(tmp_path / "p", {
        "app/__init__.py": "", "app/db.py": DB, "app/cli.py": CLI, "app/views.py": VIEW,
        "app/api.py": "import fastapi.routing as r\nfrom . import db\n",
        "app/doc.py": '"""Not a flask app."""\nfrom . import db\n',  # names one, imports none: may be (never missed)
        "flask/__init__.py": "", "flask/db.py": DB,
        "flask/views.py": "from .db import search\n\n\ndef view(q):\n    return search(q, q)\n",
    })
    facts = FirstPartyFacts(root)
    web = {m: facts.web_importers(m) for m in ("app.db", "flask.db")}
    assert web == {"app.db": ("app.api", "app.doc", "app.views"), "flask.db": ("flask.views",)}
    models = {}
    for module, path in (("app.cli", "app/cli.py"), ("app.views", "app/views.py"), ("app.api", "app/api.py"),
                         ("app.doc", "app/doc.py"), ("flask.views", "flask/views.py")):
        doc = Document(str(root / path), (root / path).read_text(), module)
        models[module] = semantic(doc).flow.web
    # (the relative import in flask/ is taken as web by web_importers whatever the model says)
    assert {m: w for m, w in models.items() if m != "flask.views"} == {
        "app.cli": False, "app.views": True, "app.api": True, "app.doc": False}
    assert all(module in web["app.db"] + web["flask.db"] for module, is_web in models.items() if is_web)


def test_an_importer_that_becomes_a_view_rechecks_the_helper(tmp_path):
    root = write(tmp_path / "p", {"app/__init__.py": "", "app/db.py": DB, "app/cli.py": CLI})
    check(root)
    assert [s for s in shown(check(root)) if s[3] == "SEC001"] == []
    (root / "app" / "cli.py").write_text(VIEW)
    found = shown(check(root))
    assert [(s[0], s[3]) for s in found if s[3] == "SEC001"] == [("db.py", "SEC001")]
    assert found == shown(check(root, use_cache=False))
    (root / "app" / "cli.py").write_text(CLI)
    assert [s for s in shown(check(root)) if s[3] == "SEC001"] == [] == [
        s for s in shown(check(root, use_cache=False)) if s[3] == "SEC001"]
