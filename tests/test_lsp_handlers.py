"""The language server's handlers in this process, without a subprocess.

Messages go in through the server's protocol (the path stdio takes after framing, so pygls'
document store applies didOpen/didChange/didClose first) or straight to a handler function with
the session; what the server sends comes back through an in-memory writer.  The analyses run for
real, in the session's own worker threads.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Iterator

import pytest
from lsprotocol import types

from lsp_support import wait_for
from vetpy.lsp import routes
from vetpy.lsp.handlers import code_actions, hover
from vetpy.lsp.server import VetpyServer, create_server
from vetpy.lsp.session import Session

BARE_EXCEPT = 'import json\n\ntry:\n    value = json.loads("1")\nexcept:\n    pass\n'
SETTINGS = {"debounceMs": 0, "introspection": False, "select": ["EDGE", "HAL", "DEP", "SEC", "TEST", "SYN001", "SYN002"]}  # EDGE001 is opt-in


class Wire:
    """The client's end of an in-memory connection: records what the server sends, sends it
    messages as a client would."""

    def __init__(self, server: VetpyServer) -> None:
        self.server = server
        self.received: list[dict[str, Any]] = []
        server.protocol.set_writer(self, include_headers=False)

    def write(self, data: bytes) -> None:
        self.received.append(json.loads(data))

    def send(self, method: str, params: dict[str, Any], ident: int | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if ident is not None:
            message["id"] = ident
        protocol = self.server.protocol
        protocol.handle_message(json.loads(json.dumps(message), object_hook=protocol.structure_message))

    def published(self, uri: str) -> list[dict[str, Any]]:
        return [
            m["params"] for m in self.received
            if m.get("method") == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS and m["params"]["uri"] == uri
        ]

    def answer(self, ident: int) -> dict[str, Any] | None:
        return next((m for m in self.received if m.get("id") == ident and "method" not in m), None)


def codes(params: dict[str, Any]) -> list[str]:
    return [d["code"] for d in params["diagnostics"]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "proj"\nversion = "0"\n')
    return root


@pytest.fixture
def vetpy_logger() -> Iterator[None]:
    """The handlers add the session's log handler to the ``vetpy`` logger and set its level."""
    logger = logging.getLogger("vetpy")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.fixture
def settings() -> dict[str, Any]:
    return SETTINGS


@pytest.fixture
async def wire(project: Path, settings: dict[str, Any], vetpy_logger: None) -> Any:
    server = create_server(poll_interval=0)
    wire = Wire(server)
    wire.send(types.INITIALIZE, {
        "processId": None, "rootUri": project.as_uri(), "capabilities": {},
        "initializationOptions": {"settings": settings},
    }, ident=1)
    await wait_for(lambda: wire.answer(1), what="the answer to initialize")
    wire.send(types.INITIALIZED, {})
    try:
        yield wire
    finally:
        server.session.stop_work()


def open_document(wire: Wire, uri: str, text: str) -> None:
    wire.send(types.TEXT_DOCUMENT_DID_OPEN, {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})


async def published_for(wire: Wire, uri: str, version: int) -> dict[str, Any]:
    """The last publication of ``version`` once the session has delivered its whole analysis (a
    cold start publishes the static findings first: vetpy.lsp.analysis.publish_static_first)."""

    def whole() -> dict[str, Any] | None:
        record = wire.server.session.documents.get(uri)
        if record is None or record.delivered is None or (record.delivered[0] or 0) < version:
            return None
        return next((p for p in reversed(wire.published(uri)) if p.get("version") == version), None)

    return await wait_for(whole, what=f"diagnostics of {uri} version {version}")


# -- routing ----------------------------------------------------------------------------------

def test_every_route_is_registered_and_pull_diagnostics_only_for_a_pulling_client() -> None:
    server = create_server(poll_interval=0)
    try:
        features = set(server.protocol.fm.features)
        assert features == {r.method for r in routes.ROUTES if not r.command}
        assert set(server.protocol.fm.commands) == {"vetpy.restart", "vetpy.showEnvironment"}
        assert types.TEXT_DOCUMENT_DIAGNOSTIC not in features
    finally:
        server.session.stop_work()


