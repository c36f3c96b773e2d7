"""Unit tests of the language server's pure parts: position encodings, diagnostics and code
actions, settings shapes, and the scheduler's debounce / cancellation / stale-version guard."""

from __future__ import annotations

import ast
import asyncio
import platform
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from lsp_support import apply_lsp_edits
from vetpy.findings import Finding, Fix, Severity, TextEdit, apply_edits
from vetpy.lsp import convert
from vetpy.lsp.convert import DocumentState, Lines
from vetpy.lsp.scheduler import Outcome, Scheduler, Snapshot
from vetpy.lsp.settings import Settings, engine_mapping, parse_bundle, parse_settings

U8, U16, U32 = "utf-8", "utf-16", "utf-32"


# -- positions ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("encoding", "expected"),
    [(U8, 9), (U16, 6), (U32, 5)],  # 'a', '😀' (4/2/1 units), 'é' (2/1/1), 'b', ' ' precede 'c'
)
def test_columns_count_code_units_of_the_negotiated_encoding(encoding: str, expected: int) -> None:
    lines = Lines("x\na😀éb c\n")
    pos = lines.to_client(2, 6, encoding)  # 1-based code-point column 6 is 'c'
    assert (pos.line, pos.character) == (1, expected)
    assert lines.from_client(types.Position(line=1, character=expected), encoding) == (2, 6)


def test_positions_inside_a_surrogate_pair_round_up_and_clamp() -> None:
    lines = Lines("😀x\r\nshort")
    assert lines.from_client(types.Position(line=0, character=1), U16) == (1, 2)  # half of the emoji
    assert lines.from_client(types.Position(line=0, character=2), U8) == (1, 2)  # inside the UTF-8 sequence
    assert lines.from_client(types.Position(line=1, character=99), U16) == (2, 6)  # past the line end
    assert lines.from_client(types.Position(line=9, character=0), U16) == (2, 6)  # past the last line
    assert lines.to_client(9, 1, U16) == types.Position(line=1, character=5)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab é😀\n\r\t𝔘中"), max_size=40), st.sampled_from([U8, U16, U32]))
def test_round_trip_on_every_character_boundary(text: str, encoding: str) -> None:
    lines = Lines(text)
    for line in range(1, lines.count + 1):
        line_text = lines.text(line - 1)
        for column in range(1, len(line_text) + 2):
            pos = lines.to_client(line, column, encoding)
            assert pos.character == convert.units(line_text[: column - 1], encoding)
            assert lines.from_client(pos, encoding) == (line, column)


# -- diagnostics and code actions -------------------------------------------------------------

def finding(line: int, col: int, end: int, code: str = "HAL002", fixes: tuple[Fix, ...] = (), severity=Severity.ERROR) -> Finding:
    return Finding("x.py", line, col, line, end, code, "unknown-import-name", severity, "message", fixes)


def test_finding_at_a_helpers_sink_names_the_views_call_as_related_information(tmp_path) -> None:
    """vetpy.rules.sec.callers_into reports at the helper's sink and records the call that brings
    the request input (``extra["caller"]``): the editor shows it as related information; a finding
    without one has none."""
    views = tmp_path / "views.py"
    sink = Finding("db.py", 3, 5, 3, 20, "SEC016", "server-side-request-forgery", Severity.ERROR, "m",
                   extra={"caller": (str(views), 12)})
    [diag] = convert.to_diagnostics([sink], "a\nb\nc = fetch_avatar(url)\n", U16, 1)
    [related] = diag.related_information
    assert related.location.uri == views.resolve().as_uri() and related.location.range.start.line == 11
    [plain] = convert.to_diagnostics([finding(1, 1, 2)], "import x\n", U16, 1)
    assert plain.related_information is None


