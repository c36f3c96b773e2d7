"""DEP004 in the editor: an open ``requirements*.txt`` or ``pyproject.toml`` gets the look-alike
dependency findings of ``vetpy check``, from the buffer's text (saved or not), on the line and
columns of the name; never Python findings, hover or vetpy comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

import lsp_support as S
from vetpy.lsp.declarations import is_declaration

pytestmark = pytest.mark.slow  # a server process


def spans(diagnostics: list[types.Diagnostic]) -> list[tuple[object, int, int, int]]:
    return sorted((d.code, d.range.start.line, d.range.start.character, d.range.end.character) for d in diagnostics)


@pytest.mark.parametrize("profile", ["vscode", "neovim"])  # pulled, pushed
async def test_requirements_buffer_is_checked_as_typed(tmp_path: Path, profile: str) -> None:
    project = S.new_project(tmp_path)
    requirements = project / "requirements.txt"
    requirements.write_text("python-jwtt==2.0\nrequests\n")
    client = await S.start(profile, project, init_options={"settings": {"debounceMs": 0}})
    try:
        uri = S.open_doc(client, requirements, requirements.read_text())
        found = await S.diagnostics(client, uri)
        assert spans(found) == [("DEP004", 0, 0, 11)]
        assert "python-jwt" in found[0].message
        # the buffer, not the disk: fixed but not saved
        S.change_doc(client, uri, "python-jwt==4.1.0\nrequests\n")
        assert await S.diagnostics(client, uri) == []
        S.change_doc(client, uri, "requests  # HTTP\n\nreqeusts>=2 ; python_version >= '3.8'\n")
        found = await S.diagnostics(client, uri)
        assert spans(found) == [("DEP004", 2, 0, 8)]
        assert "`requests`" in found[0].message
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=2, character=2)))
        assert hover is None
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=found[0].range,
            context=types.CodeActionContext(diagnostics=found)))
        assert not actions  # no fix, and no `# vetpy: ignore` comment, which a requirements file does not honour
    finally:
        await S.stop(client)


async def test_unsaved_pyproject_dependencies_and_python_files_unaffected(tmp_path: Path) -> None:
    project = S.new_project(tmp_path)  # its pyproject.toml on disk declares nothing
    text = (
        "[project]\n"
        "name = 'proj'\n"
        "version = '0'\n"
        "dependencies = [\n"
        "    'requests>=2',\n"
        "    'numpyy>=2',\n"
        "]\n"
    )
    client = await S.start("neovim", project, init_options={"settings": {"debounceMs": 0}})
    try:
        uri = S.open_doc(client, project / "pyproject.toml", text)
        found = await S.diagnostics(client, uri)
        assert spans(found) == [("DEP004", 5, 5, 11)]
        # a Python document of the same project is analysed as Python, as before
        app = S.open_doc(client, project / "app.py", "import json\n\nprint(json.dumps({}))\n")
        assert await S.diagnostics(client, app) == []
        # the look-alike written correctly: nothing
        S.change_doc(client, uri, text.replace("numpyy", "numpy"))
        assert await S.diagnostics(client, uri) == []
    finally:
        await S.stop(client)


async def test_configuration_applies_to_declarations(tmp_path: Path) -> None:
    """`internal-packages` (a private index's names) holds in the editor as in the CLI."""
    project = S.new_project(tmp_path)
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'proj'\nversion = '0'\n\n[tool.vetpy]\ninternal-packages = ['reqeusts']\n")
    client = await S.start("neovim", project, init_options={"settings": {"debounceMs": 0}})
    try:
        (project / "requirements-dev.txt").write_text("")  # a new file, saved empty: its buffer is read
        uri = S.open_doc(client, project / "requirements-dev.txt", "reqeusts\npython-jwtt\n")
        assert spans(await S.diagnostics(client, uri)) == [("DEP004", 1, 0, 11)]
    finally:
        await S.stop(client)


async def test_other_languages_are_not_analysed_as_python(tmp_path: Path) -> None:
    """An editor that attaches vetpy to every `toml` buffer (for pyproject.toml) sends others too."""
    project = S.new_project(tmp_path)
    client = await S.start("neovim", project, init_options={"settings": {"debounceMs": 0}})
    try:
        cargo = S.open_doc(client, project / "Cargo.toml", "[package]\nname = 'x'\n\n[dependencies]\nserde = { version = '1' }\n",
                             language="toml")
        assert await S.diagnostics(client, cargo) == []  # no SYN001 for TOML
        # a `.py` file is Python whatever the client calls it
        script = S.open_doc(client, project / "tool.py", "def f(:\n", language="plaintext")
        assert [d.code for d in await S.diagnostics(client, script)] == ["SYN001"]
    finally:
        await S.stop(client)


def test_which_files_are_declarations(tmp_path: Path) -> None:
    yes = ["pyproject.toml", "requirements.txt", "requirements-dev.txt", "requirements.in", "requirements/base.txt"]
    no = ["app.py", "notes.txt", "pyproject.toml.bak", "requirements.py", "docs/requirements.md", "setup.cfg"]
    assert all(is_declaration(tmp_path / name) for name in yes)
    assert not any(is_declaration(tmp_path / name) for name in no)
    assert not is_declaration(None)
