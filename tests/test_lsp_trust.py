"""Trust in an editor session: the user's code never runs; untrusted workspaces run nothing.

Every file of the test project writes a marker when imported (conftest.py, setup.py, the
package's __init__.py, a local module); a full editor session (initialize, open every file,
edits, hover, code actions, showEnvironment, shutdown) must leave no marker.  The VS Code client
sends ``introspection: false`` for an untrusted workspace (see vscode/ and lsp/settings.py); with
it, an installed third-party package whose import writes a marker is never imported, while with
introspection on the same package is imported (the control that shows the test can fail).
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import lsp_support as S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from lsp_soak import RawServer, descendants, server_env  # noqa: E402

import pytest

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples


def marker_code(markers: Path, name: str) -> str:
    return f"open({str(markers / name)!r}, 'w').write('ran')\n"


def fake_venv(root: Path, packages: dict[str, str]) -> Path:
    """``root/.venv`` with ``packages`` (name -> source of its ``__init__.py``) installed as
    distributions; returns the site-packages directory."""
    venv = root / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / f"python{sysconfig.get_python_version()}" / "site-packages"
    for name, source in packages.items():
        (site / name).mkdir()
        (site / name / "__init__.py").write_text(source)
        info = site / f"{name}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        (info / "top_level.txt").write_text(f"{name}\n")
        (info / "RECORD").write_text(f"{name}/__init__.py,,\n")
    return site


def test_editor_session_runs_no_project_code(tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    root = S.new_project(tmp_path)
    files = {
        "conftest.py": marker_code(markers, "conftest") + "import pytest\n",
        "setup.py": marker_code(markers, "setup") + "from setuptools import setup\nsetup(name='proj')\n",
        "localpkg/__init__.py": marker_code(markers, "init") + "from .helpers import helper\n",
        "localpkg/helpers.py": marker_code(markers, "helpers") + "def helper() -> int:\n    return 1\n",
        "app.py": (
            "import json\nimport conftest\nimport setup\nimport localpkg\nfrom localpkg import helpers, helper\n"
            "from localpkg.helpers import not_there\nfrom json import loads_fast\n"
            "localpkg.nothing()\nhelpers.helper()\nsetup.setup()\n"
        ),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    server = RawServer(root, server_env(tmp_path / "vetpy-cache"))
    try:
        server.initialize()
        uris = {name: server.open(name, text) for name, text in files.items()}
        app = server.published(uris["app.py"], 1, timeout=240)["diagnostics"]
        assert ("HAL002", 6) in {(d["code"], d["range"]["start"]["line"]) for d in app}  # loads_fast
        for name, uri in uris.items():
            server.published(uri, 1, timeout=240)
            server.change(uri, 2, files[name] + "\nimport localpkg.helpers\nlocalpkg.helpers.helper()\n")
            server.published(uri, 2, timeout=240)
            for line in range(4):
                server.hover(uri, line, 9)
            server.response(server.request("textDocument/codeAction", {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
                "context": {"diagnostics": app if name == "app.py" else []},
            }))
        env = server.response(server.request("workspace/executeCommand", {"command": "vetpy.showEnvironment", "arguments": [uris["app.py"]]}))
        assert env["result"]["projects"][0]["root"] == str(root.resolve())
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()
    assert sorted(p.name for p in markers.iterdir()) == []


def untrusted_session(tmp_path: Path, introspection: bool) -> tuple[list[str], int]:
    """(markers written, subprocesses alive after the diagnostics) for a session on a project
    whose .venv has a package that writes a marker when imported."""
    markers = tmp_path / "markers"
    markers.mkdir()
    root = S.new_project(tmp_path)
    fake_venv(root, {"evilpkg": marker_code(markers, "evilpkg") + "def real() -> int:\n    return 1\n"})
    text = "import evilpkg\nfrom evilpkg import missing_name\nevilpkg.real()\nevilpkg.not_real()\nfrom json import loads_fast\n"
    server = RawServer(root, server_env(tmp_path / "vetpy-cache"))
    try:
        server.initialize({"introspection": introspection})
        uri = server.open("app.py", text)
        server.published(uri, 1, timeout=240)  # diagnostics arrive either way
        server.hover(uri, 2, 9)
        alive = len(descendants(server.proc.pid))
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()
    return sorted(p.name for p in markers.iterdir()), alive


def test_untrusted_workspace_imports_nothing(tmp_path: Path) -> None:
    assert untrusted_session(tmp_path, introspection=False) == ([], 0)


def test_trusted_workspace_does_introspect(tmp_path: Path) -> None:
    """The control: with introspection on, the same package is imported by the worker."""
    written, alive = untrusted_session(tmp_path, introspection=True)
    assert written == ["evilpkg"] and alive == 2  # the workers for installed packages and for the stdlib
