"""One parse per file and process in a whole-project check (issue 17): the tree of a file analysed
as a document is the tree of the same file read as an imported module's source, and the other way
round (:mod:`vetpy.trees`); never a tree of another file or of another text, and the findings are
those of a check that parses every time."""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import pytest

import vetpy
from vetpy import trees
from vetpy.cli.run import CheckOptions, run_check
from vetpy.document import Document
from vetpy.environment.modules import _parsed, parse_module_source

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(trees, "SHARING", True)  # as in `vetpy check` (a language server made in this process turns it off)
    trees.clear()
    _parsed.cache_clear()
    yield
    trees.clear()
    _parsed.cache_clear()


def _dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


def test_a_file_analysed_then_read_as_a_module_is_parsed_once(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("import os\n\ndef f(x):\n    return os.path.join(x, 'é')\n", encoding="utf-8")
    doc = Document(path=str(path), text=path.read_text(encoding="utf-8"))
    tree, _ = parse_module_source(path)
    assert tree is doc.tree
    assert _dump(tree) == _dump(ast.parse(path.read_bytes()))


def test_a_module_read_then_analysed_is_parsed_once(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("class A:\n    x = 1\n", encoding="utf-8")
    tree, _ = parse_module_source(path)
    # a relative spelling of the same file finds it too
    doc = Document(path=str(path), text=path.read_text(encoding="utf-8"))
    assert doc.tree is tree


def test_no_tree_of_another_file_or_another_text(tmp_path):
    text = "def f():\n    return 1\n"
    one, two = tmp_path / "one.py", tmp_path / "two.py"
    one.write_text(text, encoding="utf-8")
    two.write_text(text, encoding="utf-8")
    first = Document(path=str(one), text=text).tree
    assert Document(path=str(two), text=text).tree is not first  # alike, but another file
    changed = "def f():\n    return 2\n"
    again = Document(path=str(one), text=changed).tree
    assert again is not first and _dump(again) == _dump(ast.parse(changed))
    one.write_text(changed + "\n", encoding="utf-8")  # changed on disk since: parsed anew
    tree, _ = parse_module_source(one)
    assert tree is not again and _dump(tree) == _dump(ast.parse((changed + "\n").encode()))


def test_only_bytes_that_parse_as_their_utf8_text_are_compared_as_text():
    assert trees.source_text("x = 'é'\n".encode()) == "x = 'é'\n"
    assert trees.source_text(b"# -*- coding: utf-8 -*-\nx = 1\n") is not None
    latin = "# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")
    assert trees.source_text(latin) is None  # its text is not its UTF-8 decoding
    assert trees.source_text("# coding: latin-1\nx = 'Ã©'\n".encode()) is None  # decodes as UTF-8, parses as latin-1
    assert trees.source_text(b"\xef\xbb\xbfx = 1\n") is None  # a byte-order mark
    assert trees.source_text(b"x = '\xff'\n") is None


def test_kept_trees_equal_fresh_parses_of_real_sources():
    sources = sorted(Path(vetpy.__file__).parent.rglob("*.py"))[:60]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        kept = trees.parse_file(str(path), text)
        assert trees.parse_file(str(path), text) is kept or len(text) > trees.MAX_CHARS // 4
        assert _dump(kept) == _dump(ast.parse(path.read_bytes()))
    assert len(trees._KEPT) <= trees.MAX_TREES and trees._size <= trees.MAX_CHARS


def _findings(root: Path) -> list[dict]:
    result = run_check([str(root)], CheckOptions(use_cache=False, python="/usr/bin/python3"), jobs=2)
    return [json.loads(json.dumps(f.to_dict(), default=str)) for f in result.findings]


def _neighbours(tmp_path: Path) -> Path:
    """A project of 33 files, each importing its neighbour (read as a module's source)."""
    project = tmp_path / "proj"
    (project / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'proj'\nversion = '0'\n", encoding="utf-8")
    (project / "pkg" / "__init__.py").write_text("from pkg.core import *\nfrom pkg import helpers\n", encoding="utf-8")
    (project / "pkg" / "core.py").write_text(
        "import os\n__all__ = ['Thing']\n\nclass Thing:\n    size = 1\n\n    def grow(self):\n        return self.size + 1\n",
        encoding="utf-8")
    (project / "pkg" / "helpers.py").write_text(
        "from pkg.core import Thing\nfrom pkg import core\n\n\ndef use():\n    t = Thing()\n    core.Thing().shrink()\n"
        "    core.missing_name\n    return t.grow(), t.nope\n", encoding="utf-8")
    for n in range(30):  # enough files for the pool; each imports its neighbour, read as a module
        (project / "pkg" / f"m{n}.py").write_text(
            f"import os\nfrom pkg import helpers, core\nfrom pkg.core import Thing, absent{n}\n"
            f"from pkg.m{(n + 1) % 30} import f{(n + 1) % 30}, g{n}\n\n\n"
            f"def f{n}(x=None):\n    os.path.joinx(x)\n    import requests\n"
            f"    requests.get(x, verify=False)  # comment {n}\n    return x.strip()\n",
            encoding="utf-8")
    return project


def test_findings_with_shared_trees_are_those_of_parsing_every_time(monkeypatch, tmp_path):
    project = _neighbours(tmp_path)
    shared = _findings(project)
    monkeypatch.setattr(trees, "MAX_TREES", 0)  # nothing kept: every reader parses for itself
    monkeypatch.setattr(trees, "MAX_EXPECTED_CHARS", 0)  # not even the run's own files
    trees.clear()
    _parsed.cache_clear()
    assert len({f["code"] for f in shared}) >= 3 and _findings(project) == shared


def test_no_file_of_the_project_is_parsed_twice_in_a_run(monkeypatch, tmp_path):
    """One parse per file in a whole-project check: the reading of the import statements before
    the pool forks keeps the trees for the pool's processes, and a process keeps the trees of the
    run's files it read (``trees.expect``).  Before, the pool's processes parsed every file again,
    and a process parsed a file again for its analysis after reading it as a neighbour's import
    (or the other way round) once its tree had dropped out of the last few kept.  (The reading of
    what the project stores on foreign objects, beside, still parses the few files whose text
    asks for a closer look: none here.)"""
    project = _neighbours(tmp_path)
    log = tmp_path / "parses.log"
    real = ast.parse

    def counted(source, *args, **kwargs):
        data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        with open(log, "a", encoding="utf-8") as handle:  # a file: the pool's processes are forked
            handle.write(f"{os.getpid()} {hashlib.sha1(data).hexdigest()}\n")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counted)
    monkeypatch.setattr(trees, "MAX_TREES", 2)  # as on a large project: the last few hold few of its files
    result = run_check([str(project)], CheckOptions(use_cache=False, python="/usr/bin/python3"), jobs=2)
    assert result.findings and not result.errors
    own = {hashlib.sha1(path.read_bytes()).hexdigest() for path in project.rglob("*.py")}
    parsed = Counter(line.split()[1] for line in log.read_text(encoding="utf-8").splitlines())
    assert {digest: parsed[digest] for digest in own} == dict.fromkeys(own, 1)
    assert not trees._EXPECTED and not trees._HELD  # none kept past the run


def test_a_project_larger_than_the_budget_keeps_none_of_its_trees(monkeypatch, tmp_path):
    """Kept trees only pay where the whole project fits: on 350k lines the last 6 M characters
    kept saved no measurable CPU and cost about 100 MB, so a larger project keeps none."""
    project = _neighbours(tmp_path)
    size = sum(path.stat().st_size for path in project.rglob("*.py"))
    asked: list[tuple[str, ...]] = []
    real_expect = trees.expect
    monkeypatch.setattr(trees, "expect", lambda paths: (asked.append(tuple(paths)), real_expect(paths))[1])
    monkeypatch.setattr(trees, "MAX_EXPECTED_CHARS", size - 1)
    result = run_check([str(project)], CheckOptions(use_cache=False, python="/usr/bin/python3"), jobs=2)
    assert result.findings and not result.errors
    assert not any(asked) and not trees._HELD
    monkeypatch.setattr(trees, "MAX_EXPECTED_CHARS", size)
    assert run_check([str(project)], CheckOptions(use_cache=False, python="/usr/bin/python3"), jobs=2).findings == result.findings
    assert any(asked)  # the same project within the budget keeps its trees for the run


def test_the_run_s_own_trees_are_kept_within_their_budget(monkeypatch, tmp_path):
    monkeypatch.setattr(trees, "MAX_EXPECTED_CHARS", 400)
    files = [str(tmp_path / f"m{n}.py") for n in range(6)]
    texts = [f"x{n} = {'1 + ' * 20}1\n" for n in range(6)]  # 90 characters each
    trees.expect(files[:5])
    made = [trees.parse_file(path, text) for path, text in zip(files, texts)]
    assert trees._held_size <= 400 and len(trees._HELD) == 4  # the oldest of five dropped
    assert trees.parse_file(files[4], texts[4]) is made[4]
    assert trees.parse_file(files[0], texts[0]) is not made[0]
    assert files[5] not in "".join(trees._HELD) and trees.parse_file(files[5], texts[5]) is made[5]  # among the last few
    assert trees.parse_file(files[4], texts[4] + "y = 2\n") is not made[4]  # another text: parsed anew
    trees.expect(())
    assert not trees._HELD and trees._held_size == 0


# -- the comment of one line, from the innermost statement around it (vetpy.comment_spans) ------

_TRICKY = '''\
import os  # top

@decorator  # on the decorator
class Big(Base):  # header
    """doc # not a comment"""
    x = 1; y = 2  # shared line
    # between methods

    def method(self):  # def line
        s = ("a"  # inside brackets
             "b # not")
        if s: t = 1  # after a header
        try:
            pass  # in try
        except ValueError:  # except line
            u = """
# in a string
"""  # after the string
        else:
            v = 2 \\
                + 3  # continued
        match s:
            case "a":  # a case
                w = 1  # in a case
        return s  # last

    @property
    @other  # second decorator
    def prop(self):
        return 1  # end of class
z = 1  # after
'''


def _every_comment_line_as_the_whole_file(text: str) -> None:
    import random

    whole = Document(path="", text=text).tokenized_comments()
    lines = [n for n in range(1, text.count("\n") + 2) if "#" in Document(path="", text=text).line_text(n)]
    for order in (lines, lines[::-1], random.Random(17).sample(lines, len(lines))):
        comments = Document(path="", text=text).comments
        assert {n: comments.get(n) for n in order} == {n: whole.get(n) for n in order}


def test_one_lines_comment_is_the_whole_files_on_tricky_shapes():
    _every_comment_line_as_the_whole_file(_TRICKY)
    assert Document(path="", text=_TRICKY).comments.get(10) == "# inside brackets"


def test_a_comment_of_a_method_tokenizes_the_method_not_the_class():
    from vetpy.comment_spans import narrowest_span

    doc = Document(path="", text=_TRICKY)
    assert narrowest_span(doc.tree.body[1], 14, doc.line_text) == (14, 14)  # `pass  # in try`
    assert narrowest_span(doc.tree.body[1], 10, doc.line_text) == (10, 11)  # the bracketed assignment
    assert narrowest_span(doc.tree.body[1], 12, doc.line_text) == (12, 12)  # `if s: t = 1`: the if
    assert narrowest_span(doc.tree.body[1], 6, doc.line_text) is None  # shares its line: the class
    assert narrowest_span(doc.tree.body[1], 7, doc.line_text) is None  # between methods: the class
    assert narrowest_span(doc.tree.body[1], 28, doc.line_text) == (27, 30)  # decorated: from its first decorator
    assert narrowest_span(doc.tree.body[1], 24, doc.line_text) == (24, 24)  # in a case
    assert narrowest_span(doc.tree.body[1], 18, doc.line_text) == (16, 18)  # the string's assignment


def test_one_lines_comment_is_the_whole_files_on_real_sources():
    sources = sorted(Path(vetpy.__file__).parent.rglob("*.py"))
    sources += sorted((REPO / "benchmarks" / "corpus_hal" / "py312").glob("*.py"))[:40]
    for path in sources:
        _every_comment_line_as_the_whole_file(path.read_text(encoding="utf-8"))


def test_the_language_server_keeps_no_tree(tmp_path: Path) -> None:
    """Its documents are parsed with re-parse records, never through the shared trees: a module
    tree kept there would be shared with nothing and only held (and counted by
    tests/test_tree_memory.py as trees that outlive the edits)."""
    from vetpy.lsp.server import create_server

    path, text = str(tmp_path / "m.py"), "import os\n"
    assert trees.parse_file(path, text) is trees.parse_file(path, text)
    create_server(poll_interval=0)
    assert not trees._KEPT
    assert trees.parse_file(path, text) is not trees.parse_file(path, text)