def test_diagnostic_carries_code_link_and_fixes_in_client_units() -> None:
    text = 's = "😀"; from json import loads_fast\n'
    col = text.index("loads_fast") + 1
    fixes = (
        Fix("Replace with `load`", (TextEdit(1, col, 1, col + 10, "load"),)),
        Fix("Replace with `loads`", (TextEdit(1, col, 1, col + 10, "loads"),), preferred=True),
    )
    [diag] = convert.to_diagnostics([finding(1, col, col + 10, fixes=fixes)], text, U16, 7)
    assert diag.source == "vetpy" and diag.code == "HAL002"
    assert diag.severity == types.DiagnosticSeverity.Error
    assert diag.code_description.href.endswith("#hal002-unknown-import-name")
    assert (diag.range.start.character, diag.range.end.character) == (col, col + 10)  # +1 UTF-16 unit, 0-based
    assert diag.data["version"] == 7
    assert [f["title"] for f in diag.data["fixes"]] == ["Replace with `loads`", "Replace with `load`"]

    state = DocumentState("file:///x.py", 7, text, U16)
    actions = convert.quick_fixes(state, [diag])
    assert [a.title for a in actions] == ["Replace with `loads`", "Replace with `load`", "Disable vetpy HAL002 for this line"]
    assert [a.is_preferred for a in actions[:2]] == [True, False]
    stale = convert.quick_fixes(DocumentState("file:///x.py", 8, text, U16), [diag])
    assert [a.title for a in stale] == ["Disable vetpy HAL002 for this line"]  # fixes of an old version: never
    foreign = types.Diagnostic(range=diag.range, message="m", source="pyright", code="HAL002")
    assert convert.quick_fixes(state, [foreign]) == []


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("import x\n", 1, "import x  # vetpy: ignore[HAL001]\n"),
        ("import x   \n", 1, "import x  # vetpy: ignore[HAL001]\n"),
        ("import x  # vetpy: ignore[DEP001]\n", 1, "import x  # vetpy: ignore[DEP001, HAL001]\n"),
        ("import x  # noqa: E501\n", 1, "import x  # noqa: E501  # vetpy: ignore[HAL001]\n"),
        ('s = "#" ; import x\n', 1, 's = "#" ; import x  # vetpy: ignore[HAL001]\n'),
        ("import x\r\ny = 1\r\n", 1, "import x  # vetpy: ignore[HAL001]\r\ny = 1\r\n"),
    ],
)
def test_suppression_edit_adds_or_extends_the_comment(text: str, line: int, expected: str) -> None:
    edit = convert.suppression_edit(text, line, "HAL001")
    assert edit is not None
    assert apply_edits(text, [edit]) == expected
    ast.parse(expected)


def test_suppression_edit_refuses_lines_inside_strings_and_repeats() -> None:
    text = 'x = """\nimport y\n"""\n'
    assert convert.suppression_edit(text, 2, "HAL001") is None
    assert convert.suppression_edit("import x  # vetpy: ignore[HAL001]\n", 1, "HAL001") is None


def test_disable_falls_back_to_the_last_line_of_a_multiline_finding() -> None:
    text = 'call(\n    """a\nb""")\n'
    diag = types.Diagnostic(
        range=types.Range(start=types.Position(line=1, character=4), end=types.Position(line=2, character=4)),
        message="m", source="vetpy", code="SEC001",
    )
    action = convert.disable_action(DocumentState("u", 1, text, U16), Lines(text), diag)
    assert action is not None
    new = apply_lsp_edits(text, list(action.edit.changes["u"]), U16)
    assert new == 'call(\n    """a\nb""")  # vetpy: ignore[SEC001]\n'


