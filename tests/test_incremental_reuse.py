"""Per-definition reuse of findings across edits (vetpy.incremental) must give exactly the
findings of a whole analysis.

Specification (from the module's documentation): after an edit that changes only top-level
definitions, the changed definitions and every statement that mentions a name they bind are
analysed again (transitively); other statements keep their previous findings.  Edits of module
code, edits whose effects reach module code, line-count changes, dynamic modules and changed
settings are analysed whole."""

from __future__ import annotations

import dataclasses
import itertools
import re
import sys
from pathlib import Path

import pytest
from conftest import context_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetpy.libraries import WEB_FRAMEWORKS
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.incremental import _DYNAMIC, IncrementalAnalyzer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from incremental_bench import edit_lines  # noqa: E402  (the benchmark edits the same lines)

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

REPO = Path(__file__).resolve().parent.parent
CORPUS = sorted(
    [
        *(REPO / "fixtures" / "edge").glob("*.py"),
        *(REPO / "fixtures" / "security").glob("*.py"),
        REPO / "fixtures" / "hallucinations" / "corpus.py",
        *(REPO / "fixtures" / "demo" / "app").glob("*.py"),
        REPO / "server" / "vetpy" / "incremental.py",
        REPO / "server" / "vetpy" / "lsp" / "scheduler.py",
    ]
)
_names = itertools.count()


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> AnalysisContext:
    root = tmp_path_factory.mktemp("reuse")
    (root / "pyproject.toml").write_text("[project]\nname = 'reuse'\nversion = '0'\ndependencies = ['requests']\n")
    return context_for(root)


def _key(findings: list) -> list[tuple]:
    return [(f.line, f.column, f.end_line, f.end_column, f.code, f.message, f.fixes) for f in findings]


def _whole(path: str, text: str, ctx: AnalysisContext) -> list:
    """A whole analysis of ``text`` under ``path``, parsed from scratch (without the incremental
    analyser's memory of ``path``, which it leaves as it was)."""
    return analyze(Document(path, text), ctx)


class Session:
    """One document edited step by step, checked against a whole analysis after each step."""

    def __init__(self, ctx: AnalysisContext, text: str, directory: Path | None = None, name: str = "edited_{}.py") -> None:
        self.ctx = ctx
        self.path = str((directory or ctx.root) / name.format(next(_names)))
        self.analyzer = IncrementalAnalyzer()
        self.lines = text.split("\n")
        self.step()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def step(self):
        outcome = self.analyzer.analyze(Document(self.path, self.text, parses=self.analyzer.parses), self.ctx)
        assert _key(outcome.findings) == _key(_whole(self.path, self.text, self.ctx)), (outcome, self.text)
        return outcome

    def replace(self, line: int, text: str):
        """Replace 1-based ``line`` and analyse."""
        self.lines[line - 1] = text
        return self.step()


def _codes(outcome) -> list[str]:
    return [f.code for f in outcome.findings]


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


MODULE = '''\
import json
import subprocess

import requests

TIMEOUT = 10


def fetch(url):
    response = requests.get(url, timeout=TIMEOUT)
    return response.json()


def load(raw):
    return json.loads(raw)


def run(cmd):
    subprocess.run(cmd, shell=False)


def first(items):
    return items[0] if items else None
'''


def test_an_edit_inside_one_function_analyses_only_that_function_and_its_context(ctx: AnalysisContext) -> None:
    session = Session(ctx, MODULE)
    line = _line_of(MODULE, "return json.loads(raw)")
    outcome = session.replace(line, "    return json.loadz(raw)")
    assert outcome.reused
    # module code (3 imports and TIMEOUT) and `load`; not `fetch`, `run` or `first`
    assert outcome.analysed == 5
    assert "HAL003" in _codes(outcome)
    outcome = session.replace(line, "    return json.loads(raw)")
    assert outcome.reused and "HAL003" not in _codes(outcome)


