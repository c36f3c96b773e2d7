"""Hostile documents through the real server (issue 23 item 5): NUL bytes, 100k-deep expressions,
a 100k-long chain, invalid surrogates; each gets its diagnostics (SYN001/SYN002 or none), no
traceback, and the server keeps serving.  The same texts on the command line are in
tests/test_hostile.py's spirit: one finding each, exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import lsp_support as S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from lsp_soak import RawServer, server_env  # noqa: E402
from test_lsp_abuse import still_serving  # noqa: E402

pytestmark = pytest.mark.slow

TEXTS = {
    "nul.py": "x = 1\x00\ny = 2\n",
    "deep_parens.py": "x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n",
    "long_sum.py": "x = 1" + " + 1" * 100_000 + "\n",
    "long_attribute.py": "x = a" + ".b" * 100_000 + "\n",
    "deep_lists.py": "x = " + "[" * 5_000 + "]" * 5_000 + "\n",
    "deep_blocks.py": "".join("    " * i + "if x:\n" for i in range(100)) + "    " * 100 + "pass\n",
}


def test_hostile_documents_in_the_editor(tmp_path: Path) -> None:
    server = RawServer(S.new_project(tmp_path), server_env(tmp_path / "cache"))
    try:
        server.initialize()
        for name, text in TEXTS.items():
            uri = server.open(name, text)
            codes = {d["code"] for d in server.published(uri, 1)["diagnostics"]}
            assert codes <= {"SYN001", "SYN002"}, (name, codes)
            server.hover(uri, 0, 4)
        still_serving(server)
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()


def test_hostile_files_on_the_command_line(tmp_path: Path) -> None:
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "binary.py").write_bytes(bytes(range(256)) * 10)
    proc = subprocess.run([sys.executable, "-m", "vetpy", "check", "."], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    for name in [*TEXTS, "binary.py"]:
        if name != "deep_blocks.py":
            assert f"{name}:" in proc.stdout, name
