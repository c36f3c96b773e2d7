"""Issue 22 end to end over stdio: `vetpy serve` keeps the editor's text when an incremental change
lands below a form feed (or another character that ``str.splitlines`` breaks at and LSP does
not), for UTF-16 (the VS Code profile) and UTF-8 (the Neovim profile) positions; and every code
action's edits, applied to the client's text with the specification's reference, replace what
the diagnostic is about."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from lsprotocol import types

import lsp_support as S
from lsp_reference import apply_text_edits, range_text, ref_apply, ref_lines
from test_lsp_e2e import DEBUG, PROFILES, code_actions

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

BEFORE = "import json\n\x0c\ndef f(s):\n    return s\n"
AFTER = "import json\n\x0c\ndef f(s):\n    json.loads_fast(s)\n    return s\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return S.new_project(tmp_path)


@pytest.mark.parametrize("profile", PROFILES)
async def test_typing_below_a_form_feed(project: Path, profile: str) -> None:
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        assert client.encoding == ("utf-16" if profile == "vscode" else "utf-8")
        uri = S.open_doc(client, project / "feed.py", BEFORE)
        assert await S.diagnostics(client, uri) == []
        S.edit_doc(client, uri, (3, 4), (3, 4), "json.loads_fast(s)")  # typed at line 3, column 4
        S.edit_doc(client, uri, (3, 22), (3, 22), "\n    ")  # then Enter, indented by the editor
        assert client.texts[uri] == AFTER
        diags = await S.diagnostics(client, uri)
        assert [d.code for d in diags] == ["HAL003"], [(d.code, d.message) for d in diags]
        assert range_text(AFTER, diags[0].range, client.encoding) == "loads_fast"
        assert diags[0].range.start.line == 3

        actions = await code_actions(client, uri, diags, only=["quickfix"])
        fix = next(a for a in actions if a.title == "Replace with `loads`")
        [edit] = fix.edit.changes[uri]
        assert range_text(AFTER, edit.range, client.encoding) == "loads_fast"
        fixed = apply_text_edits(AFTER, [edit], client.encoding)
        assert fixed == AFTER.replace("loads_fast", "loads")
        S.edit_doc(client, uri, (edit.range.start.line, edit.range.start.character),
                   (edit.range.end.line, edit.range.end.character), edit.new_text)
        assert client.texts[uri] == fixed
        assert await S.diagnostics(client, uri) == []
        assert client.messages == []
    finally:
        await S.stop(client)


# Before each finding: a form feed, U+2028 and U+2029 inside strings, \x85 in a comment, an
# astral character and combining marks on the finding's own line, and all three line endings.
MIXED = (
    "import json\r\n"
    "from decimal import Decimal\x0c\r"
    "NOTE = 'a\u2028b\u2029c'  # x\x85y 😀\n"
    "from json import loads_fast\r\n"
    "\x0c\n"
    "def g(s):\r"
    "    e\u0301 = '😀𝒳'; return json.loads_fast(s), e\u0301, Decimal(0.1)\n"
)
# code -> (LSP line, the text the diagnostic is about, what its first fix puts there)
EXPECTED = {
    "HAL002": (3, "loads_fast", "loads"),
    "HAL003": (6, "loads_fast", "loads"),
    "EDGE008": (6, "0.1", '"0.1"'),
}


@pytest.mark.parametrize("profile", PROFILES)
async def test_every_code_action_edits_what_its_diagnostic_is_about(project: Path, profile: str) -> None:
    ast.parse(MIXED)
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        uri = S.open_doc(client, project / "mixed.py", MIXED)
        diags = await S.diagnostics(client, uri)
        assert sorted(d.code for d in diags) == sorted(EXPECTED), [(d.code, d.message) for d in diags]
        for diag in diags:
            line, about, replacement = EXPECTED[str(diag.code)]
            assert diag.range.start.line == line
            assert range_text(MIXED, diag.range, client.encoding) == about
            actions = await code_actions(client, uri, [diag], only=["quickfix"])
            fixes = [a for a in actions if not a.title.startswith("Disable")]
            assert fixes and len(actions) == len(fixes) + 1, [a.title for a in actions]
            for action in fixes:  # each fix rewrites exactly the text the diagnostic is about
                [edit] = action.edit.changes[uri]
                assert range_text(MIXED, edit.range, client.encoding) == about, action.title
                ast.parse(apply_text_edits(MIXED, [edit], client.encoding))
            first = apply_text_edits(MIXED, fixes[0].edit.changes[uri], client.encoding)
            assert first == ref_apply(MIXED, diag.range.start, diag.range.end, replacement, client.encoding)
            silenced = apply_text_edits(MIXED, actions[-1].edit.changes[uri], client.encoding)
            ast.parse(silenced)
            start, end = ref_lines(silenced)[line]
            assert f"# vetpy: ignore[{diag.code}]" in silenced[start:end]  # on the diagnostic's line

        [fix_all] = await code_actions(client, uri, diags, only=["source.fixAll.vetpy"])
        edits = fix_all.edit.changes[uri]
        assert [range_text(MIXED, e.range, client.encoding) for e in edits] == ["0.1"]
        everything = apply_text_edits(MIXED, edits, client.encoding)
        assert everything == MIXED.replace("Decimal(0.1)", 'Decimal("0.1")')
    finally:
        await S.stop(client)


@pytest.mark.parametrize("profile", PROFILES)
async def test_hover_after_a_change_below_separators(project: Path, profile: str) -> None:
    """Hover reads the text the editor has: the name under the cursor after a change typed
    below U+2028, U+2029 and form feeds."""
    text = "import json\nX = '\u2028\u2029\x0c'\x0c\n\n"
    client = await S.start(profile, project, init_options=DEBUG)
    try:
        uri = S.open_doc(client, project / "hover.py", text)
        await S.diagnostics(client, uri)
        S.edit_doc(client, uri, (2, 0), (2, 0), "json.loads(X)")
        assert await S.diagnostics(client, uri) == []
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=2, character=7))
        )
        assert hover is not None and "def loads(s" in hover.contents.value, hover
    finally:
        await S.stop(client)
