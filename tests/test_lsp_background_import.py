"""Edits while the introspection worker imports an installed package in the background.

An analysis in the language server never waits for the worker to import an installed package:
the question is deferred, the package imported in the background, the document analysed again.
A question about a package the worker *has* imported waited, though, while that same worker
imported another one (pandas: 6-13 s per edit on a loaded machine).  Here the slow package's
import blocks until the test creates a file, so how long it takes is the test's decision, never
the machine's: the edits' diagnostics must come while it is still blocked, hold nothing a whole
analysis would not report, and once it ends the published set must be the whole analysis's."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from lsprotocol import types

import lsp_support as S
from test_lsp_trust import fake_venv

pytestmark = pytest.mark.slow  # starts the server, an interpreter and the CLI

DEBUG = {"settings": {"logLevel": "debug", "debounceMs": 0}}
# Only stops a hang: without the fix, an edit's analysis waits for the blocked import (forever).
EDIT_HANG_SECONDS = 90.0

FAST = "def alpha():\n    return 1\n\n\ndef beta():\n    return 2\n"
SLOW = """import os
import time

_GATE = {gate!r}
open(_GATE + ".started", "w").close()
_until = time.monotonic() + 900  # only stops a hang: the test creates the gate
while not os.path.exists(_GATE) and time.monotonic() < _until:
    time.sleep(0.02)


def gamma():
    return 3
"""

V1 = "import fastpkg\n\n\ndef f():\n    return fastpkg.alpha() + fastpkg.alpah()\n"
V2 = (
    "import fastpkg\nimport slowpkg\n\n\n"
    "def f():\n    return fastpkg.alpha() + fastpkg.alpah()\n\n\n"
    "def g():\n    slowpkg.delta()  # vetpy: ignore[HAL003]\n    return slowpkg.gamma() + slowpkg.gamme()\n\n\n"
    "def h():\n    return fastpkg.beta()\n"
)
# The same lines, one definition changed: an incremental analysis on the version before, with a
# question about fastpkg (imported, the worker busy with slowpkg) that no answer is kept for.
V3 = V2.replace("return fastpkg.beta()\n", "return fastpkg.beta() + fastpkg.betta()\n")
V4 = V3.replace("return fastpkg.alpha() + fastpkg.alpah()", "return fastpkg.alpha() + fastpkg.alphb()")


def make_project(tmp_path: Path) -> tuple[Path, Path]:
    """A project whose .venv has `fastpkg` (imports at once) and `slowpkg` (blocks on the gate)."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        "[project]\nname = 'proj'\nversion = '0'\ndependencies = ['fastpkg', 'slowpkg']\n"
        # SYN003: a suppression of a finding whose question was deferred is not "unused"
        "[tool.vetpy]\nselect = ['HAL', 'SYN003']\nintrospection-timeout = 900\n"  # the blocked import is no hang
    )
    gate = tmp_path / "gate"
    fake_venv(root, {"fastpkg": FAST, "slowpkg": SLOW.format(gate=str(gate))})
    return root, gate


