"""A document's published diagnostics never go through a partial result without an edit.

An analysis that cannot ask every question it has (the introspection worker has not imported an
installed package yet: the question is deferred, :class:`vetpy.resolve.members.DeferringMembers`)
finds fewer findings than a whole one, and the server analyses the same version again once the
package is imported.  For a version whose diagnostics were already published, publishing that
partial result made the findings of the deferred questions vanish and come back without an edit
(squiggles flickering): after every environment re-read (a package upgraded, ``vetpy.restart``,
a watched file changed) the new member index has imported nothing yet.  Here a package's version
changes on disk (its members do not) and the environment is re-read: every publication of the
unedited version must hold its finding.  No timing decides the outcome: the new index defers the
question whatever the machine's load (a new version is a new cache key, nothing imported yet)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

import lsp_support as S
from test_lsp_trust import fake_venv

pytestmark = pytest.mark.slow  # a server process, an interpreter

PKG = "def alpha():\n    return 1\n"
TEXT = "import fastpkg\n\n\ndef f():\n    return fastpkg.alpha() + fastpkg.alpah()\n"
DEBUG = {"settings": {"logLevel": "debug", "debounceMs": 0}}


def introspected(client: S.RecordingClient) -> int:
    return sum(1 for m in client.log_messages if m.message.startswith("introspecting fastpkg"))


@pytest.mark.parametrize("profile", ["neovim", "vscode"])
async def test_a_re_read_environment_never_publishes_a_partial_result(tmp_path: Path, profile: str) -> None:
    root = S.new_project(tmp_path)
    (root / "pyproject.toml").write_text(
        "[project]\nname = 'proj'\nversion = '0'\ndependencies = ['fastpkg']\n[tool.vetpy]\nselect = ['HAL']\n"
    )
    site = fake_venv(root, {"fastpkg": PKG})
    env = S.server_env(tmp_path, VETPY_WORKER_IDLE_SECONDS="0")
    client = await S.start(profile, root, init_options=DEBUG, env=env)
    try:
        uri = S.open_doc(client, root / "app.py", TEXT)

        async def findings() -> list[str]:
            return sorted(str(d.code) for d in await S.diagnostics(client, uri))

        # the first analysis defers fastpkg's question (nothing imported yet), the next one has it
        await S.wait_for(lambda: introspected(client) == 1, what="the background import of fastpkg")
        while await findings() != ["HAL003"]:
            await asyncio.sleep(0.05)
        before, analysed = len(client.published), S.analysed_count(client, uri)
        # fastpkg 1.0 -> 1.1 (the same members): a new cache key, imported by no worker yet
        old = site / "fastpkg-1.0.dist-info"
        (old / "METADATA").write_text("Metadata-Version: 2.1\nName: fastpkg\nVersion: 1.1\n")
        old.rename(site / "fastpkg-1.1.dist-info")
        await client.workspace_execute_command_async(types.ExecuteCommandParams(command="vetpy.restart"))
        told = []  # what the client is told of the unedited version 1 from now on
        if client.pull:  # pulled at once: answered from the re-read's first analysis (deferred)
            told.append(await findings())
        # that analysis deferred fastpkg's question; the worker imported it; the whole analysis
        await S.wait_for(lambda: introspected(client) == 2, what="fastpkg imported again after the re-read")
        await S.wait_for(lambda: S.analysed_count(client, uri) >= analysed + 2, what="the analysis after the import")
        told.append(await findings())
        await S.stop(client)  # every publication sent before the shutdown answer has arrived
        told += [sorted(str(d.code) for d in p.diagnostics) for p in client.published[before:] if p.uri == uri]
        assert all(codes == ["HAL003"] for codes in told), told
        assert all(p.version == 1 for p in client.published)
    except BaseException:
        print("\n".join(m.message for m in client.log_messages))
        print([(p.version, [d.code for d in p.diagnostics]) for p in client.published])
        if not client.stopped:
            await S.stop(client)
        raise