def test_findings_of_untouched_functions_are_kept(ctx: AnalysisContext) -> None:
    session = Session(ctx, MODULE)
    outcome = session.replace(_line_of(MODULE, "shell=False"), "    subprocess.run(cmd, shell=False, env=eval(cmd))")
    codes = [f.code for f in outcome.findings]
    assert any(code.startswith("SEC") for code in codes), codes
    outcome = session.replace(_line_of(MODULE, "return json.loads(raw)"), "    return json.loads(raw or '{}')")
    assert outcome.reused
    assert [f.code for f in outcome.findings] == codes  # `run`'s finding was kept, not recomputed


def test_a_caller_is_analysed_again_when_the_function_it_calls_changes(ctx: AnalysisContext) -> None:
    text = '''\
import os


def setting(name):
    return os.environ.get(name, "")


def home():
    return setting("HOME").strip()
'''
    session = Session(ctx, text)
    assert session.step().findings == []
    # `setting` may now return None: the call in `home` (a statement the edit did not touch)
    # changes its findings; the caller must be in the re-analysed set.
    outcome = session.replace(_line_of(text, "os.environ.get"), "    return os.environ.get(name)")
    assert outcome.reused
    assert outcome.analysed == 3  # import, setting, home


TESTS = """\
import pytest


@pytest.fixture
def client():
    return object()


def look_at(value):
    return value


def test_uses_fixture(client):
    result = client.get("/")


def test_uses_helper():
    total = compute()
    look_at("done")
"""


def test_test_rules_follow_fixtures_and_helpers_across_edits(ctx: AnalysisContext) -> None:
    # a fixture reaches its tests by parameter name, a helper by a call: an edit of either must
    # change what TEST001 says of the tests that use them, as a whole analysis does
    session = Session(ctx, TESTS, name="test_suite_{}.py")

    def lines(outcome) -> list[int]:
        return [f.line for f in outcome.findings if f.code == "TEST001"]

    fixture_test, helper_test = _line_of(TESTS, "def test_uses_fixture"), _line_of(TESTS, "def test_uses_helper")
    assert lines(session.step()) == [fixture_test, helper_test]
    assert lines(session.replace(_line_of(session.text, "return object()"), "    yield object(); assert True")) == [helper_test]
    assert lines(session.replace(_line_of(session.text, "return value"), "    assert value")) == []
    assert lines(session.replace(_line_of(session.text, "assert True"), "    return object()")) == [fixture_test]


def test_module_code_that_reads_a_changed_function_means_a_whole_analysis(ctx: AnalysisContext) -> None:
    text = "import json\n\n\ndef make():\n    return {}\n\n\nDEFAULT = make()\n\n\ndef use():\n    return DEFAULT.get('x')\n"
    session = Session(ctx, text)
    outcome = session.replace(_line_of(text, "return {}"), "    return None")
    assert not outcome.reused


def test_an_edit_of_module_code_means_a_whole_analysis(ctx: AnalysisContext) -> None:
    session = Session(ctx, MODULE)
    outcome = session.replace(_line_of(MODULE, "TIMEOUT = 10"), "TIMEOUT = None")
    assert not outcome.reused


def test_a_change_in_the_number_of_lines_means_a_whole_analysis(ctx: AnalysisContext) -> None:
    session = Session(ctx, MODULE)
    line = _line_of(MODULE, "return json.loads(raw)")
    session.lines.insert(line, "    pass")
    outcome = session.step()
    assert not outcome.reused


@pytest.mark.parametrize(
    "marker", ["sys.path.insert(0, 'lib')", "globals()['x'] = 1", "def __getattr__(name): ...", "sys.modules[__name__] = None"]
)
def test_a_module_that_changes_its_names_dynamically_is_analysed_whole(ctx: AnalysisContext, marker: str) -> None:
    text = MODULE + "\n\n" + marker + "\n"
    session = Session(ctx, text)
    outcome = session.replace(_line_of(text, "return json.loads(raw)"), "    return json.loadz(raw)")
    assert not outcome.reused
    assert "HAL003" in [f.code for f in outcome.findings] or marker.startswith("def __getattr__")


