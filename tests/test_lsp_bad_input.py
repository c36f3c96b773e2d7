"""Bad input never crashes the server: each case is logged and the server keeps answering."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lsprotocol import types

import lsp_support as S

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

HALLUCINATED = "import json\nfrom json import loads_fast\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return S.new_project(tmp_path)


async def still_answers(client: S.RecordingClient, uri: str) -> None:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=8))
    )
    assert result is not None and "json" in result.contents.value


async def test_bad_documents(project: Path, tmp_path: Path) -> None:
    client = await S.start("neovim", project, init_options={"settings": {"logLevel": "debug", "debounceMs": 0}})
    try:
        # 1. a document that stops parsing: only the syntax finding, no stale findings on moved lines
        uri = S.open_doc(client, project / "broken.py", HALLUCINATED)
        assert [d.code for d in await S.diagnostics(client, uri)] == ["HAL002"]
        S.change_doc(client, uri, "def broken(:\n    pass\n\n" + HALLUCINATED)
        diags = await S.diagnostics(client, uri)
        assert [(d.code, d.range.start.line) for d in diags] == [("SYN001", 0)]
        S.change_doc(client, uri, "\n\n" + HALLUCINATED)
        assert [(d.code, d.range.start.line) for d in await S.diagnostics(client, uri)] == [("HAL002", 3)]

        # 2. deep nesting: reported as a syntax problem, no crash
        deep = S.open_doc(client, project / "deep.py", "x = " + "(" * 300 + "1" + ")" * 300 + "\ny = " + " + ".join(["1"] * 5000) + "\n")
        assert [d.code for d in await S.diagnostics(client, deep)] == ["SYN001"]

        # 3. a non-file URI (an unsaved buffer) is analysed without a project directory
        untitled = S.open_doc(client, "untitled:Untitled-1", HALLUCINATED)
        assert [d.code for d in await S.diagnostics(client, untitled)] == ["HAL002"]

        # 4. a file outside every workspace folder
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        outside = S.open_doc(client, elsewhere / "loose.py", HALLUCINATED)
        assert [d.code for d in await S.diagnostics(client, outside)] == ["HAL002"]
        assert any("outside every workspace folder" in m.message for m in client.log_messages)

        # 5. didChange for a document that was never opened: logged, nothing published
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=(project / "ghost.py").as_uri(), version=3),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n")],
            )
        )
        await S.wait_for(lambda: any("ghost.py" in m.message for m in client.log_messages), what="ghost logged")
        await still_answers(client, untitled)
        assert not any(p.uri.endswith("ghost.py") for p in client.published)

        # 6. a 50,000-line file: analysed off the message loop; the server answers meanwhile
        big_text = "import json\n" + "".join(f"v{i} = {i}\n" for i in range(50_000)) + "from json import loads_fast\n"
        big = S.open_doc(client, project / "big.py", big_text)
        started = time.monotonic()
        await still_answers(client, untitled)
        answered = time.monotonic() - started
        diags = await S.diagnostics(client, big, timeout=120)
        assert [(d.code, d.range.start.line) for d in diags] == [("HAL002", 50_001)]
        assert answered < time.monotonic() - started  # the hover did not wait for the big analysis
        assert client.messages == []  # nothing popped up
    finally:
        await S.stop(client)


@pytest.mark.parametrize(
    "options",
    [
        {"settings": {"debounceMs": "fast", "select": 5, "logLevel": 3, "interpreter": {"x": 1}, "severity": []}},
        {"settings": [1, {"workspace": 5, "ignore": "HAL002"}], "globalSettings": "nope"},
        {"settings": {"select": ["NOPE999"], "interpreter": "/no/such/python"}},
        "not an object",
    ],
)
async def test_malformed_settings_are_logged(project: Path, options: object) -> None:
    client = await S.start("neovim", project, init_options=options)
    try:
        uri = S.open_doc(client, project / "app.py", HALLUCINATED)
        diags = await S.diagnostics(client, uri)
        await S.wait_for(
            lambda: any(m.type in (types.MessageType.Warning, types.MessageType.Error) for m in client.log_messages),
            what="a logged settings problem",
        )
        assert client.messages == []
        if isinstance(options, dict) and isinstance(options.get("settings"), list):
            assert diags == []  # the well-formed part (a global ignore of HAL002) still applies
        elif isinstance(options, dict) and options["settings"].get("interpreter") == "/no/such/python":
            assert any("/no/such/python" in m.message for m in client.log_messages)
            assert diags == []  # without the environment, import checks are off (and say so in the log)
        else:
            assert [d.code for d in diags] == ["HAL002"]
        env = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="vetpy.showEnvironment", arguments=[uri])
        )
        assert env["projects"][0]["root"] == str(project.resolve())
    finally:
        await S.stop(client)
