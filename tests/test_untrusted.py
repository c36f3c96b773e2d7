"""Untrusted workspaces run nothing the workspace can choose (issue 24, docs/trust.md).

Specification.  In an untrusted workspace (VS Code's Restricted Mode, the ``trusted: false``
setting of any LSP client, ``vetpy check --untrusted``) vetpy must not start an executable that
the workspace can choose or replace, whichever way it names one:

- ``.venv/bin/python`` or ``venv/bin/python`` in the project,
- ``[tool.vetpy] python`` in the project's ``pyproject.toml``,
- ``VIRTUAL_ENV`` pointing inside the workspace (also inside the git work tree around it),
- an interpreter setting or ``--python`` that lies inside the workspace, also behind a link,
- a ``.venv`` next to a file opened outside every workspace folder;

and it must still report what a static check can: HAL002 for ``from json import loads_fast``,
HAL001 for ``import json.fast``.  Each "interpreter" below is a shell script that writes a marker
and then runs the real Python, so the control runs (trusted) show that each way really is taken
when trust is given: the marker appears.

The server is driven with the very payload the VS Code extension sends in Restricted Mode: the
extension's unit test (vscode-client/test/unit/settings.test.ts) builds it with the extension's
own code and compares it with vscode-client/test/fixtures/restricted-mode-initialization-options.json,
which is what these tests send.  If the two disagree on the shape, one of the two suites fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import lsp_support as S

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # subprocesses: the CLI and the language server

PAYLOAD = REPO / "vscode-client" / "test" / "fixtures" / "restricted-mode-initialization-options.json"
APP = "import json\nfrom json import loads_fast\nimport json.fast\n"


def marker_python(path: Path, marker: Path) -> Path:
    """An 'interpreter' that writes ``marker`` whenever it is run, then runs the real Python."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho ran >> "{marker}"\nexec "{sys.executable}" "$@"\n')
    path.chmod(0o755)
    return path


@dataclass
class Way:
    """One way for a workspace to name an interpreter."""

    name: str
    # (project root, marker) -> (extra CLI arguments, extra environment, interpreter setting)
    setup: Callable[[Path, Path], tuple[list[str], dict[str, str], str | None]]


def _dot_venv(root: Path, marker: Path):
    marker_python(root / ".venv" / "bin" / "python", marker)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return [], {}, None


def _venv(root: Path, marker: Path):
    marker_python(root / "venv" / "bin" / "python", marker)
    return [], {}, None


def _pyproject_python(root: Path, marker: Path):
    marker_python(root / "tools" / "py", marker)
    with (root / "pyproject.toml").open("a") as f:
        f.write('\n[tool.vetpy]\npython = "tools/py"\n')
    return [], {}, None


def _virtual_env(root: Path, marker: Path):
    marker_python(root / "env" / "bin" / "python", marker)
    return [], {"VIRTUAL_ENV": str(root / "env")}, None


def _virtual_env_in_the_repository(root: Path, marker: Path):
    """The project is a sub-folder of a git work tree whose top holds the environment."""
    top = root.parent
    (top / ".git").mkdir()
    marker_python(top / "env" / "bin" / "python", marker)
    return [], {"VIRTUAL_ENV": str(top / "env")}, None


def _explicit_inside(root: Path, marker: Path):
    python = marker_python(root / "bin" / "py", marker)
    return ["--python", str(python)], {}, str(python)


def _link_to_inside(root: Path, marker: Path):
    python = marker_python(root / "bin" / "py", marker)
    link = root.parent / "elsewhere" / "python"
    link.parent.mkdir()
    link.symlink_to(python)
    return ["--python", str(link)], {}, str(link)


WAYS = [
    Way(".venv", _dot_venv),
    Way("venv", _venv),
    Way("[tool.vetpy] python", _pyproject_python),
    Way("VIRTUAL_ENV", _virtual_env),
    Way("VIRTUAL_ENV in the git work tree", _virtual_env_in_the_repository),
    Way("explicit interpreter inside", _explicit_inside),
    Way("link to an interpreter inside", _link_to_inside),
]


def project(tmp_path: Path, way: Way) -> tuple[Path, Path, list[str], dict[str, str], str | None]:
    parent = tmp_path / "repo"
    parent.mkdir()
    root = S.new_project(parent)
    (root / "app.py").write_text(APP)
    marker = tmp_path / "MARKER"
    args, env, setting = way.setup(root, marker)
    return root, marker, args, env, setting


