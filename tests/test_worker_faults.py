"""Faults in the introspection worker during an LSP session.

The project's .venv holds packages whose import hangs, kills the interpreter (``os._exit``) or
writes garbage to stdout (the worker's channel).  Each fault costs the worker (killed and
restarted on the next question), the faulty module is marked unverifiable (no findings about its
members), and every other diagnostic of the same document still arrives.  The worker is also
killed from outside in the middle of a query.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import lsp_support as S
from test_lsp_abuse import assert_no_orphans
from test_lsp_trust import fake_venv

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from lsp_soak import RawServer, descendants, server_env  # noqa: E402

import pytest

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

PACKAGES = {
    "hangpkg": "import time\ntime.sleep(3600)\n",
    "exitpkg": "import os\nos._exit(3)\n",
    # garbage on every descriptor, the worker's answer channel included
    "garbagepkg": (
        "import os\nfor fd in range(1, 64):\n    try:\n        os.write(fd, b'not json\\n\\xff\\xfe{{{\\n{\"id\": 1}\\n')\n"
        "    except OSError:\n        pass\ndef real():\n    return 1\n"
    ),
}
TEXT = (
    "import json\nimport hangpkg\nimport exitpkg\nimport garbagepkg\n"
    "hangpkg.anything()\nexitpkg.anything()\ngarbagepkg.real()\n"
    "from json import loads_fast\ngarbagepkg.not_real()\n"
)


def codes_by_line(diagnostics: list[dict]) -> set[tuple[str, int]]:
    return {(d["code"], d["range"]["start"]["line"]) for d in diagnostics}


def worker_pids(server: RawServer) -> set[int]:
    """The server's introspection workers (its other subprocesses are short-lived probes)."""
    out = set()
    for pid in descendants(server.proc.pid):
        try:
            if b"introspection worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                out.add(pid)
        except OSError:
            pass
    return out


def test_faulty_packages_cost_only_their_own_findings(tmp_path: Path) -> None:
    root = S.new_project(tmp_path)
    fake_venv(root, PACKAGES)
    server = RawServer(root, server_env(tmp_path / "vetpy-cache"))
    try:
        server.initialize({"logLevel": "debug", "introspectionTimeout": 5})
        uri = server.open("app.py", TEXT)
        started = time.monotonic()
        first = server.published(uri, 1, timeout=180)["diagnostics"]
        print(f"\nfirst diagnostics after {time.monotonic() - started:.1f} s (the packages are imported afterwards)")
        assert ("HAL002", 7) in codes_by_line(first)  # json.loads_fast: not held back by the cold imports
        # the packages are imported in the background (one hang costs the worker timeout, 5 s
        # here), then the document is analysed again and published for the same version
        final = server.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            and ("HAL003", 8) in codes_by_line(m["params"]["diagnostics"]),
            180,
        )["params"]
        print(f"all diagnostics after {time.monotonic() - started:.1f} s")
        assert final["version"] == 1
        diags = final["diagnostics"]
        assert ("HAL002", 7) in codes_by_line(diags)  # everything else still arrives
        assert not {c for c in codes_by_line(diags) if c[1] in (4, 5, 6)}  # unverifiable: silent
        assert ("HAL003", 8) in codes_by_line(diags)  # garbage did not confuse the answers
        logs = [m["params"]["message"] for m in server.seen if m.get("method") == "window/logMessage"]
        assert any("hung or crashed" in m for m in logs), "\n".join(logs)
        # the configured timeout, and the restarts after the hang and the exit are spaced
        # (the spacing itself is measured in test_worker_backoff.py)
        restarts = [m for m in logs if "at the earliest" in m]
        assert any("no answer within 5 s (killed); restart in" in m for m in restarts), "\n".join(logs)
        assert any("exited (code 3); restart in" in m for m in restarts), "\n".join(logs)
        assert "restart in 0.5 s" in restarts[0]
        # the worker is back for the next question (a restart, not a dead service)
        other = server.open("other.py", "import garbagepkg\nimport json\njson.dumps_fast()\n")
        server.published(other, 1, timeout=120)
        assert len(worker_pids(server)) <= 2  # one for installed packages, one for the standard library
        children = worker_pids(server)
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()
    assert_no_orphans(children)


def test_worker_killed_mid_query(tmp_path: Path) -> None:
    root = S.new_project(tmp_path)
    fake_venv(root, {"hangpkg": PACKAGES["hangpkg"]})
    server = RawServer(root, server_env(tmp_path / "vetpy-cache"))
    try:
        server.initialize({"logLevel": "debug"})
        uri = server.open("app.py", "import json\nimport hangpkg\nhangpkg.anything()\nfrom json import loads_fast\n")
        deadline = time.monotonic() + 30
        while not (pids := worker_pids(server)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pids, "no worker started"
        time.sleep(1.0)  # the worker is stuck importing hangpkg
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        diags = server.published(uri, 1, timeout=240)["diagnostics"]
        assert ("HAL002", 3) in codes_by_line(diags)
        assert not {c for c in codes_by_line(diags) if c[1] == 2}
        server.change(uri, 2, "import json\nimport hangpkg\nhangpkg.anything()\nfrom json import dumps_fast\n")
        # the first publication of version 2 may come before the restarted worker's answer (the
        # document is not held back by a cold worker): the finding must arrive for version 2
        try:
            server.wait(
                lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                and m["params"].get("version") == 2 and ("HAL002", 3) in codes_by_line(m["params"]["diagnostics"]),
                240,
            )
        except AssertionError:
            logs = [m["params"]["message"] for m in server.seen if m.get("method") == "window/logMessage"]
            raise AssertionError("no HAL002 on line 3 for version 2; the server said:\n" + "\n".join(logs)) from None
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()