async def test_initialize_registers_pull_diagnostics_for_a_client_that_pulls(project: Path, vetpy_logger: None) -> None:
    server = create_server(poll_interval=0)
    wire = Wire(server)
    try:
        wire.send(types.INITIALIZE, {
            "processId": None, "rootUri": project.as_uri(),
            "capabilities": {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": True}}},
            "initializationOptions": {"settings": SETTINGS},
        }, ident=1)
        result = (await wait_for(lambda: wire.answer(1), what="the answer to initialize"))["result"]
        assert server.session.pull
        assert result["capabilities"]["diagnosticProvider"]["identifier"] == "vetpy"
        assert types.TEXT_DOCUMENT_DIAGNOSTIC in server.protocol.fm.features
    finally:
        server.session.stop_work()


# -- documents --------------------------------------------------------------------------------

async def test_did_open_publishes_the_documents_diagnostics(wire: Wire, project: Path) -> None:
    uri = (project / "app.py").as_uri()
    open_document(wire, uri, BARE_EXCEPT)
    published = await published_for(wire, uri, 1)
    assert codes(published) == ["EDGE001"]
    assert published["diagnostics"][0]["range"]["start"] == {"line": 4, "character": 0}
    record = wire.server.session.documents[uri]  # the session keeps what it delivered, by URI
    assert record.delivered is not None and record.delivered[0] == 1


async def test_did_change_applies_the_edits_and_analyses_the_new_version(wire: Wire, project: Path) -> None:
    uri = (project / "app.py").as_uri()
    open_document(wire, uri, BARE_EXCEPT)
    await published_for(wire, uri, 1)
    wire.send(types.TEXT_DOCUMENT_DID_CHANGE, {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{
            "range": {"start": {"line": 4, "character": 6}, "end": {"line": 4, "character": 6}},
            "text": " ValueError",
        }],
    })
    session = wire.server.session
    snapshot = session.snapshot(uri)
    assert snapshot is not None and snapshot.version == 2
    assert snapshot.text == BARE_EXCEPT.replace("except:", "except ValueError:")
    assert codes(await published_for(wire, uri, 2)) == []


async def test_did_save_of_a_caller_analyses_the_open_callee_again(wire: Wire, project: Path) -> None:
    """Request input passed to another module's function is reported at the callee's sink
    (vetpy.rules.sec.callers_into): the callers decide the callee's findings, so saving a caller
    re-checks the open callee."""
    (project / "app").mkdir()
    (project / "app" / "__init__.py").write_text("")
    db = project / "app" / "db.py"
    text = "import sqlite3\n\n\ndef search(sort):\n    return sqlite3.connect('x').execute('SELECT * FROM t ORDER BY ' + sort)\n"
    db.write_text(text)
    views = project / "app" / "views.py"
    safe = ("from flask import Flask, request\n\nfrom app import db\n\napp = Flask(__name__)\n\n\n"
            "@app.get('/v')\ndef view():\n    return str(db.search('name'))\n")
    views.write_text(safe)
    uri = db.as_uri()
    open_document(wire, uri, text)
    assert "SEC001" not in codes(await published_for(wire, uri, 1))
    seen = len(wire.published(uri))
    views.write_text(safe.replace("db.search('name')", "db.search(request.args['sort'])"))
    wire.send(types.TEXT_DOCUMENT_DID_SAVE, {"textDocument": {"uri": views.as_uri()}})
    await wait_for(lambda: any("SEC001" in codes(p) for p in wire.published(uri)[seen:]), what="the callee re-checked")


