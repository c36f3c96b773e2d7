"""`vetpy serve` end to end over stdio (pytest-lsp), for a VS Code-like client (utf-16 positions,
pull diagnostics with refresh) and a Neovim-like client (utf-8 positions, push diagnostics)."""

from __future__ import annotations

import ast
import asyncio
import sys
from pathlib import Path

import pytest
from lsprotocol import types

import lsp_support as S

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

PROFILES = ["vscode", "neovim"]
HALLUCINATED = "import json\nfrom json import loads_fast\n\nprint(loads_fast('1'), json)\n"
DEBUG = {"settings": {"logLevel": "debug", "debounceMs": 0}}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return S.new_project(tmp_path)


async def code_actions(
    client: S.RecordingClient, uri: str, diags: list[types.Diagnostic], only: list[str] | None = None
) -> list[types.CodeAction]:
    rng = diags[0].range if diags else types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=diags, only=only),
        )
    )
    return list(result or [])


@pytest.mark.parametrize("profile", PROFILES)
async def test_diagnostic_quickfix_and_disable(project: Path, profile: str) -> None:
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        assert client.pull == (profile == "vscode")
        assert client.encoding == ("utf-16" if profile == "vscode" else "utf-8")
        uri = S.open_doc(client, project / "app.py", HALLUCINATED)
        diags = await S.diagnostics(client, uri)
        assert [d.code for d in diags] == ["HAL002"]
        diag = diags[0]
        assert diag.source == "vetpy"
        assert diag.code_description is not None and "hal002" in diag.code_description.href
        assert "did you mean `loads`" in diag.message
        assert (diag.range.start.line, diag.range.start.character, diag.range.end.character) == (1, 17, 27)
        assert diag.data["fixes"][0]["title"] == "Replace with `loads`"

        actions = await code_actions(client, uri, diags, only=["quickfix"])
        titles = [a.title for a in actions]
        assert titles[0] == "Replace with `loads`" and actions[0].is_preferred
        assert "Disable vetpy HAL002 for this line" in titles

        fixed = S.apply_lsp_edits(HALLUCINATED, actions[0].edit.changes[uri], client.encoding)
        ast.parse(fixed)
        assert "from json import loads\n" in fixed
        S.change_doc(client, uri, fixed)
        assert await S.diagnostics(client, uri) == []

        # the disable action on a fresh copy of the problem
        S.change_doc(client, uri, HALLUCINATED)
        diags = await S.diagnostics(client, uri)
        disable = next(a for a in await code_actions(client, uri, diags) if a.title.startswith("Disable"))
        silenced = S.apply_lsp_edits(HALLUCINATED, disable.edit.changes[uri], client.encoding)
        assert "from json import loads_fast  # vetpy: ignore[HAL002]\n" in silenced
        ast.parse(silenced)
        S.change_doc(client, uri, silenced)
        assert await S.diagnostics(client, uri) == []
        if profile == "neovim":
            assert not any(p.version is None for p in client.published)
        else:
            assert client.published == []  # pull clients never get pushed diagnostics
        assert client.messages == []  # no pop-ups
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_non_bmp_positions(project: Path, profile: str) -> None:
    text = 'x = "😀é"; from json import loads_fast\n'
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        uri = S.open_doc(client, project / "emoji.py", text)
        diags = await S.diagnostics(client, uri)
        assert [d.code for d in diags] == ["HAL002"]
        # 27 code points precede `loads_fast`: the emoji is 2 UTF-16 units / 4 UTF-8 bytes, é 2 bytes
        expected = {"utf-16": (28, 38), "utf-8": (31, 41)}[client.encoding]
        rng = diags[0].range
        assert (rng.start.character, rng.end.character) == expected
        actions = await code_actions(client, uri, diags, only=["quickfix"])
        fixed = S.apply_lsp_edits(text, actions[0].edit.changes[uri], client.encoding)
        assert fixed == 'x = "😀é"; from json import loads\n'
        disable = next(a for a in actions if a.title.startswith("Disable"))
        assert S.apply_lsp_edits(text, disable.edit.changes[uri], client.encoding).endswith(
            "loads_fast  # vetpy: ignore[HAL002]\n"
        )
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_burst_of_changes_gives_one_analysis(project: Path, profile: str) -> None:
    client = await S.start(profile, project, init_options={"settings": {"logLevel": "debug", "debounceMs": 300}})
    try:
        uri = S.open_doc(client, project / "burst.py", "x = 1\n")
        await S.diagnostics(client, uri)
        await S.wait_for(lambda: S.analysed_count(client, uri) == 1, what="the first analysis log line")
        text = "x = 1\n"
        for i in range(10):
            text += f"y{i} = {i}\n"
            S.change_doc(client, uri, text)
        text += "from json import loads_fast\n"
        last = S.change_doc(client, uri, text)
        diags = await S.diagnostics(client, uri)
        assert [d.code for d in diags] == ["HAL002"]
        assert diags[0].range.start.line == 11
        await asyncio.sleep(0.5)
        assert S.analysed_count(client, uri) == 2, [m.message for m in client.log_messages]
        if profile == "neovim":
            versions = [p.version for p in client.published if p.uri == uri]
            assert set(versions) == {1, last} and versions.count(last) == 1  # (version 1 may also have had its static set first)
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_stale_versions_are_never_published(project: Path, profile: str) -> None:
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        uri = S.open_doc(client, project / "stale.py", "x = 1\n")
        await S.diagnostics(client, uri)
        body = "".join(f"v{i} = {i}\n" for i in range(2000))
        for i in range(5):  # each change makes the previous run stale
            S.change_doc(client, uri, body + f"from json import loads_{i}x\n")
        final = await S.diagnostics(client, uri)
        assert [d.code for d in final] == ["HAL002"] and "loads_4x" in final[0].message
        await asyncio.sleep(0.3)
        versions = [p.version for p in client.published if p.uri == uri]
        assert versions == sorted(versions)
        if profile == "neovim":
            assert versions[-1] == client.versions[uri]
            assert "loads_4x" in client.published[-1].diagnostics[0].message
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_close_clears(project: Path, profile: str) -> None:
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        uri = S.open_doc(client, project / "closing.py", HALLUCINATED)
        assert len(await S.diagnostics(client, uri)) == 1
        client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        if profile == "neovim":
            await S.wait_for(lambda: client.published[-1].diagnostics == [] and client.published[-1].uri == uri)
        else:
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            assert list(report.items) == []
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_configuration_change_rechecks(project: Path, profile: str) -> None:
    client = await S.start(profile, project, init_options=DEBUG, configuration={"logLevel": "debug", "debounceMs": 0})
    try:
        uri = S.open_doc(client, project / "conf.py", HALLUCINATED)
        assert [d.code for d in await S.diagnostics(client, uri)] == ["HAL002"]
        published_before = len(client.published)
        refreshes_before = client.diagnostic_refresh_count
        client.set_configuration({"logLevel": "debug", "debounceMs": 0, "ignore": ["HAL002"]}, section="vetpy")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        if profile == "neovim":
            await S.wait_for(lambda: len(client.published) > published_before and client.published[-1].diagnostics == [])
        else:
            await S.wait_for(lambda: client.diagnostic_refresh_count > refreshes_before, what="diagnostic refresh")
            assert await S.diagnostics(client, uri) == []
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_fix_all_and_failing_rule(project: Path, profile: str) -> None:
    """source.fixAll.vetpy applies every safe fix; a crashing checker is logged, not shown."""
    server = [sys.executable, str(S.HERE / "lsp_test_server.py")]
    client = await S.start(profile, project, init_options=DEBUG, command=server)
    text = "old_name = 1\nprint(old_name)\nfrom json import loads_fast\n"
    try:
        uri = S.open_doc(client, project / "fixall.py", text)
        diags = await S.diagnostics(client, uri)
        assert sorted(d.code for d in diags) == ["EDGE990", "EDGE990", "HAL002"]
        await S.wait_for(lambda: any("boom from the test checker" in m.message for m in client.log_messages))
        error = next(m for m in client.log_messages if "boom" in m.message)
        assert error.type == types.MessageType.Error
        assert client.messages == []  # never a pop-up

        assert await code_actions(client, uri, diags, only=["quickfix.nothing"]) == []
        for only in (["source.fixAll"], ["source"], [ "source.fixAll.vetpy"]):
            actions = await code_actions(client, uri, [], only=only)
            assert [a.kind for a in actions] == ["source.fixAll.vetpy"], only
        quick = await code_actions(client, uri, diags, only=["quickfix"])
        assert all(a.kind == "quickfix" for a in quick)
        fixed = S.apply_lsp_edits(text, actions[0].edit.changes[uri], client.encoding)
        assert fixed == "new_name = 1\nprint(new_name)\nfrom json import loads_fast\n"  # unsafe fixes stay out
        ast.parse(fixed)
        S.change_doc(client, uri, fixed)
        assert [d.code for d in await S.diagnostics(client, uri)] == ["HAL002"]
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_hover_and_commands(project: Path, profile: str) -> None:
    text = "import packaging\nfrom json import loads\nfrom packaging.version import Version\nloads('1')\n"
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        uri = S.open_doc(client, project / "hover.py", text)
        await S.diagnostics(client, uri)

        async def hover(line: int, character: int) -> str:
            result = await client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=line, character=character),
                )
            )
            return result.contents.value if result else ""

        installed = await hover(0, 10)
        assert "packaging 2" in installed and "(installed" in installed
        loads = await hover(1, 18)
        assert "def loads(s" in loads and "standard library" in loads
        assert "class Version(_BaseVersion)" in await hover(2, 32)
        assert "def loads(s" in await hover(3, 1)  # a use of the imported name
        assert await hover(3, 7) == ""  # inside a string: nothing

        env = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="vetpy.showEnvironment"))
        proj = env["projects"][0]
        assert proj["root"] == str(project.resolve())
        assert proj["interpreter"] and proj["pythonVersion"].startswith("3.")
        assert proj["sysPathHead"] and proj["settings"]["logLevel"] == "debug"
        assert env["diagnostics"] == ("pull" if profile == "vscode" else "push")
        restarted = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="vetpy.restart"))
        assert restarted["restarted"] == [str(project.resolve())]
        assert [d.code for d in await S.diagnostics(client, uri)] == []
    finally:
        await S.stop(client)