def test_other_settings_mean_a_whole_analysis(ctx: AnalysisContext, tmp_path: Path) -> None:
    analyzer = IncrementalAnalyzer()
    path = str(tmp_path / "m.py")
    analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), ctx)
    other = context_for(tmp_path)
    edited = MODULE.replace("json.loads(raw)", "json.loadz(raw)")
    outcome = analyzer.analyze(Document(path, edited, parses=analyzer.parses), other)
    assert not outcome.reused
    assert analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), other).reused  # same context again: reuse


def test_forced_whole_analysis_and_forget(ctx: AnalysisContext, tmp_path: Path) -> None:
    analyzer = IncrementalAnalyzer()
    path = str(tmp_path / "m.py")
    analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), ctx)
    edited = MODULE.replace("json.loads(raw)", "json.loadz(raw)")
    assert not analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx, full=True).reused
    analyzer.forget(path)
    assert not analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), ctx).reused


def test_after_a_cancelled_or_failed_analysis_the_next_version_builds_on_the_last_complete_one(
    ctx: AnalysisContext, tmp_path: Path
) -> None:
    """In the language server a keystroke cancels the analysis of the version before it; the next
    version is planned against the last complete analysis, not analysed whole (while keystrokes
    come faster than a whole analysis takes, every one of them would be).  Its findings equal a
    whole analysis's.  A forced whole analysis that is cancelled leaves nothing to build on."""
    analyzer = IncrementalAnalyzer()
    path = str(tmp_path / "m.py")
    analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), ctx)
    stopped = dataclasses.replace(ctx, cancelled=lambda: True)
    first = MODULE.replace("json.loads(raw)", "json.loadz(raw)")
    analyzer.analyze(Document(path, first, parses=analyzer.parses), stopped)
    second = first.replace("requests.get(url, timeout=TIMEOUT)", "requests.get(url)")
    outcome = analyzer.analyze(Document(path, second, parses=analyzer.parses), ctx)
    assert outcome.reused
    assert _key(outcome.findings) == _key(_whole(path, second, ctx))
    assert {"HAL003", "EDGE003"} <= set(_codes(outcome))  # both edits' findings: load was analysed again too
    analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), stopped, full=True)
    assert not analyzer.analyze(Document(path, first, parses=analyzer.parses), ctx).reused


def test_questions_left_unasked_pass_to_every_version_built_on_them_until_a_whole_analysis(
    ctx: AnalysisContext, tmp_path: Path
) -> None:
    """The language server defers introspection questions while the worker imports a package, and
    builds the next versions on that result all the same; what it left unasked must follow every
    version whose findings reuse it (so the one current when the import ends is analysed whole),
    and only a whole analysis clears it."""
    analyzer = IncrementalAnalyzer()
    path = str(tmp_path / "m.py")
    assert analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), ctx).pending == frozenset()
    analyzer.keep_pending(path, frozenset({"pandas"}))
    edited = MODULE.replace("json.loads(raw)", "json.loadz(raw)")
    outcome = analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx)
    assert outcome.reused and outcome.pending == frozenset({"pandas"})
    again = analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), ctx)
    assert again.reused and again.pending == frozenset({"pandas"})
    whole = analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx, full=True)
    assert not whole.reused and whole.pending == frozenset()
    after = analyzer.analyze(Document(path, MODULE, parses=analyzer.parses), ctx)
    assert after.reused and after.pending == frozenset()


def test_a_syntax_error_and_its_repair(ctx: AnalysisContext) -> None:
    session = Session(ctx, MODULE)
    line = _line_of(MODULE, "return json.loads(raw)")
    broken = session.replace(line, "    return json.loads(raw")
    assert [f.code for f in broken.findings] == ["SYN001"]
    repaired = session.replace(line, "    return json.loadz(raw)")
    # built on the version before the error (equal to a whole analysis: Session.step compares)
    assert repaired.reused and repaired.analysed == 5
    assert "HAL003" in _codes(repaired)
    module_code = session.replace(_line_of(MODULE, "TIMEOUT = 10"), "TIMEOUT = (")
    assert [f.code for f in module_code.findings] == ["SYN001"]
    assert not session.replace(_line_of(MODULE, "TIMEOUT = 10"), "TIMEOUT = 11").reused  # module code changed