def test_fix_all_takes_safe_non_overlapping_fixes_that_parse() -> None:
    text = "a = old(1)\nb = old(2)\n"
    safe1 = Fix("f", (TextEdit(1, 5, 1, 8, "new"),), safe=True)
    clash = Fix("g", (TextEdit(1, 5, 1, 11, "x"),), safe=True)
    unsafe = Fix("u", (TextEdit(2, 1, 2, 2, "c"),), safe=False)
    breaks = Fix("b", (TextEdit(2, 5, 2, 8, "new("),), safe=True)
    findings = [finding(1, 5, 8, fixes=(safe1,)), finding(1, 5, 11, fixes=(clash,)), finding(2, 1, 2, fixes=(unsafe,))]
    edits = convert.fix_all_edits(text, findings)
    assert apply_edits(text, edits) == "a = new(1)\nb = old(2)\n"
    assert convert.fix_all_edits(text, [finding(2, 5, 8, fixes=(breaks,))]) == []  # would not parse
    action = convert.fix_all_action(DocumentState("u", 1, text, U16), findings)
    assert action is not None and action.kind == "source.fixAll.vetpy"


@pytest.mark.parametrize(
    ("kind", "only", "expected"),
    [
        ("quickfix", None, True),
        ("quickfix", ["quickfix"], True),
        ("quickfix", ["source"], False),
        ("source.fixAll.vetpy", ["source"], True),
        ("source.fixAll.vetpy", ["source.fixAll"], True),
        ("source.fixAll.vetpy", ["source.fix"], False),
        ("source.fixAll.vetpy", ["quickfix", "source.fixAll.vetpy"], True),
    ],
)
def test_context_only_is_prefix_matched(kind: str, only: list[str] | None, expected: bool) -> None:
    assert convert.kind_requested(kind, only) is expected


# -- settings ---------------------------------------------------------------------------------

def test_vscode_shape_with_per_folder_entries_and_global_defaults() -> None:
    bundle = parse_bundle(
        {
            "settings": [
                {"workspace": "file:///a/", "interpreter": ["/a/.venv/bin/python", "-X"], "select": ["HAL"], "cwd": "/a"},
                {"workspace": "file:///b", "debounceMs": 0},
            ],
            "globalSettings": {"logLevel": "debug", "debounceMs": 100, "showNotifications": "off"},
        },
        "init",
    )
    assert bundle.problems == []
    a = bundle.for_folder("file:///a")
    assert a.interpreter == "/a/.venv/bin/python" and a.debounce_ms == 100 and a.log_level == "debug"
    assert engine_mapping(a) == {"select": ["HAL"]}
    assert bundle.for_folder("file:///b").debounce_ms == 0
    assert bundle.for_folder("file:///elsewhere") == bundle.global_settings


def test_the_vscode_client_and_the_server_default_to_the_same_debounce() -> None:
    """VS Code sends ``vetpy.debounceMs`` always (its package.json default when the user set
    nothing); other clients get the server's default: both must be the same delay."""
    import json
    import re
    from pathlib import Path

    from vetpy.lsp.server import VetpyServer
    from vetpy.lsp.settings import DEFAULT_DEBOUNCE_MS

    client = Path(__file__).resolve().parents[1] / "vscode-client"
    package = json.loads((client / "package.json").read_text(encoding="utf-8"))
    assert package["contributes"]["configuration"]["properties"]["vetpy.debounceMs"]["default"] == DEFAULT_DEBOUNCE_MS
    source = (client / "src" / "settings.ts").read_text(encoding="utf-8")
    assert re.findall(r"export const DEFAULT_DEBOUNCE_MS = (\d+);", source) == [str(DEFAULT_DEBOUNCE_MS)]
    payload = json.loads((client / "test" / "fixtures" / "restricted-mode-initialization-options.json").read_text())
    assert payload["globalSettings"]["debounceMs"] == DEFAULT_DEBOUNCE_MS
    session = VetpyServer().session  # what the server waits when no setting says otherwise
    try:
        assert session.debounce_for("file:///nowhere/x.py") == DEFAULT_DEBOUNCE_MS / 1000
    finally:
        session.stop_work()