@pytest.mark.parametrize("settings", [{**SETTINGS, "introspection": True}])
async def test_did_save_of_another_module_reads_the_projects_own_facts_again(wire: Wire, project: Path) -> None:
    """What the project's code does to objects it does not own (vetpy.first_party) is read from
    every file of the project and kept: a saved file changes it, so the open documents are
    analysed again with it read anew (the middleware that now sets ``request.event``)."""
    (project / "app").mkdir()
    (project / "app" / "__init__.py").write_text("")
    middleware = project / "app" / "middleware.py"
    middleware.write_text("def handle(request):\n    return request\n")
    views = project / "app" / "views.py"
    text = ("from email.message import EmailMessage\n\n\n"
            "def view(request: EmailMessage):\n    return request.event, request.evnt\n")
    views.write_text(text)
    uri = views.as_uri()
    open_document(wire, uri, text)

    def attributes(params: dict[str, Any]) -> set[str]:
        return {d["message"].split("`")[3] for d in params["diagnostics"] if d["code"] == "HAL003"}

    assert attributes(await published_for(wire, uri, 1)) == {"event", "evnt"}
    seen = len(wire.published(uri))
    middleware.write_text("def handle(request):\n    request.event = 1\n    return request\n")
    wire.send(types.TEXT_DOCUMENT_DID_SAVE, {"textDocument": {"uri": middleware.as_uri()}})
    after = await wait_for(lambda: next((p for p in wire.published(uri)[seen:] if attributes(p) != {"event", "evnt"}), None),
                           what="the open document analysed with the project's facts read again")
    assert attributes(after) == {"evnt"}  # a name no code sets is still reported
    projects = wire.server.session.projects
    facts = projects.built(views).ctx.first_party
    assert projects.read_own_code_again([project / "notes.txt", project.parent / "elsewhere.py"]) == []
    assert projects.built(views).ctx.first_party is facts  # neither is the project's own code


@pytest.mark.parametrize("settings", [{**SETTINGS, "introspection": True}])
async def test_a_python_file_changed_on_disk_reads_the_projects_own_facts_again(wire: Wire, project: Path) -> None:
    """A branch checked out changes files the editor never saved: the watched-file change does
    what a save does (and many changes at once are read once)."""
    (project / "app").mkdir()
    (project / "app" / "__init__.py").write_text("")
    middleware = project / "app" / "middleware.py"
    middleware.write_text("def handle(request):\n    return request\n")
    views = project / "app" / "views.py"
    text = "from email.message import EmailMessage\n\n\ndef view(request: EmailMessage):\n    return request.event\n"
    views.write_text(text)
    uri = views.as_uri()
    open_document(wire, uri, text)
    assert codes(await published_for(wire, uri, 1)) == ["HAL003"]
    seen = len(wire.published(uri))
    middleware.write_text("def handle(request):\n    request.event = 1\n    return request\n")
    (project / "app" / "other.py").write_text("x = 1\n")
    changes = [{"uri": p.as_uri(), "type": kind} for p, kind in ((middleware, 2), (project / "app" / "other.py", 1))]
    wire.send(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, {"changes": changes})
    after = await wait_for(lambda: next((p for p in wire.published(uri)[seen:] if "HAL003" not in codes(p)), None),
                           what="the open document analysed with the project's facts read again")
    assert codes(after) == []


async def test_a_module_created_and_saved_is_found_by_the_open_documents_importing_it(wire: Wire, project: Path) -> None:
    (project / "app").mkdir()
    (project / "app" / "__init__.py").write_text("")
    views = project / "app" / "views.py"
    text = "from app import helpers\nfrom app.helpers import slugify, sluggify\n"
    views.write_text(text)
    uri = views.as_uri()
    open_document(wire, uri, text)
    assert "HAL001" in codes(await published_for(wire, uri, 1))
    seen = len(wire.published(uri))
    helpers = project / "app" / "helpers.py"
    helpers.write_text("def slugify(text):\n    return text\n")
    wire.send(types.TEXT_DOCUMENT_DID_SAVE, {"textDocument": {"uri": helpers.as_uri()}})
    after = await wait_for(lambda: next((p for p in wire.published(uri)[seen:] if "HAL001" not in codes(p)), None),
                           what="the open document analysed with the new module")
    assert [(d["code"], d["range"]["start"]["line"]) for d in after["diagnostics"]] == [("HAL002", 1)]  # sluggify