def test_an_edit_inside_a_class_reanalyses_the_class_and_its_users(ctx: AnalysisContext) -> None:
    text = '''\
import json


class Store:
    def __init__(self):
        self.data = {}

    def get(self, key):
        return self.data.get(key, "")


def use(store: Store):
    return store.get("k").upper()


def unrelated(raw):
    return json.loads(raw)
'''
    session = Session(ctx, text)
    outcome = session.replace(_line_of(text, 'self.data.get(key, "")'), "        return self.data.get(key)")
    assert outcome.reused
    assert outcome.analysed == 3  # import, Store, use


# -- every definition of every corpus file, and random edit sequences ---------------------------
def _function_lines(text: str) -> list[int]:
    """1-based lines inside top-level definitions that hold a one-line simple statement."""
    try:
        return edit_lines(text, every=1)
    except SyntaxError:
        return []


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_neutralising_each_statement_of_each_definition_equals_a_whole_analysis(ctx: AnalysisContext, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    session = Session(ctx, text, directory=path.parent if "demo" in path.parts else None)
    reused = 0
    for line in _function_lines(text)[::3]:
        original = session.lines[line - 1]
        indent = original[: len(original) - len(original.lstrip())]
        reused += session.replace(line, f"{indent}pass").reused
        session.replace(line, original)
    # reuse happens unless the file names `sys.path` ... (this module's own source does) or
    # imports a web framework inside a function (aiohttp in tls_vulnerable.py)
    local_web_import = re.search(rf"^\s+(?:import|from)\s+(?:{'|'.join(WEB_FRAMEWORKS)})\b", text, re.M)
    assert reused or not _function_lines(text) or _DYNAMIC.search(text) or local_web_import


EDITABLE = [p for p in CORPUS if _function_lines(p.read_text(encoding="utf-8"))]
SNIPPETS = [
    "pass",
    "x = None",
    "return None",
    "value = data.get('key')",
    "return value.strip()",
    "data = json.loads(payload)",
    "json.dumpz(payload)",
    "response = requests.get(url, verify=False)",
    "response = requests.get(url)",
    'cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")',
    "subprocess.run(cmd, shell=True)",
    "token = random.choice(letters)",
    "total = price * 1.1",
    "items = list(query.all())",
    "global CACHE",
    "self.client = None",
    "return items[0]",
    "password = 'hunter2hunter2'",
    "os.system(command)",
    "yaml.load(stream)",
    "eval(expression)",
]


@st.composite
def edit_sequences(draw):
    path = draw(st.sampled_from(EDITABLE))
    text = path.read_text(encoding="utf-8")
    lines = _function_lines(text)
    all_lines = text.split("\n")
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        line = draw(st.sampled_from(lines))
        original = all_lines[line - 1]
        indent = original[: len(original) - len(original.lstrip())]
        kind = draw(st.sampled_from(["snippet", "other-line", "rename"]))
        if kind == "snippet":
            new = indent + draw(st.sampled_from(SNIPPETS))
        elif kind == "other-line":
            new = indent + all_lines[draw(st.sampled_from(lines)) - 1].strip()
        else:
            words = sorted(set(re.findall(r"[A-Za-z_]\w*", text)))
            target = re.findall(r"[A-Za-z_]\w*", original)
            new = original
            if target:
                new = original.replace(draw(st.sampled_from(target)), draw(st.sampled_from(words)), 1)
        steps.append((line, new))
    return path, text, steps


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=edit_sequences())
def test_random_edit_sequences_equal_whole_analyses(ctx: AnalysisContext, case) -> None:
    path, text, steps = case
    session = Session(ctx, text, directory=path.parent if "demo" in path.parts else None)
    for line, new in steps:
        session.replace(line, new)


def test_the_language_server_benchmark_file_reuses(ctx: AnalysisContext) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from lsp_latency import edit_for, make_file
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    lines = make_file()
    session = Session(ctx, "\n".join(lines) + "\n")
    for step in range(5):
        line, new = edit_for(step, lines)
        lines[line] = new
        outcome = session.replace(line + 1, new)
        assert outcome.reused and outcome.analysed < outcome.statements // 10