def test_neovim_shape_and_flat_configuration_answers() -> None:
    bundle = parse_bundle({"settings": {"interpreter": "/v/bin/python", "ignore": "HAL002, DEP", "logLevel": "WARN"}}, "init")
    s = bundle.for_folder("file:///any")
    assert (s.interpreter, s.log_level) == ("/v/bin/python", "warning")
    assert engine_mapping(s) == {"ignore": ["HAL002", "DEP"]}
    problems: list[str] = []
    flat = parse_settings({"debounceMs": 50, "severity": {"HAL001": "warning"}, "per-file-ignores": {"t/*": ["SEC"]}}, "cfg", problems)
    assert problems == [] and flat.debounce_ms == 50
    assert engine_mapping(flat) == {"severity": {"HAL001": "warning"}, "per-file-ignores": {"t/*": ["SEC"]}}
    assert Settings(debounce_ms=5).over(flat).debounce_ms == 5


@pytest.mark.parametrize(
    "raw",
    [
        "nope",
        {"settings": 3},
        {"settings": [None, 1]},
        {"settings": {"interpreter": 5, "debounceMs": -1, "logLevel": "loud", "select": [1], "showNotifications": True}},
        {"settings": {"debounceMs": True, "introspection": "yes", "networkTimeout": 0}},
    ],
)
def test_malformed_settings_are_reported_never_raised(raw: object) -> None:
    bundle = parse_bundle(raw, "init")
    assert bundle.problems
    assert bundle.global_settings.interpreter is None and bundle.global_settings.debounce_ms is None


# -- scheduler --------------------------------------------------------------------------------

class FakeEditor:
    """A document store plus a slow analyser that records what it saw."""

    def __init__(self, delay: float = 0.0) -> None:
        self.docs: dict[str, tuple[int, str]] = {}
        self.delay = delay
        self.analysed: list[int] = []
        self.cancelled_runs = 0
        self.delivered: list[Outcome[str]] = []
        self.lock = threading.Lock()

    def snapshot(self, uri: str) -> Snapshot | None:
        if uri not in self.docs:
            return None
        version, text = self.docs[uri]
        return Snapshot(uri, version, text)

    def analyze(self, snap: Snapshot, cancelled) -> str:  # noqa: ANN001
        with self.lock:
            self.analysed.append(snap.version or 0)
        deadline = time.monotonic() + self.delay
        while time.monotonic() < deadline:
            if cancelled():
                with self.lock:
                    self.cancelled_runs += 1
                return "cancelled"
            time.sleep(0.005)
        return snap.text.upper()

    def scheduler(self) -> Scheduler[str]:
        return Scheduler(self.snapshot, self.analyze, self.delivered.append)


async def test_debounce_turns_a_burst_into_one_run() -> None:
    ed = FakeEditor()
    sched = ed.scheduler()
    for v in range(1, 11):
        ed.docs["u"] = (v, f"text {v}")
        sched.schedule("u", 0.05)
    await asyncio.sleep(0.3)
    assert ed.analysed == [10]
    assert [(o.snapshot.version, o.value) for o in ed.delivered] == [(10, "TEXT 10")]
    sched.shutdown()


async def test_newer_edit_cancels_the_running_analysis_and_stale_results_are_dropped() -> None:
    ed = FakeEditor(delay=0.3)
    sched = ed.scheduler()
    ed.docs["u"] = (1, "one")
    sched.schedule("u", 0)
    await asyncio.sleep(0.05)  # version 1 is being analysed now
    ed.docs["u"] = (2, "two")
    sched.schedule("u", 0)
    await asyncio.sleep(0.6)
    assert ed.analysed == [1, 2] and ed.cancelled_runs == 1
    assert [o.snapshot.version for o in ed.delivered] == [2]
    sched.shutdown()


async def test_result_for_a_version_that_moved_on_is_not_delivered() -> None:
    ed = FakeEditor(delay=0.2)
    sched = ed.scheduler()
    ed.docs["u"] = (1, "one")
    sched.schedule("u", 0)
    await asyncio.sleep(0.05)
    ed.docs["u"] = (2, "two")  # the edit arrived but its run has not been scheduled yet
    await asyncio.sleep(0.3)
    assert ed.delivered == [] and sched.dropped == 1
    assert await asyncio.wait_for(sched.current("u"), 60) is not None  # a pull analyses version 2 now
    assert [o.snapshot.version for o in ed.delivered] == [2]
    sched.shutdown()


