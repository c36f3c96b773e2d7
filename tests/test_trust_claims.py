"""What runs code, with introspection on and off, trusted or not, through the CLI and the server
(issue 23 item 7; the table in docs/trust.md "What runs code: the matrix" is this test).

Specification.  The target environment is the project's own ``.venv`` (a real virtual
environment).  In its site-packages:

- ``sitecustomize.py`` and a ``.pth`` file with an ``import`` line: Python runs them whenever
  that interpreter starts, so they run as soon as vetpy asks the interpreter anything (the
  environment probe), with introspection on or off; in an untrusted workspace the interpreter
  is not started, so they do not run;
- an installed package ``shadowed`` whose ``__init__`` writes a marker, and the project has a
  module of the same name (``shadowed/__init__.py``, writing another marker): the project's
  module wins for the project's imports (it is first-party), so the installed one is not
  introspected either, and the project's module never runs in any mode;
- an installed package ``markerpkg`` the project imports: introspection imports it (that is what
  introspection is), introspection off or untrusted never does.

Each cell of the matrix below is asserted for both fronts.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

import lsp_support as S
from test_lsp_trust import fake_venv

pytestmark = pytest.mark.slow

APP = "import json\nimport shadowed\nimport markerpkg\nmarkerpkg.not_there()\nshadowed.nothing()\nfrom json import loads_fast\n"

# mode -> the markers that must exist afterwards (and no other)
MATRIX = {
    "introspection on": {"sitecustomize", "pth", "markerpkg"},
    "introspection off": {"sitecustomize", "pth"},
    "untrusted": set(),
}


def marker_line(markers: Path, name: str) -> str:
    return f"open({str(markers / name)!r}, 'a').write('ran')\n"


def build(tmp_path: Path, mode: str) -> tuple[Path, Path]:
    markers = tmp_path / "markers"
    markers.mkdir()
    root = S.new_project(tmp_path)
    if mode == "introspection off":
        with (root / "pyproject.toml").open("a") as f:
            f.write("\n[tool.vetpy]\nintrospection = false\n")
    (root / "app.py").write_text(APP)
    (root / "shadowed").mkdir()
    (root / "shadowed" / "__init__.py").write_text(marker_line(markers, "project-shadowed"))
    site = fake_venv(root, {
        "shadowed": marker_line(markers, "installed-shadowed"),
        "markerpkg": marker_line(markers, "markerpkg") + "def real():\n    return 1\n",
    })
    (site / "sitecustomize.py").write_text(marker_line(markers, "sitecustomize"))
    (site / "zz_hook.pth").write_text("import os; " + marker_line(markers, "pth"))
    return root, markers


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["VETPY_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def via_cli(root: Path, mode: str, env: dict[str, str]) -> str:
    args = ["--untrusted"] if mode == "untrusted" else []
    proc = subprocess.run([sys.executable, "-m", "vetpy", "check", *args, "."], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return proc.stdout


def via_server(root: Path, mode: str, env: dict[str, str]) -> str:
    async def run() -> str:
        options = {"settings": {"trusted": False}} if mode == "untrusted" else None
        client = await S.start("neovim", root, init_options=options, env=env)
        try:
            uri = S.open_doc(client, root / "app.py", APP)
            found = await S.diagnostics(client, uri)
            if mode == "introspection on":  # the attribute checks follow the cold import
                found = await S.wait_for(
                    lambda: next((p.diagnostics for p in reversed(client.published)
                                  if p.uri == uri and any(d.code == "HAL003" for d in p.diagnostics)), None),
                    what="the HAL003 finding after the worker imported markerpkg",
                )
            return "\n".join(f"{d.code} {d.message}" for d in found)
        finally:
            await S.stop(client)

    return asyncio.run(run())


@pytest.mark.parametrize("front", [via_cli, via_server], ids=["cli", "server"])
@pytest.mark.parametrize("mode", sorted(MATRIX))
def test_what_runs_code(tmp_path: Path, mode: str, front) -> None:  # noqa: ANN001 - a front function
    root, markers = build(tmp_path, mode)
    output = front(root, mode, env_for(tmp_path))
    assert {m.name for m in markers.iterdir()} == MATRIX[mode], output
    assert "loads_fast" in output  # a static finding in every mode
    if mode == "introspection on":
        assert "not_there" in output  # markerpkg was introspected: its missing attribute reported