def test_an_import_inside_another_function_counts_as_the_modules(ctx: AnalysisContext) -> None:
    """Found by the random edits: the security checks read one import map for the whole file,
    so `crypt` imported inside `legacy` names the module in `store` too; `legacy` must be in
    the view when `store` reads `crypt`."""
    text = '''\
import hashlib


def store(password):
    return hashlib.sha256(password.encode()).hexdigest()


def legacy(password):
    import crypt

    return crypt.crypt(password, crypt.METHOD_SHA512)
'''
    session = Session(ctx, text)
    outcome = session.replace(_line_of(text, "hashlib.sha256"), "    return crypt.crypt(password, crypt.METHOD_MD5)")
    assert outcome.reused and "SEC009" in _codes(outcome)


def test_a_probed_attribute_name_in_another_function_is_read_by_the_edited_one(ctx: AnalysisContext) -> None:
    """The attribute checks stay silent about `.name` anywhere in a file that probes it
    (`hasattr(x, "name")`, `getattr`, `setattr`): the probing function belongs in the view."""
    text = '''\
import json


def dump(value):
    return json.dumps(value)


def probe(module):
    return hasattr(module, "dumpz")
'''
    session = Session(ctx, text)
    outcome = session.replace(_line_of(text, "json.dumps(value)"), "    return json.dumpz(value)")
    assert outcome.reused and "HAL003" not in _codes(outcome)
    outcome = session.replace(_line_of(text, 'hasattr(module, "dumpz")'), '    return hasattr(module, "other")')
    assert outcome.reused and "HAL003" in _codes(outcome)  # `dump` is affected by the probe going away


def test_a_subclass_elsewhere_in_the_file_is_in_the_view_of_its_base(ctx: AnalysisContext) -> None:
    """The attribute checks are lenient on a class that the file subclasses (self may be an
    instance of the subclass); the subclass must be in the view whenever its base is."""
    text = '''\
import json


class Parser(json.JSONDecoder):
    def run(self):
        return 1


def use():
    return Parser().run()


class Fancy(Parser):
    def extra(self):
        return 2
'''
    session = Session(ctx, text)
    child = _line_of(text, "class Fancy(Parser):")
    assert "HAL003" not in _codes(session.replace(_line_of(text, "return Parser().run()"), "    return Parser().nothing()"))
    assert "HAL003" in _codes(session.replace(child, "class Fancy:"))
    assert "HAL003" not in _codes(session.replace(child, "class Fancy(Parser):"))


def test_whole_file_facts_of_the_edge_checks_come_from_every_statement(ctx: AnalysisContext) -> None:
    """`len` taken as a parameter anywhere in the file is not the builtin in any function (the
    EDGE checks' whole-file `shadowed` names): an edit of another function must still see it."""
    text = '''\
def average(items):
    return sum(items) / len(items)


def other(len):
    return len
'''
    session = Session(ctx, text)
    assert "EDGE010" not in _codes(session.step())
    outcome = session.replace(_line_of(text, "return sum(items)"), "    return sum(items) / len(items) + 0")
    assert outcome.reused and "EDGE010" not in _codes(outcome)
    outcome = session.replace(_line_of(text, "def other(len):"), "def other(size):")
    assert "EDGE010" in _codes(outcome)


def test_a_name_a_fix_would_import_is_a_whole_file_fact(ctx: AnalysisContext) -> None:
    """EDGE016's fix adds `from datetime import timezone` only when no statement of the file uses
    the name `timezone` (declared with `vetpy.rules.edge.fixes.fix_import`): an edit of another
    function that starts or stops using the name must change the fix of an untouched one."""
    text = '''\
from datetime import datetime


def stamp():
    return datetime.utcnow()


def other(zone):
    return zone
'''
    import dataclasses

    ctx = dataclasses.replace(ctx, config=ctx.config.merged(select=["EDGE016"]))  # opt-in since #16
    session = Session(ctx, text)

    def import_added(outcome) -> bool:
        (finding,) = [f for f in outcome.findings if f.code == "EDGE016"]
        return any("import timezone" in edit.new_text for fix in finding.fixes for edit in fix.edits)

    assert import_added(session.step())
    outcome = session.replace(_line_of(text, "def other(zone):"), "def other(timezone):")
    assert not import_added(outcome)
    outcome = session.replace(_line_of(text, "def other(zone):"), "def other(zone):")
    assert import_added(outcome)


