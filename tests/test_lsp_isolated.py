"""Big documents are analysed in a child process (issue 23.3): same findings as ``vetpy check``,
nothing of the document kept in the server, a newer version supersedes a running child, and a
child that fails leaves one information diagnostic, never a hang.  Over real stdio, with the
isolation threshold lowered to a few kilobytes so that the documents stay small."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import lsp_support as S
from vetpy.cli import check_one
from vetpy.project import build_context

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

THRESHOLD = 4000
BODY = """import json
from json import loads_fast
import requests


def fetch(url):
    try:
        return requests.get(url)
    except:
        pass
"""


def big(extra: str = "") -> str:
    """A module of more than THRESHOLD bytes with a HAL002 and an EDGE003 finding (and a bare except:
    EDGE001, which only projects that select it see)."""
    filler = "".join(f"VALUE_{i} = {i}\n" for i in range(THRESHOLD // 12))
    return BODY + extra + filler


def server_env(tmp_path: Path) -> dict[str, str]:
    return S.server_env(tmp_path, VETPY_LSP_ISOLATE_BYTES=str(THRESHOLD))


def expected(project: Path, name: str, text: str) -> list[tuple[int, str]]:
    """What ``vetpy check`` reports for ``text`` as ``project/name`` (same interpreter)."""
    path = project / name
    path.write_text(text)
    setup = build_context(project, python=sys.executable)
    try:
        return sorted((f.line, f.code) for f in check_one(path, setup.ctx) if f.code != "SYN002")
    finally:
        if setup.ctx.members is not None:
            setup.ctx.members.close()


@pytest.mark.parametrize("profile", ["neovim", "vscode"])
async def test_a_big_document_gets_the_findings_of_vetpy_check(tmp_path: Path, profile: str) -> None:
    project = S.new_project(tmp_path)
    client = await S.start(
        profile, project,
        init_options={"settings": {"debounceMs": 0, "logLevel": "debug", "interpreter": sys.executable}},
        env=server_env(tmp_path),
    )
    try:
        text = big()
        uri = S.open_doc(client, project / "big.py", text)
        got = sorted((d.range.start.line + 1, str(d.code)) for d in await S.diagnostics(client, uri))
        want = expected(project, "big_copy.py", text)
        assert {code for _, code in want} >= {"HAL002", "EDGE003"}
        assert got == want
        logged = [m.message for m in client.log_messages if "in a child process" in m.message]
        assert any("big.py" in m for m in logged), client.log_messages

        # a small document beside it is analysed in the server as before
        small = S.open_doc(client, project / "small.py", BODY)
        assert sorted(str(d.code) for d in await S.diagnostics(client, small)) == sorted(
            code for _, code in expected(project, "small_copy.py", BODY)
        )

        # an edit: the final diagnostics are those of the final text
        new_text = big("\nfrom json import dumps_fast\n")
        S.change_doc(client, uri, new_text)
        got = sorted((d.range.start.line + 1, str(d.code)) for d in await S.diagnostics(client, uri))
        assert got == expected(project, "big_copy2.py", new_text)
    finally:
        await S.stop(client)


async def test_many_quick_edits_of_a_big_document_end_with_the_last_text(tmp_path: Path) -> None:
    project = S.new_project(tmp_path)
    client = await S.start(
        "neovim", project,
        init_options={"settings": {"debounceMs": 0, "interpreter": sys.executable}},
        env=server_env(tmp_path),
    )
    try:
        uri = S.open_doc(client, project / "big.py", big())
        for i in range(15):  # each edit supersedes the child still analysing the last one
            S.change_doc(client, uri, big(f"\nfrom json import gone_{i}\n"))
        final = big("\nfrom json import the_last_one\n")
        S.change_doc(client, uri, final)
        got = sorted((d.range.start.line + 1, str(d.code)) for d in await S.diagnostics(client, uri))
        assert got == expected(project, "final_copy.py", final)
        assert client.messages == []
    finally:
        await S.stop(client)