def base_env(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PRE_COMMIT")}
    env["VETPY_CACHE_DIR"] = str(tmp_path / "cache")
    env.update(extra)
    return env


def run_check(root: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vetpy", "check", *args, "."], cwd=root, env=env, capture_output=True, text=True,
        timeout=300,
    )


# -- the command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS, ids=[w.name for w in WAYS])
def test_check_untrusted_runs_no_interpreter_of_the_workspace(tmp_path: Path, way: Way) -> None:
    root, marker, args, extra, _ = project(tmp_path, way)
    proc = run_check(root, ["--untrusted", *args], base_env(tmp_path, extra))
    assert not marker.exists(), proc.stdout + proc.stderr
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "untrusted workspace" in proc.stdout.splitlines()[0]  # the header says so
    assert "HAL002 `json` in the standard library" in proc.stdout and "`loads_fast`" in proc.stdout
    assert "HAL001 module `json` (the standard library" in proc.stdout  # json.fast, decided on disk


@pytest.mark.parametrize("way", WAYS, ids=[w.name for w in WAYS])
def test_control_a_trusted_check_does_run_that_interpreter(tmp_path: Path, way: Way) -> None:
    root, marker, args, extra, _ = project(tmp_path, way)
    proc = run_check(root, args, base_env(tmp_path, extra))
    assert marker.exists(), proc.stdout + proc.stderr
    assert proc.returncode == 1


def test_check_untrusted_uses_a_user_interpreter_outside_the_workspace(tmp_path: Path) -> None:
    """``--python`` outside the project is the user's own choice: it is used, for static checks."""
    root = S.new_project(tmp_path)
    (root / "app.py").write_text(APP)
    marker = tmp_path / "MARKER"
    python = marker_python(tmp_path / "mine" / "bin" / "python", marker)
    proc = run_check(root, ["--untrusted", "--python", str(python)], base_env(tmp_path, {}))
    assert marker.read_text().count("ran") == 1  # the environment probe only: no introspection
    header = proc.stdout.splitlines()[0]
    assert str(python) in header and "untrusted workspace, introspection off" in header
    assert "`loads_fast`" in proc.stdout


# -- the language server ---------------------------------------------------------------------------


def restricted_payload(folder: Path, home: Path) -> dict:
    """What the VS Code extension sends in Restricted Mode (see the module docstring)."""
    text = PAYLOAD.read_text()
    text = text.replace("${FOLDER_URI}", folder.as_uri()).replace("${FOLDER}", str(folder)).replace("${HOME}", str(home))
    return json.loads(text)


def trusted_payload(folder: Path, home: Path) -> dict:
    payload = restricted_payload(folder, home)
    for entry in [*payload["settings"], payload["globalSettings"]]:
        entry["trusted"] = True
        entry.pop("introspection", None)
    return payload


async def session(root: Path, payload: dict, env: dict[str, str], files: dict[Path, str]) -> dict[Path, list[str]]:
    """Open ``files`` in a VS Code-like session; the codes published for each."""
    client = await S.start("vscode", root, init_options=payload, configuration=payload["settings"][0], env=env)
    try:
        out = {}
        for path, text in files.items():
            uri = S.open_doc(client, path, text)
            out[path] = sorted(str(d.code) for d in await S.diagnostics(client, uri, timeout=120))
        return out
    finally:
        await S.stop(client)


@pytest.mark.parametrize("trusted", [False, True], ids=["restricted", "control-trusted"])
@pytest.mark.parametrize("way", WAYS, ids=[w.name for w in WAYS])
def test_server_in_restricted_mode_runs_no_interpreter_of_the_workspace(tmp_path: Path, way: Way, trusted: bool) -> None:
    root, marker, _, extra, setting = project(tmp_path, way)
    payload = (trusted_payload if trusted else restricted_payload)(root, tmp_path / "home")
    if setting is not None:  # a client that sends an interpreter inside the workspace
        payload["settings"][0]["interpreter"] = [setting]
    codes = asyncio.run(session(root, payload, base_env(tmp_path, extra), {root / "app.py": APP}))
    assert marker.exists() is trusted
    assert "HAL002" in codes[root / "app.py"] and "HAL001" in codes[root / "app.py"]


def test_server_restricted_file_outside_every_folder_does_not_run_the_venv_beside_it(tmp_path: Path) -> None:
    """Global ``trusted: false`` covers a file opened outside the workspace folders too."""
    root = S.new_project(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text("[project]\nname = 'other'\nversion = '0'\n")
    marker = tmp_path / "MARKER"
    marker_python(other / ".venv" / "bin" / "python", marker)
    payload = restricted_payload(root, tmp_path / "home")
    codes = asyncio.run(session(root, payload, base_env(tmp_path, {}), {other / "app.py": APP}))
    assert not marker.exists()
    assert "HAL002" in codes[other / "app.py"]


def test_server_restricted_mode_is_reported_by_show_environment(tmp_path: Path) -> None:
    root = S.new_project(tmp_path)
    marker = tmp_path / "MARKER"
    marker_python(root / ".venv" / "bin" / "python", marker)

    async def run() -> dict:
        client = await S.start("vscode", root, init_options=restricted_payload(root, tmp_path), env=base_env(tmp_path, {}))
        try:
            uri = S.open_doc(client, root / "app.py", APP)
            await S.diagnostics(client, uri, timeout=120)
            from lsprotocol import types

            return await client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="vetpy.showEnvironment", arguments=[uri])
            )
        finally:
            await S.stop(client)

    report = asyncio.run(run())
    project_report = report["projects"][0]
    assert project_report["trusted"] is False
    assert "untrusted workspace" in project_report["reason"]
    assert any("untrusted workspace" in p for p in project_report["problems"])
    assert not marker.exists()


def test_the_trusted_setting_must_be_a_boolean() -> None:
    from vetpy.lsp.settings import parse_settings

    problems: list[str] = []
    assert parse_settings({"trusted": False}, "s", problems).trusted is False
    assert parse_settings({"trusted": "no"}, "s", problems).trusted is None
    assert problems == ["s.trusted: expected true or false; ignored"]


@pytest.mark.parametrize("how", ["workspace/configuration", "initializationOptions"])
def test_neovim_shaped_trusted_false_is_enforced(tmp_path: Path, how: str) -> None:
    """docs/neovim.md: ``settings = { vetpy = { trusted = false } }`` (a configuration answer), or
    the flat ``initializationOptions`` of other clients."""
    root, marker, _, extra, _ = project(tmp_path, WAYS[0])

    async def run() -> list[str]:
        flat = {"trusted": False}
        client = await S.start(
            "neovim", root,
            init_options={"settings": flat} if how == "initializationOptions" else None,
            configuration=flat if how == "workspace/configuration" else None,
            env=base_env(tmp_path, extra),
        )
        try:
            uri = S.open_doc(client, root / "app.py", APP)
            return sorted(str(d.code) for d in await S.diagnostics(client, uri, timeout=120))
        finally:
            await S.stop(client)

    codes = asyncio.run(run())
    assert not marker.exists()
    assert "HAL002" in codes
