"""Open documents over ``max-file-size`` are not analysed in the editor either (like ``vetpy
check``): one information diagnostic says why, the server never hangs on them, and every other
document is still served.  Over real stdio with pytest-lsp, in both client profiles."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lsprotocol import types

import lsp_support as S

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

HALLUCINATED = "import json\nfrom json import loads_fast\n"


def padded(size: int) -> str:
    """A valid module of exactly ``size`` UTF-8 bytes that would have one HAL002 finding."""
    head = HALLUCINATED + "# "
    return head + "x" * (size - len(head) - 1) + "\n"


@pytest.mark.parametrize("profile", ["neovim", "vscode"])
async def test_documents_over_the_configured_limit(tmp_path: Path, profile: str) -> None:
    project = S.new_project(tmp_path)
    limit = 4096
    client = await S.start(profile, project, init_options={"settings": {"debounceMs": 0, "maxFileSize": limit}})
    try:
        at_limit = S.open_doc(client, project / "at_limit.py", padded(limit))
        assert [d.code for d in await S.diagnostics(client, at_limit)] == ["HAL002"]  # the limit itself is allowed

        big = S.open_doc(client, project / "big.py", padded(limit + 1))
        diags = await S.diagnostics(client, big)
        assert len(diags) == 1, diags
        (diag,) = diags
        assert diag.code == "SYN002" and diag.severity == types.DiagnosticSeverity.Information
        assert diag.message.startswith("vetpy did not check this file: too large to check")
        assert "max-file-size" in diag.message
        assert diag.range.start == types.Position(line=0, character=0)
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=big), position=types.Position(line=0, character=8))
        )
        assert hover is None  # no analysis for hover either

        # non-ASCII text counts in UTF-8 bytes, not characters: 1,500 x "é" is 3,000 bytes
        wide = S.open_doc(client, project / "wide.py", padded(limit - 2000) + "# " + "é" * 1500 + "\n")
        assert [d.code for d in await S.diagnostics(client, wide)] == ["SYN002"]

        # shrinking it under the limit analyses it again; the log says once why it was skipped
        S.change_doc(client, big, HALLUCINATED)
        assert [d.code for d in await S.diagnostics(client, big)] == ["HAL002"]
        skipped = [m.message for m in client.log_messages if "is not analysed" in m.message]
        assert len([m for m in skipped if "big.py" in m]) == 1, skipped
        assert client.messages == []  # never a pop-up
    finally:
        await S.stop(client)


async def test_a_ten_megabyte_document_with_the_default_limit(tmp_path: Path) -> None:
    """10 MB on one line: analysing it took minutes and gigabytes (robustness.md, case 5)."""
    project = S.new_project(tmp_path)
    client = await S.start("neovim", project, init_options={"settings": {"debounceMs": 0}})
    try:
        huge = S.open_doc(client, project / "huge.py", "x = [" + "1, " * 3_500_000 + "]\n")
        small = S.open_doc(client, project / "small.py", HALLUCINATED)
        started = time.monotonic()
        diags = await S.diagnostics(client, huge, timeout=240)
        print(f"\n10 MB document: information diagnostic after {time.monotonic() - started:.2f} s")
        assert [(d.code, d.severity) for d in diags] == [("SYN002", types.DiagnosticSeverity.Information)]
        assert "(10.0 MiB; the limit is 2 MiB" in diags[0].message
        assert [d.code for d in await S.diagnostics(client, small)] == ["HAL002"]
        # an edit of the huge document gets its own (same) answer for the new version
        S.change_doc(client, huge, "x = [" + "2, " * 3_500_000 + "]\n")
        assert [d.code for d in await S.diagnostics(client, huge, timeout=240)] == ["SYN002"]
    finally:
        await S.stop(client)


async def test_the_limit_is_a_setting_of_the_project_too(tmp_path: Path) -> None:
    """``[tool.vetpy] max-file-size`` applies in the editor as on the command line; SYN002 can be
    ignored like any code (then nothing is published for the document)."""
    project = S.new_project(tmp_path)
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'proj'\nversion = '0'\n\n[tool.vetpy]\nmax-file-size = 100\nignore = ['SYN002']\n"
    )
    client = await S.start("neovim", project, init_options={"settings": {"debounceMs": 0}})
    try:
        uri = S.open_doc(client, project / "app.py", padded(101))
        assert await S.diagnostics(client, uri) == []
        await S.wait_for(lambda: any("is not analysed" in m.message for m in client.log_messages), what="log line")
    finally:
        await S.stop(client)