def cli_findings(root: Path, text: str, env: dict[str, str]) -> set[tuple[str, int, int, str]]:
    """What a whole analysis (`vetpy check`, no cache) reports for ``text`` in the same environment."""
    (root / "app.py").write_text(text)
    proc = subprocess.run(
        [sys.executable, "-m", "vetpy", "check", "--no-cache", "--output-format", "json", "app.py"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {(f["code"], f["line"], f["column"], f["message"]) for f in json.loads(proc.stdout)}


def as_findings(diagnostics: list[types.Diagnostic]) -> set[tuple[str, int, int, str]]:
    return {(str(d.code), d.range.start.line + 1, d.range.start.character + 1, d.message) for d in diagnostics}


def last_of(client: S.RecordingClient, uri: str, version: int) -> S.Published | None:
    ours = [p for p in client.published if p.uri == uri and p.version == version]
    return ours[-1] if ours else None


def statements_analysed(client: S.RecordingClient, uri: str, version: int) -> list[str]:
    return [m.message for m in client.log_messages if m.message.startswith(f"analysed {uri} version {version}:")]


async def current(client: S.RecordingClient, uri: str, version: int, timeout: float = S.HANG_SECONDS) -> set[tuple[str, int, int, str]]:
    """The findings of the document's current ``version``: pulled, or its last publication."""
    if client.pull:
        return as_findings(await S.diagnostics(client, uri, timeout))
    published = await S.wait_for(lambda: last_of(client, uri, version), timeout, f"the diagnostics of version {version}")
    return as_findings(published.diagnostics)


async def until(client: S.RecordingClient, uri: str, version: int, want: Callable[[set], bool], what: str) -> None:
    """Wait until the current ``version``'s findings satisfy ``want`` (a later analysis of it)."""
    deadline = time.monotonic() + S.HANG_SECONDS
    while not want(got := await current(client, uri, version)):
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {got}"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("profile", ["neovim", "vscode"])
async def test_edits_while_the_worker_imports_a_package_neither_wait_nor_say_more(tmp_path: Path, profile: str) -> None:
    root, gate = make_project(tmp_path)
    env = S.server_env(tmp_path, VETPY_WORKER_IDLE_SECONDS="0")  # the worker is never retired meanwhile
    started = Path(str(gate) + ".started")
    client = await S.start(profile, root, init_options=DEBUG, env=env)
    try:
        assert client.pull == (profile == "vscode")
        uri = S.open_doc(client, root / "app.py", V1)
        # fastpkg is imported in the background, then its attribute check is published
        await until(client, uri, 1, lambda got: "HAL003" in {f[0] for f in got}, "the check of fastpkg.alpah")
        S.change_doc(client, uri, V2)
        await current(client, uri, 2)
        await S.wait_for(started.exists, what="the background import of slowpkg")
        during: dict[int, set[tuple[str, int, int, str]]] = {}
        for version, text in ((3, V3), (4, V4)):
            assert S.change_doc(client, uri, text) == version
            during[version] = await current(client, uri, version, EDIT_HANG_SECONDS)
            assert not gate.exists()  # delivered while slowpkg's import is still blocked
        # the edits during the import were analysed incrementally (the edited definition and the
        # module code, not the other definitions), not whole
        for version in (3, 4):
            assert any("of 5 top-level statements, the others' findings kept)" in m
                       for m in statements_analysed(client, uri, version)), statements_analysed(client, uri, version)
        # each background import is said once: every such message names a path none before it did
        named: set[str] = set()
        for message in (m.message for m in client.log_messages if m.message.startswith("introspecting ")):
            paths = set(message.removeprefix("introspecting ").split(" in the background")[0].split(", "))
            assert paths - named, message
            named |= paths
        assert {"fastpkg", "slowpkg"} <= named
        gate.touch()
        whole_v3 = cli_findings(root, V3, env)
        whole_v4 = cli_findings(root, V4, env)
        for name in ("`alphb`", "`gamme`", "`betta`"):  # fastpkg's, and slowpkg's (needs its import)
            assert sum(f[0] == "HAL003" and f"attribute {name}" in f[3] for f in whole_v4) == 1, whole_v4
        assert len(whole_v4) == 3, whole_v4  # `delta` is suppressed, and its suppression used
        assert during[3] <= whole_v3 and during[4] <= whole_v4  # quieter, never louder
        await until(client, uri, 4, lambda got: got == whole_v4, "the whole analysis's findings once the import ended")
        if client.pull:
            assert client.diagnostic_refresh_count > 0  # the client was told to pull again
    finally:
        if not gate.exists():
            gate.touch()
        await S.stop(client)


async def test_a_package_imported_again_after_the_idle_worker_ended_is_logged_again(tmp_path: Path) -> None:
    """The log names each deferred path once per worker, not on every edit while an import lasts;
    once the idle worker is ended, its packages are imported again in the background, and said so."""
    root, _ = make_project(tmp_path)
    env = S.server_env(tmp_path, VETPY_WORKER_IDLE_SECONDS="1")

    def said() -> int:
        return sum(1 for m in client.log_messages
                   if m.message.startswith("introspecting fastpkg") and m.message.endswith("in the background; their attribute checks follow"))

    client = await S.start("neovim", root, init_options=DEBUG, env=env)
    try:
        uri = S.open_doc(client, root / "app.py", V1)
        await until(client, uri, 1, lambda got: "HAL003" in {f[0] for f in got}, "the check of fastpkg.alpah")
        assert said() == 1
        await S.wait_for(lambda: any("introspection worker was idle" in m.message for m in client.log_messages),
                         what="the idle worker's end")
        S.change_doc(client, uri, V1.replace("alpah", "alphx"))
        await until(client, uri, 2, lambda got: any("`alphx`" in f[3] for f in got), "the check of fastpkg.alphx")
        assert said() == 2
        # the version delivered first lacked what the import told: not a difference of reuse's making
        assert not any("differs from the incremental one" in m.message for m in client.log_messages)
    finally:
        await S.stop(client)
