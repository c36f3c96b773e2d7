"""Shared helpers for the language-server tests: client profiles, a recording client, waits."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pygls.protocol import default_converter

import vetpy
from vetpy.findings import TextEdit, apply_edits
from vetpy.lsp.analysis import STATIC_FIRST_NOTE
from vetpy.lsp.convert import Lines

from lsp_reference import ref_apply

SERVER = [sys.executable, "-m", "vetpy", "serve"]
HERE = Path(__file__).parent


# Default wait for the server: only stops a hang (tests never measure speed; a loaded CI machine is slow).
HANG_SECONDS = float(os.environ.get("VETPY_TEST_HANG", 300.0))  # a hang guard; shorter when debugging a wait


def vscode_capabilities() -> types.ClientCapabilities:
    """VS Code 1.100 as the vetpy extension sees it: utf-16 positions, pull diagnostics + refresh."""
    caps = client_capabilities("visual-studio-code")
    caps.general = types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16])
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=True)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    watched = caps.workspace.did_change_watched_files
    if watched is not None:
        watched.relative_pattern_support = True
    return caps


def neovim_capabilities() -> types.ClientCapabilities:
    """Neovim 0.11: utf-8 positions first, declares pull without refresh -> push diagnostics."""
    return client_capabilities("neovim@v0.11.0")


PROFILES: dict[str, Callable[[], types.ClientCapabilities]] = {
    "vscode": vscode_capabilities,
    "neovim": neovim_capabilities,
}


@dataclass
class Published:
    uri: str
    version: int | None
    diagnostics: list[types.Diagnostic]
    at: float = field(default_factory=time.perf_counter)


class RecordingClient(LanguageClient):
    """A pytest-lsp client that also records every publishDiagnostics with its version."""

    published: list[Published]
    registrations: list[types.Registration]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published = []
        self.registrations = []
        self.pull = False
        self.encoding = types.PositionEncodingKind.Utf16
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}


def _publish(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(Published(params.uri, params.version, list(params.diagnostics)))


def _register(client: RecordingClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _unregister(client: RecordingClient, params: types.UnregistrationParams) -> None:
    return None


def make_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
    features[types.CLIENT_REGISTER_CAPABILITY] = _register
    features[types.CLIENT_UNREGISTER_CAPABILITY] = _unregister
    register_lsp_features(client, features)
    return client


def new_project(parent: Path, name: str = "proj") -> Path:
    """A project directory with a minimal pyproject.toml."""
    root = parent / name
    root.mkdir()
    (root / "pyproject.toml").write_text(f"[project]\nname = '{name}'\nversion = '0'\n")
    return root


def server_env(tmp_root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    # the server runs the vetpy these tests import (a worktree's, not the one an editable install
    # points at); the target interpreter never sees this entry (vetpy.environment.discovery.probe_environ)
    env["PYTHONPATH"] = str(Path(vetpy.__file__).resolve().parent.parent)
    env["VETPY_CACHE_DIR"] = str(tmp_root / "vetpy-cache")
    env.update(extra)
    return env


async def start(
    profile: str,
    folder: Path,
    init_options: Any = None,
    configuration: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    command: list[str] | None = None,
) -> RecordingClient:
    client = make_client()
    await client.start_io(*(command or SERVER), env=env or server_env(folder.parent))
    if configuration is not None:
        client.set_configuration(configuration, section="vetpy")
    caps = PROFILES[profile]()
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=folder.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
            initialization_options=init_options,
        )
    )
    client.pull = result.capabilities.diagnostic_provider is not None
    client.encoding = result.capabilities.position_encoding or types.PositionEncodingKind.Utf16
    return client


async def stop(client: RecordingClient) -> None:
    try:
        await asyncio.wait_for(client.shutdown_session(), 60)
    finally:
        await client.stop()


def open_doc(client: RecordingClient, path: Path | str, text: str, version: int = 1, language: str = "python") -> str:
    uri = path if isinstance(path, str) else path.as_uri()
    client.texts[uri] = text
    client.versions[uri] = version
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)
        )
    )
    return uri


def change_doc(client: RecordingClient, uri: str, text: str) -> int:
    """Send the whole new text as one incremental change covering the old text."""
    old = client.texts[uri]
    lines = Lines(old)
    end = lines.to_client(lines.count, len(lines.text(lines.count - 1)) + 1, client.encoding)
    version = client.versions[uri] + 1
    client.versions[uri] = version
    client.texts[uri] = text
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=0, character=0), end=end), text=text
                )
            ],
        )
    )
    return version


def edit_doc(client: RecordingClient, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
    """Send one incremental change (positions in the negotiated encoding) and apply it to the
    client's copy with the specification's reference (``lsp_reference``), as an editor would."""
    version = client.versions[uri] + 1
    client.versions[uri] = version
    client.texts[uri] = ref_apply(client.texts[uri], start, end, text, client.encoding)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text
                )
            ],
        )
    )
    return version


def apply_lsp_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    lines = Lines(text)
    engine_edits = []
    for e in edits:
        line, col = lines.from_client(e.range.start, encoding)
        end_line, end_col = lines.from_client(e.range.end, encoding)
        engine_edits.append(TextEdit(line, col, end_line, end_col, e.new_text))
    return apply_edits(text, engine_edits)


async def wait_for(predicate: Callable[[], Any], timeout: float = HANG_SECONDS, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


async def diagnostics(client: RecordingClient, uri: str, timeout: float = HANG_SECONDS) -> list[types.Diagnostic]:
    """The diagnostics for the document's current version (pulled or pushed, per the profile)."""
    if client.pull:
        report = await asyncio.wait_for(
            client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            ),
            timeout,
        )
        return list(report.items)
    version = client.versions.get(uri)
    return (await wait_for(lambda: whole_publication(client, uri, version), timeout, f"diagnostics for {uri} version {version}")).diagnostics


def whole_publication(client: RecordingClient, uri: str, version: int | None) -> Published | None:
    """The last publication of ``version`` if one is the whole analysis's: on a cold start the
    server first publishes the findings that need no environment, and says so in the log just
    before (vetpy.lsp.analysis.STATIC_FIRST_NOTE)."""
    static = sum(1 for m in client.log_messages if m.message == f"{uri} version {version}: {STATIC_FIRST_NOTE}")
    ours = [p for p in client.published if p.uri == uri and p.version == version]
    return ours[-1] if len(ours) > static else None


def analysed_count(client: RecordingClient, uri: str) -> int:
    return sum(1 for m in client.log_messages if m.message.startswith(f"analysed {uri} "))