async def test_did_close_forgets_the_document_and_clears_its_diagnostics(wire: Wire, project: Path) -> None:
    uri = (project / "app.py").as_uri()
    open_document(wire, uri, BARE_EXCEPT)
    await published_for(wire, uri, 1)
    session = wire.server.session
    assert uri in session.documents and session.scheduler.latest(uri) is not None
    wire.send(types.TEXT_DOCUMENT_DID_CLOSE, {"textDocument": {"uri": uri}})
    assert wire.published(uri)[-1] == {"uri": uri, "diagnostics": []}
    assert session.open_document(uri) is None and session.snapshot(uri) is None
    assert uri not in session.documents and session.scheduler.latest(uri) is None
    assert session.incremental.records == {}


# -- requests ---------------------------------------------------------------------------------

async def test_code_action_offers_the_diagnostics_quick_fix(wire: Wire, project: Path) -> None:
    uri = (project / "app.py").as_uri()
    open_document(wire, uri, BARE_EXCEPT)
    published = await published_for(wire, uri, 1)
    session = wire.server.session
    diagnostic = session.server.protocol._converter.structure(published["diagnostics"][0], types.Diagnostic)
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
    )
    actions = await code_actions.code_action(session, params)
    assert actions is not None
    fixes = [a for a in actions if a.edit is not None and a.is_preferred]
    assert [a.title for a in fixes] == ["Catch Exception, log the traceback and re-raise"]
    edits = fixes[0].edit.changes[uri]
    assert any(e.new_text == " Exception" for e in edits)
    closed = types.TextDocumentIdentifier(uri=(project / "other.py").as_uri())
    assert await code_actions.code_action(session, types.CodeActionParams(
        text_document=closed, range=diagnostic.range, context=types.CodeActionContext(diagnostics=[]),
    )) is None


async def test_hover_describes_an_imported_module(wire: Wire, project: Path) -> None:
    uri = (project / "app.py").as_uri()
    open_document(wire, uri, BARE_EXCEPT)
    session = wire.server.session

    def at(line: int, character: int) -> types.HoverParams:
        return types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character))

    answer = await hover.hover(session, at(0, 8))  # import js|on
    assert answer is not None and isinstance(answer.contents, types.MarkupContent)
    assert answer.contents.kind == types.MarkupKind.Markdown and "json" in answer.contents.value
    assert await hover.hover(session, at(5, 4)) is None  # `pass`: nothing to describe


async def test_a_configuration_change_applies_to_the_open_documents(wire: Wire, project: Path) -> None:
    """A client without workspace/configuration sends its settings in the notification."""
    uri = (project / "app.py").as_uri()
    open_document(wire, uri, BARE_EXCEPT)
    assert codes(await published_for(wire, uri, 1)) == ["EDGE001"]
    count = len(wire.published(uri))
    wire.send(types.WORKSPACE_DID_CHANGE_CONFIGURATION, {"settings": {"vetpy": {"select": ["EDGE"], "ignore": ["EDGE001"], "debounceMs": 40}}})
    again = await wait_for(lambda: wire.published(uri)[count:], what="diagnostics after the settings changed")
    assert again[-1]["version"] == 1 and codes(again[-1]) == []
    session = wire.server.session
    assert session.debounce_for(uri) == 0.04


def test_forget_document_drops_the_record_kept_under_the_uri() -> None:
    session: Session = VetpyServer().session
    uri = "file:///nowhere/x.py"
    try:
        session.record(uri).too_big = True
        assert session.documents[uri].too_big
        session.forget_document(uri)
        assert session.documents == {}
        session.forget_document(uri)  # forgetting what is not kept is harmless
        assert session.documents == {}
    finally:
        session.stop_work()