# -- checkers that skip reporting on statements whose findings are kept (Document.reports) -------

REPORTED = '''\
import json
import os.pathz
from json import loadz


ANSWER = json.dumpz(42)


def parse(raw):
    return json.loads(raw)


def keep(raw):
    return json.dumps(raw)
'''


def test_a_view_reports_only_on_the_statements_whose_findings_are_kept() -> None:
    text = "import os\n\n\ndef f():\n    return os.sep\n\n\ndef g():\n    return 1\n"
    doc = Document("x.py", text)
    tree = doc.tree
    assert tree is not None
    imp, f, g = tree.body
    assert all(doc.reports(node) for node in (imp, f, g))  # a whole document reports everywhere
    view = doc.view([imp, f], [(4, 5)])
    assert view.reports(f) and view.reports(f.body[0]) and view.reports(f.args)  # `arguments` has no line: kept
    assert not view.reports(imp) and not view.reports(imp.names[0]) and not view.reports(g)
    assert doc.view([imp, f]).reports(imp)  # no spans given: everything


def test_import_and_attribute_findings_of_kept_statements_survive_edits_elsewhere(ctx: AnalysisContext) -> None:
    """HAL001/HAL002 (imports) and HAL003 (attributes, calls) skip the module code of a view, whose
    findings are kept from the previous analysis: they must still be there, and a look-alike
    edit inside the view must still report (or stop reporting) where it is."""
    session = Session(ctx, REPORTED)
    whole = _codes(session.step())
    assert {"HAL001", "HAL002", "HAL003"} <= set(whole), whole
    line = _line_of(REPORTED, "return json.loads(raw)")
    outcome = session.replace(line, "    return json.loads(raw or '{}')")
    assert outcome.reused and _codes(outcome) == whole  # module code's findings kept, nothing new
    outcome = session.replace(line, "    return json.loadss(raw or '{}')")  # a look-alike: now missing
    assert outcome.reused and _codes(outcome).count("HAL003") == whole.count("HAL003") + 1
    outcome = session.replace(line, "    import os.pathz")  # an unresolvable import inside the view
    assert outcome.reused and _codes(outcome).count("HAL001") == whole.count("HAL001") + 1
    outcome = session.replace(line, "    from json import loadz")  # a missing name inside the view
    assert outcome.reused and _codes(outcome).count("HAL002") == whole.count("HAL002") + 1
    outcome = session.replace(line, "    return json.loads(raw)")
    assert outcome.reused and _codes(outcome) == whole


def test_submodule_imports_are_kept_per_statement_and_follow_an_edit(ctx: AnalysisContext) -> None:
    """HAL003 leaves `json.nosuch` to the import's finding when the file imports `json.nosuch`
    anywhere; which modules each top-level statement imports is kept across versions for the
    statements an edit did not touch, and computed again for the edited one."""
    text = "import json\n\n\ndef f():\n    return json.nosuch\n\n\ndef g():\n    pass\n"
    session = Session(ctx, text)
    assert [(f.code, f.line) for f in _whole(session.path, text, ctx)] == [("HAL003", 5)]
    line = _line_of(text, "    pass")
    outcome = session.replace(line, "    import json.nosuch")
    assert outcome.reused and _codes(outcome) == ["HAL001"]
    outcome = session.replace(line, "    import json.decoder")  # a look-alike: another submodule
    assert outcome.reused and _codes(outcome) == ["HAL003"]
    outcome = session.replace(line, "    import json.nosuch")
    assert outcome.reused and _codes(outcome) == ["HAL001"]
    outcome = session.replace(line, "    pass")
    assert outcome.reused and _codes(outcome) == ["HAL003"]
    outcome = session.replace(1, "import json.nosuch")  # the import line itself: analysed whole
    assert not outcome.reused and "HAL003" not in _codes(outcome)


