"""Document synchronisation (issue 22): the server's copy of an open document equals the editor's
after every incremental change, whatever the text holds and whichever position encoding is used.

The expected text comes from ``lsp_reference``, written from the LSP specification alone.

``VETPY_SYNC_EXAMPLES`` sets how many edit sequences the property test generates (200 by
default, a few seconds; 10,000 for a long run).
"""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.lsp.server import LanguageServer

from vetpy.lsp.textsync import LspLinesProtocol, LspTextDocument, LspWorkspace

from lsp_reference import ref_apply, ref_lines, ref_offset, ref_position

ENCODINGS = ["utf-8", "utf-16", "utf-32"]
URI = "file:///sync/example.py"
EXAMPLES = int(os.environ.get("VETPY_SYNC_EXAMPLES", "200"))

# Characters that str.splitlines() takes for line breaks and LSP does not.
NOT_LINE_BREAKS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
PIECES = [
    *NOT_LINE_BREAKS,
    "\n", "\r\n", "\r",
    "\U0001F600", "\U0001D4B3",  # outside the BMP: 2 UTF-16 units, 4 UTF-8 bytes
    "e\u0301", "\u0301", "\u0645\u064e",  # combining marks
    "é", "名", "\t", " ", "x", "json.loads_fast(s)", "    ", "#", "'",
]


def test_reference_follows_the_specification() -> None:
    """The reference itself, on hand-counted cases."""
    assert ref_lines("a\r\nb\rc\nd") == [(0, 1), (3, 4), (5, 6), (7, 8)]
    assert ref_lines("a\x0cb\u2028c\x85d\n") == [(0, 7), (8, 8)]
    text = "x😀y\nz"
    assert ref_offset(text, (0, 3), "utf-16") == 2  # after the emoji: 1 + 2 units
    assert ref_offset(text, (0, 5), "utf-8") == 2  # 1 + 4 bytes
    assert ref_offset(text, (0, 2), "utf-32") == 2
    assert ref_offset(text, (0, 99), "utf-16") == 3  # past the end of the line: before "\n"
    assert ref_offset(text, (7, 0), "utf-16") == len(text)
    assert ref_offset("a\r\nb", (0, 5), "utf-8") == 1  # never between "\r" and "\n"
    assert ref_apply("abc", (0, 2), (0, 1), "X", "utf-16") == "aXc"  # backwards: end to start


# -- the server's document store -----------------------------------------------------------------

def server_store(text: str, encoding: str) -> LspWorkspace:
    workspace = LspWorkspace(None, position_encoding=encoding)
    workspace.put_text_document(types.TextDocumentItem(uri=URI, language_id="python", version=1, text=text))
    return workspace


def change(start: tuple[int, int], end: tuple[int, int], text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text
    )


texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@st.composite
def positions(draw: st.DrawFn, text: str, encoding: str) -> tuple[int, int]:
    nlines = len(ref_lines(text))
    if draw(st.integers(0, 19)) == 0:  # now and then: past the last line
        return draw(st.integers(nlines, nlines + 2)), draw(st.integers(0, 5))
    line = draw(st.integers(0, nlines - 1))
    start, end = ref_lines(text)[line]
    column = draw(st.integers(0, end - start + (2 if draw(st.integers(0, 9)) == 0 else 0)))
    return ref_position(text, line, column, encoding)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(encoding=st.sampled_from(ENCODINGS), initial=texts, data=st.data())
@pytest.mark.slow
def test_incremental_changes_match_the_reference(encoding: str, initial: str, data: st.DataObject) -> None:
    logging.getLogger("vetpy.lsp").setLevel(logging.ERROR)  # clamping is logged as a warning
    workspace = server_store(initial, encoding)
    expected = initial
    for version in range(2, 2 + data.draw(st.integers(1, 8), label="edits")):
        start = data.draw(positions(expected, encoding), label="start")
        end = start if data.draw(st.booleans()) else data.draw(positions(expected, encoding), label="end")
        new = data.draw(texts, label="new text")
        workspace.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=version), change(start, end, new))
        expected = ref_apply(expected, start, end, new, encoding)
        doc = workspace.get_text_document(URI)
        assert doc.source == expected
        assert doc.version == version
        # the position helpers the server inherits from pygls agree with the reference too
        probe = data.draw(positions(expected, encoding), label="probe")
        assert doc.offset_at_position(types.Position(*probe)) == ref_offset(expected, probe, encoding)
        assert len(doc.lines) == len(ref_lines(expected)) - (not expected or expected[-1] in "\r\n")


