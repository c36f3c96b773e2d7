"""`vetpy serve` publishes the findings that need no environment before the environment is
read (the probe of the project's interpreter takes seconds on a cold start), then the full set
for the same version; a finding in both is never published twice in one set."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import lsp_support as S

pytestmark = pytest.mark.slow  # a server process

# SEC003 (eval of input) and EDGE011 (max() of a filter that may be empty) need no environment; HAL002
# (a name json does not have) needs the interpreter's standard library.
TEXT = (
    "from json import loads_fast\n"
    "\n"
    "\n"
    "def run(seen):\n"
    "    top = max(s for s in seen if s > 1)\n"
    "    return eval(input()), loads_fast('1'), top\n"
)


def gated_interpreter(project: Path, gate: Path) -> Path:
    """An interpreter that starts only once ``gate`` exists: the environment probe (and anything
    else that runs it) waits for the test."""
    wrapper = project / "gated-python"
    wrapper.write_text(f'#!/bin/sh\nwhile [ ! -e "{gate}" ]; do sleep 0.05; done\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def keys(published: S.Published) -> list[tuple[object, int, int]]:
    return [(d.code, d.range.start.line, d.range.start.character) for d in published.diagnostics]


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell wrapper")
async def test_static_findings_come_before_the_environment_then_the_full_set(tmp_path: Path) -> None:
    project = S.new_project(tmp_path)
    gate = tmp_path / "gate"
    python = gated_interpreter(project, gate)
    options = {"settings": {"interpreter": str(python), "debounceMs": 0}}
    client = await S.start("neovim", project, init_options=options)  # push diagnostics
    try:
        uri = S.open_doc(client, project / "app.py", TEXT)
        first = await S.wait_for(
            lambda: next((p for p in client.published if p.uri == uri), None), timeout=120, what="the static findings"
        )
        assert not gate.exists()  # the environment probe is still waiting
        assert first.version == 1
        assert sorted(d.code for d in first.diagnostics) == ["EDGE011", "SEC003"]
        gate.touch()
        full = await S.wait_for(
            lambda: next((p for p in client.published if p.uri == uri and len(p.diagnostics) == 3), None),
            what="the full set",
        )
        assert full.version == 1
        assert sorted(d.code for d in full.diagnostics) == ["EDGE011", "HAL002", "SEC003"]
        ours = [p for p in client.published if p.uri == uri]
        for published in ours:
            assert len(set(keys(published))) == len(keys(published))  # never one finding twice
        # every publication is of version 1; the static findings are in each of them (no flicker)
        assert {p.version for p in ours} == {1}
        assert all(set(keys(first)) <= set(keys(p)) for p in ours)
        assert ours[-1].diagnostics == full.diagnostics
    finally:
        gate.touch()
        await S.stop(client)


async def test_a_project_whose_environment_is_ready_publishes_the_full_set_first(tmp_path: Path) -> None:
    """Once the environment is read, no static pass runs first: a document's first publication
    is its full set."""
    project = S.new_project(tmp_path)
    client = await S.start("neovim", project, init_options={"settings": {"debounceMs": 0}})
    try:
        first_uri = S.open_doc(client, project / "first.py", TEXT)
        await S.wait_for(
            lambda: any(p.uri == first_uri and len(p.diagnostics) == 3 for p in client.published), what="the full set"
        )
        uri = S.open_doc(client, project / "second.py", TEXT)
        await S.wait_for(lambda: any(p.uri == uri for p in client.published), what="the second document")
        first = next(p for p in client.published if p.uri == uri)
        assert sorted(d.code for d in first.diagnostics) == ["EDGE011", "HAL002", "SEC003"]
    finally:
        await S.stop(client)