async def test_close_forgets_and_current_of_closed_document_is_none() -> None:
    ed = FakeEditor(delay=0.2)
    sched = ed.scheduler()
    ed.docs["u"] = (1, "one")
    sched.schedule("u", 0)
    await asyncio.sleep(0.05)
    del ed.docs["u"]
    sched.forget("u")
    await asyncio.sleep(0.3)
    assert ed.delivered == [] and sched.latest("u") is None
    assert await sched.current("u") is None
    sched.shutdown()


async def test_analysis_runs_off_the_event_loop() -> None:
    ed = FakeEditor(delay=0.3)
    sched = ed.scheduler()
    ed.docs["u"] = (1, "one")
    sched.schedule("u", 0)
    ticks = 0
    while not ed.delivered:  # an analysis on the loop would be delivered before the first tick
        await asyncio.sleep(0.01)
        ticks += 1
        assert ticks < 60_000, "no delivery: hung"
    assert ticks >= 2  # the loop kept turning while the 0.3 s analysis ran
    assert [o.snapshot.version for o in ed.delivered] == [1]
    sched.shutdown()


async def test_an_analyser_bug_is_logged_and_releases_pull_waiters(caplog: pytest.LogCaptureFixture) -> None:
    def broken(snap: Snapshot, cancelled) -> str:  # noqa: ANN001
        raise ValueError("analyser bug")

    docs = {"u": Snapshot("u", 1, "text")}
    sched: Scheduler[str] = Scheduler(docs.get, broken, lambda outcome: None)
    with pytest.raises(ValueError, match="analyser bug"):
        await asyncio.wait_for(sched.current("u"), 60)
    assert "analysing u version 1 failed" in caplog.text
    sched.shutdown()


def test_a_file_outside_every_folder_belongs_to_its_marked_project(tmp_path):
    from vetpy.lsp.projects import Projects

    (tmp_path / "proj" / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "proj" / "setup.py").write_text("")
    (tmp_path / "loose").mkdir()
    projects = Projects()
    projects.set_folder("file:///elsewhere", tmp_path / "elsewhere")
    assert projects.root_of(tmp_path / "proj" / "pkg" / "sub" / "a.py") == (None, (tmp_path / "proj").resolve())
    assert projects.root_of(tmp_path / "loose" / "b.py") == (None, (tmp_path / "loose").resolve())