async def test_progress_and_watchers_registered(project: Path) -> None:
    client = await S.start("vscode", project, init_options=DEBUG)
    try:
        await S.wait_for(lambda: client.registrations, what="file watcher registration")
        reg = client.registrations[0]
        assert reg.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        globs = [w["globPattern"] for w in reg.register_options["watchers"]]
        assert "**/pyproject.toml" in globs and "**/requirements*.txt" in globs
        assert any(isinstance(g, dict) and g["baseUri"].endswith("site-packages") for g in globs)
        await S.wait_for(lambda: any(r and r[-1].kind == "end" for r in client.progress_reports.values()))
        reports = next(iter(client.progress_reports.values()))
        assert reports[0].kind == "begin" and reports[0].title == "vetpy"
    finally:
        await S.stop(client)


async def test_multi_root_settings_per_folder(tmp_path: Path) -> None:
    """VS Code shape: each workspace folder has its own settings (and project, and environment)."""
    folders = {name: S.new_project(tmp_path, name) for name in ("alpha", "beta")}
    options = {
        "settings": [
            {"workspace": folders["alpha"].as_uri(), "ignore": ["HAL002"]},
            {"workspace": folders["beta"].as_uri(), "select": ["HAL"]},
        ],
        "globalSettings": {"logLevel": "debug", "debounceMs": 0},
    }
    client = S.make_client()
    await client.start_io(*S.SERVER, env=S.server_env(tmp_path))
    try:
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=S.vscode_capabilities(),
                workspace_folders=[types.WorkspaceFolder(uri=r.as_uri(), name=n) for n, r in folders.items()],
                initialization_options=options,
            )
        )
        client.pull = result.capabilities.diagnostic_provider is not None
        alpha = S.open_doc(client, folders["alpha"] / "a.py", HALLUCINATED)
        beta = S.open_doc(client, folders["beta"] / "b.py", HALLUCINATED)
        assert await S.diagnostics(client, alpha) == []
        assert [d.code for d in await S.diagnostics(client, beta)] == ["HAL002"]
        env = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="vetpy.showEnvironment"))
        roots = sorted(p["root"] for p in env["projects"])
        assert roots == sorted(str(r.resolve()) for r in folders.values())
        # a per-folder workspace/configuration answer overrides the initialization options
        client.set_configuration({"ignore": []}, section="vetpy", scope_uri=folders["alpha"].as_uri())
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await S.wait_for(lambda: client.diagnostic_refresh_count > 0, what="diagnostic refresh")
        assert [d.code for d in await S.diagnostics(client, alpha)] == ["HAL002"]
    finally:
        await S.stop(client)