# -- the example of the issue, and the edges one by one ------------------------------------------

FORM_FEED_BEFORE = "import json\n\x0c\ndef f(s):\n    \n    return s\n"
FORM_FEED_AFTER = "import json\n\x0c\ndef f(s):\n    json.loads_fast(s)\n    return s\n"


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("separator", NOT_LINE_BREAKS)
def test_issue_22_edit_below_a_separator(encoding: str, separator: str) -> None:
    workspace = server_store(FORM_FEED_BEFORE.replace("\x0c", separator), encoding)
    workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=2), change((3, 4), (3, 4), "json.loads_fast(s)")
    )
    assert workspace.get_text_document(URI).source == FORM_FEED_AFTER.replace("\x0c", separator)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_crlf_is_one_line_ending_and_cr_alone_is_another(encoding: str) -> None:
    workspace = server_store("a\r\nb\rc", encoding)
    doc = workspace.get_text_document(URI)
    assert doc.lines == ("a\r\n", "b\r", "c")
    workspace.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=2), change((2, 0), (2, 0), "\n"))
    assert doc.source == "a\r\nb\r\nc"  # the new "\n" joins the "\r" into one line ending
    assert doc.lines == ("a\r\n", "b\r\n", "c")
    workspace.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=3), change((0, 9), (1, 0), "-"))
    assert doc.source == "a-b\r\nc"  # a column past the line stops before its "\r\n"


def test_out_of_range_and_backwards_changes_are_clamped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    workspace = server_store("ab\ncd", "utf-16")
    doc = workspace.get_text_document(URI)
    with caplog.at_level(logging.WARNING, logger="vetpy.lsp"):
        workspace.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=2), change((7, 3), (9, 0), "!"))
        assert doc.source == "ab\ncd!"
        workspace.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=3), change((1, 1), (0, 1), "-"))
        assert doc.source == "a-d!"
    messages = [r.getMessage() for r in caplog.records]
    assert any("outside the document" in m for m in messages), messages
    assert any("ends before it starts" in m for m in messages), messages


def test_a_column_inside_a_character_rounds_to_the_next_character() -> None:
    workspace = server_store("x😀y", "utf-16")
    workspace.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=2), change((0, 2), (0, 2), "|"))
    assert workspace.get_text_document(URI).source == "x😀|y"  # never half a surrogate pair
    workspace = server_store("xé😀y", "utf-8")
    workspace.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=2), change((0, 4), (0, 4), "|"))
    assert workspace.get_text_document(URI).source == "xé😀|y"


@pytest.mark.parametrize("with_handler", [False, True])
def test_the_protocol_replaces_pygls_workspace_at_initialize(with_handler: bool) -> None:
    """``initialize`` leaves an LspWorkspace (with the negotiated encoding and the folders) in
    place, before the server's own handler runs and when there is none."""
    server = LanguageServer("sync-test", "0", protocol_cls=LspLinesProtocol)
    seen: list[object] = []
    if with_handler:
        server.feature(types.INITIALIZE)(lambda ls, params: seen.append(ls.workspace))
    folder = types.WorkspaceFolder(uri="file:///sync", name="sync")
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(general=types.GeneralClientCapabilities(position_encodings=["utf-8"])),
        root_uri="file:///sync",
        workspace_folders=[folder],
    )
    steps = server.protocol.lsp_initialize(params)
    answer = None
    while True:
        try:
            handler, args, _ = steps.send(answer)
        except StopIteration as done:
            result = done.value
            break
        answer = handler(*args)
    assert result.capabilities.position_encoding == "utf-8"
    workspace = server.workspace
    assert isinstance(workspace, LspWorkspace)
    assert seen == ([workspace] if with_handler else [])
    assert workspace.position_encoding == "utf-8" and list(workspace.folders.values()) == [folder]
    assert workspace.root_uri == "file:///sync"
    workspace.put_text_document(types.TextDocumentItem(uri=URI, language_id="python", version=1, text="\x0c\n"))
    assert isinstance(workspace.get_text_document(URI), LspTextDocument)