async def test_a_quiet_whole_check_is_published_only_when_it_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A result from reused findings schedules a whole analysis of the same version after
    ``verify_delay``; that analysis is published only if its diagnostics differ."""
    from vetpy.lsp.recheck import deliver, due
    from vetpy.lsp.server import Analysis, VetpyServer

    server = VetpyServer()
    session = server.session
    published: list[types.PublishDiagnosticsParams] = []
    scheduled: list[tuple[str, float]] = []
    monkeypatch.setattr(server, "text_document_publish_diagnostics", published.append)
    monkeypatch.setattr(session.scheduler, "schedule", lambda uri, delay: scheduled.append((uri, delay)))
    versions = {"file:///tmp/x.py": 3}
    monkeypatch.setattr(session, "snapshot", lambda uri: Snapshot(uri, versions[uri], "x\n"))
    uri = "file:///tmp/x.py"
    where = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=1))
    found = [types.Diagnostic(range=where, message="m", code="HAL003")]
    deliver(session, Outcome(Snapshot(uri, 3, "x\n"), Analysis([], found, 0, reused=True)))
    assert due(session, uri, 3) and not due(session, uri, 2)
    await asyncio.sleep(0)
    assert scheduled == [(uri, session.verify_delay)] and [p.version for p in published] == [3]
    deliver(session, Outcome(Snapshot(uri, 3, "x\n"), Analysis([], list(found), 0, recheck=True)))
    assert [p.version for p in published] == [3]  # the same diagnostics: not sent again
    assert not due(session, uri, 3)
    versions[uri] = 4
    deliver(session, Outcome(Snapshot(uri, 4, "y\n"), Analysis([], found, 0, reused=True)))
    deliver(session, Outcome(Snapshot(uri, 4, "y\n"), Analysis([], [], 0, recheck=True)))
    assert [(p.version, len(p.diagnostics)) for p in published] == [(3, 1), (4, 1), (4, 0)]
    versions[uri] = 5  # an edit came in before the whole check was scheduled: not scheduled
    await asyncio.sleep(0)
    assert scheduled == [(uri, session.verify_delay)]
    session.forget_document(uri)
    assert uri not in session.documents and not due(session, uri, 4)


async def test_memory_is_given_back_off_the_event_loop_at_most_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """After an analysis, at most once per RELEASE_INTERVAL, a worker thread collects garbage and
    trims the C heap (the soak's slow RSS creep was freed-but-kept heap pages)."""
    from vetpy.lsp import scheduler as scheduler_module

    threads: list[str] = []
    monkeypatch.setattr(scheduler_module, "release_memory", lambda: threads.append(threading.current_thread().name))
    monkeypatch.setattr(scheduler_module, "RELEASE_INTERVAL", 0.3)
    ed = FakeEditor()
    sched = ed.scheduler()
    sched._gc_settled = True  # the first analysis's gc.freeze() is not under test here
    for version in range(1, 4):  # three analyses within the interval: nothing released
        ed.docs["u"] = (version, f"text {version}")
        await asyncio.wait_for(sched.current("u"), 60)
    assert sched.releases == 0
    await asyncio.sleep(0.35)
    for version in range(4, 7):  # the interval has passed: one release, then none again
        ed.docs["u"] = (version, f"text {version}")
        await asyncio.wait_for(sched.current("u"), 60)
    await asyncio.sleep(0.1)
    assert sched.releases == 1
    assert len(threads) == 1 and threads[0].startswith("vetpy-analysis")
    sched.shutdown()


async def test_young_generations_are_collected_after_each_delivery_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each delivered result (not the first, which freezes the heap, nor one that releases memory)
    is followed by a collection of the young generations in a worker thread, after the delivery:
    the next analysis does not pay for the garbage of this one."""
    from vetpy.lsp import scheduler as scheduler_module

    events: list[tuple[str, object]] = []
    monkeypatch.setattr(scheduler_module, "collect_young", lambda: events.append(("collect", threading.current_thread().name)))
    ed = FakeEditor()
    sched = Scheduler(ed.snapshot, ed.analyze, lambda outcome: events.append(("deliver", outcome.snapshot.version)))
    sched._gc_settled = True
    for version in range(1, 4):
        ed.docs["u"] = (version, f"text {version}")
        await asyncio.wait_for(sched.current("u"), 60)
        await asyncio.sleep(0.05)
    assert sched.young_collections == 3 and sched.releases == 0
    assert [kind for kind, _ in events] == ["deliver", "collect"] * 3
    assert all(str(where).startswith("vetpy-analysis") for kind, where in events if kind == "collect")
    sched.shutdown()


def test_collect_young_collects_the_young_generations_only() -> None:
    import gc

    from vetpy.lsp.scheduler import collect_young

    before = gc.get_stats()
    collect_young()
    after = gc.get_stats()
    assert after[1]["collections"] == before[1]["collections"] + 1
    assert after[2]["collections"] == before[2]["collections"]


def test_release_memory_trims_the_heap_where_glibc_offers_it() -> None:
    from vetpy.lsp.scheduler import _malloc_trim, release_memory

    if sys.platform == "linux" and platform.libc_ver()[0] == "glibc":
        assert _malloc_trim() is not None
    release_memory()  # and it never raises
