"""A `pip install` into the project's real virtual environment changes the diagnostics of open
documents without a restart: through the editor's file watcher (VS Code-like client) or through
the server's own poll of site-packages (Neovim-like client, no dynamic file watching)."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lsprotocol import types

import lsp_support as S

PKG = "vetpy_fixture_pkg"


def build_wheel(directory: Path, name: str = PKG, version: str = "0.1") -> Path:
    """A minimal, valid pure-Python wheel (no network needed to install it)."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}.py": "VALUE = 1\n",
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: vetpy-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{dist_info}/top_level.txt": f"{name}\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = "\n".join(record) + "\n"
    wheel = directory / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, text in files.items():
            zf.writestr(path, text)
    return wheel


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["vscode", "neovim"])
async def test_pip_install_refreshes_diagnostics(tmp_path: Path, profile: str) -> None:
    root = S.new_project(tmp_path)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    venv_python = root / ".venv" / "bin" / "python"
    wheel = build_wheel(tmp_path)
    # VS Code-like: only the editor's watcher can tell the server (poll disabled); Neovim: the poll
    poll = "0" if profile == "vscode" else "0.3"
    env = S.server_env(tmp_path, VETPY_LSP_POLL_SECONDS=poll)
    client = await S.start(profile, root, init_options={"settings": {"logLevel": "debug", "debounceMs": 0}}, env=env)
    try:
        uri = S.open_doc(client, root / "app.py", f"import {PKG}\nprint({PKG}.VALUE)\n")
        diags = await S.diagnostics(client, uri)
        assert [d.code for d in diags] == ["HAL001"], diags
        assert str(venv_python) in diags[0].message

        published = len(client.published)
        refreshes = client.diagnostic_refresh_count
        subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(venv_python), "install", "-q", "--no-index",
             "--disable-pip-version-check", str(wheel)],
            check=True,
        )
        site = next((root / ".venv" / "lib").glob("python3*/site-packages"))
        assert (site / f"{PKG}.py").exists()
        if profile == "vscode":
            await S.wait_for(lambda: client.registrations, what="watcher registration")
            client.workspace_did_change_watched_files(
                types.DidChangeWatchedFilesParams(
                    changes=[types.FileEvent(uri=(site / f"{PKG}.py").as_uri(), type=types.FileChangeType.Created)]
                )
            )
            await S.wait_for(lambda: client.diagnostic_refresh_count > refreshes, what="diagnostic refresh")
            # until the re-read environment's first complete analysis (the package's question is
            # asked of the worker in the background first), the client keeps what it shows
            # (tests/test_lsp_no_flicker.py); a refresh follows that analysis
            if await S.diagnostics(client, uri) != []:
                await S.wait_for(lambda: client.diagnostic_refresh_count > refreshes + 1, what="the second refresh")
                assert await S.diagnostics(client, uri) == []
        else:
            await S.wait_for(
                lambda: len(client.published) > published and client.published[-1].diagnostics == [],
                what="diagnostics cleared after pip install",
            )
        assert any("environment re-read" in m.message for m in client.log_messages)
    finally:
        await S.stop(client)