async def test_serve_over_tcp(tmp_path: Path) -> None:
    import json
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_file = tmp_path / "vetpy.log"
    proc = await asyncio.create_subprocess_exec(
        *S.SERVER, "--tcp", f"127.0.0.1:{port}", "--log-file", str(log_file), env=S.server_env(tmp_path)
    )
    try:
        for _ in range(200):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the TCP server never listened")
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
        writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        while True:
            header = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            message = json.loads(await reader.readexactly(length))
            if message.get("id") == 1:
                break
        assert message["result"]["serverInfo"]["name"] == "vetpy"
        assert message["result"]["capabilities"]["positionEncoding"] == "utf-16"
        assert "diagnosticProvider" not in message["result"]["capabilities"]
        writer.close()
        assert "vetpy" in log_file.read_text()
    finally:
        proc.kill()
        await proc.wait()


@pytest.mark.parametrize("profile", PROFILES)
async def test_an_edit_inside_a_function_reuses_the_other_findings_then_the_whole_file_is_checked_quietly(
    project: Path, profile: str
) -> None:
    """Incremental analysis over the protocol: an edit inside one function analyses a part of the
    module (logged), gives the findings of the whole file, and once the user pauses the whole file
    is analysed again without a second publication of the same diagnostics."""
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        functions = "".join(f"\n\ndef f{i}(raw):\n    return json.loads(raw)\n" for i in range(20))
        text = "import json\nfrom json import loads_fast\n" + functions
        uri = S.open_doc(client, project / "reuse.py", text)
        assert [d.code for d in await S.diagnostics(client, uri)] == ["HAL002"]
        text = text.replace("def f7(raw):\n    return json.loads(raw)", "def f7(raw):\n    return json.loadz(raw)")
        version = S.change_doc(client, uri, text)
        await S.wait_for(
            lambda: any(p.uri == uri and p.version == version for p in client.published) or client.pull,
            what="the edited version's diagnostics",
        )
        diags = await S.diagnostics(client, uri)
        assert sorted(d.code for d in diags) == ["HAL002", "HAL003"]
        logged = [m.message for m in client.log_messages if m.message.startswith(f"analysed {uri} version {version}:")]
        assert logged and "3 of 22 top-level statements, the others' findings kept" in logged[0], logged
        # the quiet whole check: analysed again, all 22 statements, and nothing new published
        await S.wait_for(
            lambda: sum(
                1 for m in client.log_messages if m.message.startswith(f"analysed {uri} version {version}:")
            ) == 2,
            what="the whole analysis after the pause",
        )
        whole = [m.message for m in client.log_messages if m.message.startswith(f"analysed {uri} version {version}:")]
        assert "(22 of 22 top-level statements)" in whole[1], whole
        await asyncio.sleep(0.2)
        assert [p.version for p in client.published if p.uri == uri].count(version) <= 1
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_cold_import_of_an_installed_package_does_not_hold_back_the_other_diagnostics(
    project: Path, profile: str
) -> None:
    """The first analysis does not wait for the worker to import an installed package (seconds
    for a big one): its other findings are published, the package is imported in the background
    and its attribute checks follow for the same version."""
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        text = "import attrs\nfrom json import loads_fast\n\nPOINT = attrs.definee\n"
        uri = S.open_doc(client, project / "cold.py", text)
        await S.wait_for(
            lambda: any("introspecting attrs" in m.message and "in the background" in m.message for m in client.log_messages),
            what="the background introspection of attrs",
        )
        if client.pull:
            await S.wait_for(lambda: client.diagnostic_refresh_count > 0, what="a diagnostic refresh")
            for _ in range(100):  # a refresh may also come from the environment being read
                final = await S.diagnostics(client, uri)
                if len(final) == 2:
                    break
                await asyncio.sleep(0.05)
        else:
            final = (
                await S.wait_for(
                    lambda: next((p for p in client.published if p.uri == uri and len(p.diagnostics) == 2), None),
                    what="the attribute check after the import",
                )
            ).diagnostics
            first = next(p for p in client.published if p.uri == uri and p.diagnostics)  # not the static set (empty)
            assert first.version == 1 and [d.code for d in first.diagnostics] == ["HAL002"]
        assert sorted(d.code for d in final) == ["HAL002", "HAL003"]
        assert "definee" in next(d.message for d in final if d.code == "HAL003")
    finally:
        await S.stop(client)