def test_stub_answers_are_kept_per_call_shape(ctx: AnalysisContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """EDGE009's reading of a stub (does this call of `Element.findtext` return None?) is kept on
    the stub index across versions, by the call's shape: an edit that passes a default must
    change the finding, and the kept answers must equal those read afresh."""
    import dataclasses

    from vetpy import reads

    ctx = dataclasses.replace(ctx, config=ctx.config.merged(select=["EDGE009", "HAL"]))
    assert ctx.stubs is not None
    text = 'import xml.etree.ElementTree as ET\n\n\ndef f(t):\n    return ET.fromstring(t).findtext("a").strip()\n\n\ndef g():\n    pass\n'
    line = _line_of(text, "findtext")
    shapes = {
        'findtext("a")': True,
        'findtext("a", "")': False,  # a default, positional
        'findtext("a", default="")': False,
        'findtext("a", namespaces={})': True,  # as many arguments as with default=: still None
        'findtext(path="a")': True,
        'findtext("a")  ': True,
    }
    analyzer = IncrementalAnalyzer()
    path = str(ctx.root / f"edited_{next(_names)}.py")
    for call, flagged in [*shapes.items(), *reversed(shapes.items())]:
        text = text.split("\n")
        text[line - 1] = f"    return ET.fromstring(t).{call}.strip()"
        text = "\n".join(text)
        kept = analyzer.analyze(Document(path, text, parses=analyzer.parses), ctx).findings  # answers kept
        with monkeypatch.context() as m:
            m.setattr(reads, "active", lambda: True)  # while reads are recorded, nothing kept is used
            fresh = _whole(path, text, ctx)
        ctx.stubs.derived.clear()
        cleared = _whole(path, text, ctx)
        assert _key(kept) == _key(fresh) == _key(cleared), call
        assert (_codes_of(kept) == ["EDGE009"]) is flagged, (call, kept)
    assert any(key[0] == "edge.stub-optional" for key in ctx.stubs.derived)


def _codes_of(findings: list) -> list[str]:
    return [f.code for f in findings]


def test_edge_flow_walks_only_the_scopes_whose_findings_are_taken(ctx: AnalysisContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """EDGE009-012 walk each scope on its own; in a view, a scope whose statements' findings all
    come from the previous version (a context definition) is not walked, and its findings stay
    those of a whole analysis."""
    from vetpy.rules.edge import none_empty

    walked: list[str] = []
    original = none_empty.ScopeFacts

    def spy(mod, scope, *args):
        walked.append(getattr(scope, "name", "<module>"))
        return original(mod, scope, *args)

    monkeypatch.setattr(none_empty, "ScopeFacts", spy)
    text = 'import os\n\nNAMES = os.listdir(".")\nSHARE = 1 / len(NAMES)\n\n\ndef mean(values):\n    return sum(values) / len(values)\n\n\ndef g(values):\n    return mean(values)\n'
    session = Session(ctx, text)
    line = _line_of(text, "return mean(values)")
    for body, lines in [
        ("    return sum(values) / len(values)", [4, 8, 12]),
        ("    return sum(values) / (len(values) or 1)", [4, 8]),  # a look-alike: guarded
        ("    return mean(values)", [4, 8]),
    ]:
        walked.clear()
        outcome = session.replace(line, body)
        assert outcome.reused
        assert [f.line for f in outcome.findings if f.code == "EDGE010"] == lines
        # the incremental analysis walked the module (it holds `def g`, whose defaults and
        # decorators run there) and `g`, not `mean` (in the view, as g calls it, but not reported);
        # then Session's whole analysis walked every scope
        assert walked == ["<module>", "g", "<module>", "mean", "g"], walked


def _fresh_index(tree) -> tuple[list, dict]:
    import ast

    nodes = list(ast.walk(tree))
    return nodes, {child: node for node in nodes for child in ast.iter_child_nodes(node)}


def _table_key(table) -> tuple:
    return ({name: [(s.kind, id(s.node), id(s.value), s.unpacked, tuple(map(id, s.blocks)), s.index) for s in sites]
             for name, sites in table.sites.items()},
            list(table.sites), [id(c) for c in table.conditions], table.stored_through)


VIEWED = '''\
import json
import os as system

if system.sep:
    (a, b), c = 1, 2, 3

TABLE = {}


class Store:
    path = "x"

    def load(self):
        return json.loads(self.path)


def handler(raw):
    data = json.loads(raw)
    while data:
        data = data[1:]
    return data


def other():
    return TABLE
'''


def test_a_views_nodes_parents_and_module_table_from_kept_parts_equal_fresh_ones() -> None:
    """A view's node list (``ast.walk`` order), parent map and module scope table are put
    together from its statements' parts, kept in the memo while a statement is unchanged: after
    edits (one that renames what a kept statement reads, one of an import), each must equal the
    one computed afresh on the view's tree; a changed statement's part is never an old one."""
    from vetpy.document import Parses
    from vetpy.scopes import scope_index, scope_table

    parses = Parses()
    lines = VIEWED.split("\n")
    edits = [
        (None, None),
        (_line_of(VIEWED, "data = json.loads(raw)"), "    data = system.path.join(raw)"),
        (_line_of(VIEWED, "def handler"), "def renamed(raw, json=None):"),
        (_line_of(VIEWED, "return TABLE"), "    global TABLE; TABLE = [x for x in raw]"),
        (_line_of(VIEWED, "import os as system"), "import os.path as system"),
        (_line_of(VIEWED, "data = data[1:]"), "        (data, _), rest = data, 0"),
    ]
    for line, text in edits:
        if line is not None:
            lines[line - 1] = text
        doc = Document("viewed.py", "\n".join(lines), parses=parses)
        tree = doc.tree
        assert tree is not None
        body = [s for s in tree.body if not (hasattr(s, "name") and s.name == "Store")]  # a view leaves some out
        for view in (doc.view(body), doc.view(list(tree.body), [(1, 3)])):
            nodes, parents = _fresh_index(view.tree)
            assert view.nodes == nodes
            assert view.parents == parents
            assert _table_key(scope_index(view).table(view.tree)) == _table_key(scope_table(view.tree))
        # the parts of the edited statement are its own: no node of an earlier version in them
        assert all(node in doc.nodes for node in doc.view(list(tree.body)).nodes[1:])


REDEFINED = '''\
import json


def helper(raw):
    return json.loads(raw)


def handler(raw):
    value = helper(raw)
    return value.strip()


def other():
    return 1
'''


def test_an_unchanged_call_follows_an_edit_of_the_definition_or_the_import_it_uses(ctx: AnalysisContext) -> None:
    """The caller ``handler`` is not edited; what its calls resolve to changes with the
    definition of ``helper`` and with the module's import: each step equals a whole analysis
    (``Session.step``), and a look-alike that changes nothing keeps the findings."""
    session = Session(ctx, REDEFINED)
    helper = _line_of(REDEFINED, "return json.loads(raw)")
    first = _codes(session.step())
    session.replace(helper, "    return json.loadz(raw)")  # the callee now calls a missing function
    session.replace(helper, "    return None")  # what `value` holds changes
    session.replace(helper, "    return json.loads(raw)")
    assert _codes(session.step()) == first
    session.replace(1, "import json as simplejson")  # the import the callee reads: analysed whole
    session.replace(1, "import pickle as json")
    session.replace(1, "import json")
    assert _codes(session.step()) == first


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 30)), max_size=8), st.integers(1, 32))
def test_reports_finds_a_line_in_any_of_the_spans(spans: list[tuple[int, int]], line: int) -> None:
    """``Document.reports`` looks the line up by bisection in the spans joined: the same answer
    as asking each span (overlapping, adjacent, unsorted and empty spans included)."""
    import ast

    view = Document("x.py", "x = 1\n").view([], spans)
    assert view.reports(ast.Pass(lineno=line, col_offset=0)) == any(low <= line <= high for low, high in spans)
