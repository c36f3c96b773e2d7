"""The result cache keeps the answers to the project-wide questions read from the project's files
alone (``vetpy.first_party.FROM_FILES_ALONE``: which statements import a module, under which
tests, what the project assigns...) by the state of the project's files, and asks them again
only once a file of the project changed (issue #17: a warm run of the 350k scale input asked
``import_conditions`` 298 times, 0.2 s of its 0.65 s of CPU).

Specification:
- a warm run with nothing changed asks none of those questions again (counted, not timed);
- a file created, edited or deleted anywhere in the project asks them again, and the findings are
  those of an uncached check (a new view passing request input to a helper's query reports it at
  the helper, which the kept answer "nothing imports it" would hide);
- questions that read more than the listed files (``required_by_packages``, ``loaded_by_name``)
  are asked again on every run, as before.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import write
from test_result_cache import check, shown
from test_security_cross_module import DB, VIEWS_HEAD, one_view
from vetpy import resultcache
from vetpy.first_party import FROM_FILES_ALONE


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("VETPY_CACHE_DIR", str(path))
    return path


@pytest.fixture
def asked(monkeypatch):
    """(service, method) -> how often the result cache asked it again (not from what it kept)."""
    counts: Counter = Counter()
    real = resultcache.ResultCache._ask

    def counting(self, service, method, args, kwargs):
        counts[service, method] += 1
        return real(self, service, method, args, kwargs)

    monkeypatch.setattr(resultcache.ResultCache, "_ask", counting)
    return counts


def _views(call: str) -> str:
    return VIEWS_HEAD.replace("from app import clients, db, tasks, uploads\nfrom app.clients import fetch",
                              "from app import db") + one_view(call)


def _project(root):
    return write(root, {
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/helpers.py": "def total(rows):\n    return sum(r.amount for r in rows)\n",
        "app/views.py": _views('rows = db.search(request.args["q"], request.args["sort"])'),
    })


def _from_files(counts: Counter) -> dict:
    return {k: n for k, n in counts.items() if k[0] == "first_party" and k[1] in FROM_FILES_ALONE}


def test_a_warm_run_with_nothing_changed_asks_no_question_of_the_project_files_again(tmp_path, asked, monkeypatch):
    root = _project(tmp_path / "p")
    cold = check(root)
    assert any(s[0] == "db.py" and s[3] == "SEC001" for s in shown(cold))  # found through the view, another file
    answered: Counter = Counter()
    real = resultcache.ResultCache._answer

    def counting(self, service, method, args, kwargs):
        answered[service, method] += 1
        return real(self, service, method, args, kwargs)

    monkeypatch.setattr(resultcache.ResultCache, "_answer", counting)
    warm = check(root)
    assert shown(warm) == shown(cold) == shown(check(root, use_cache=False))
    assert answered["first_party", "web_importers"] >= 2  # the kept results did depend on it
    assert _from_files(asked) == {}  # ... and it was answered from the kept answers, not asked again


def test_a_new_importer_is_seen_by_the_kept_results(tmp_path, asked):
    """db.py is imported by nothing: its functions' callers cannot report there.  A new view
    passing request input to its query makes it report, cached as uncached."""
    root = write(tmp_path / "p", {"app/__init__.py": "", "app/db.py": DB})
    assert [s for s in shown(check(root)) if s[3] == "SEC001"] == []
    check(root)
    write(root, {"app/views.py": _views('rows = db.search(request.args["q"], request.args["sort"])')})
    asked.clear()
    found = check(root)
    assert asked["first_party", "web_importers"] >= 1  # a file of the project changed: asked again
    assert [(s[0], s[3]) for s in shown(found) if s[3] == "SEC001"] == [("db.py", "SEC001")]
    assert shown(found) == shown(check(root, use_cache=False))
    (root / "app" / "views.py").unlink()  # and gone again
    assert shown(check(root)) == shown(check(root, use_cache=False))
    assert [s for s in shown(check(root)) if s[3] == "SEC001"] == []


def test_an_edit_anywhere_asks_again_and_an_unchanged_answer_keeps_the_results(tmp_path, asked):
    root = _project(tmp_path / "p")
    check(root)
    helpers = root / "app" / "helpers.py"
    helpers.write_text(helpers.read_text() + "\n# edited\n")
    asked.clear()
    found = check(root)
    assert _from_files(asked)  # the state of the files changed: asked again
    assert shown(found) == shown(check(root, use_cache=False))
    asked.clear()
    assert shown(check(root)) == shown(found)
    assert _from_files(asked) == {}  # kept again for the files as they are now


def test_the_kept_answers_are_those_the_questions_give(tmp_path, cache_dir):
    """Every answer kept for the project's files is the digest of asking the question now."""
    from vetpy.first_party import FirstPartyFacts
    from vetpy.reads import safe_digest

    root = _project(tmp_path / "p")
    check(root)
    [cache] = list(cache_dir.glob("results/*.json"))
    project = json.loads(cache.read_text())["project"]
    facts = FirstPartyFacts(root)
    assert project["state"] == facts.files_state() and len(project["answers"]) >= 3
    for memo, answer in project["answers"].items():
        service, method, args, kwargs = json.loads(memo)
        assert service == "first_party" and method in FROM_FILES_ALONE
        value = getattr(facts, method)(*resultcache._tuples(args), **{k: resultcache._tuples(v) for k, v in kwargs})
        assert safe_digest(value) == answer, memo
