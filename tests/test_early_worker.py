"""The standard-library introspection worker starts while the environment is probed.

On a cold start of ``vetpy serve`` the probe of the target interpreter and the start of the
introspection worker (which the first analysis waits for at its first question about the standard
library) both need only the chosen interpreter; they ran one after the other.  Now the server's
project build starts the worker as soon as the interpreter is chosen (after the trust decision:
it runs nothing the probe would not run), and the member index built after the probe takes that
worker over.  Must hold:

- the index of the same interpreter, roots, timeout and cache takes over the started worker: one
  worker process, not two (the started one answers its questions);
- an index that differs in any of those does not take it (a fresh client that has started
  nothing), and a started worker no index took is ended by ``discard``;
- ``build_context`` starts one only when asked (the server), never for ``vetpy check``, and never
  when introspection is off (no worker may run then);
- over stdio: while the probe of the interpreter is still waiting, the worker process runs.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from vetpy.environment.discovery import load_environment
from vetpy.environment.model import InterpreterChoice
from vetpy.project import build_context
from vetpy.resolve import prestart
from vetpy.resolve.members import MemberIndex


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    return load_environment(InterpreterChoice(sys.executable, "test"), use_cache=False)


def _alive(client) -> bool:
    proc = client._proc
    return proc is not None and proc.poll() is None


def test_the_member_index_of_the_same_interpreter_takes_over_the_started_worker(env, tmp_path):
    early = prestart.start(env.python, [str(tmp_path)], 30.0, use_disk=True)
    try:
        index = MemberIndex(env, [str(tmp_path)], use_disk=True, timeout=30.0)
        assert index.stdlib_worker is early.client
        assert index.describe("json.dumps")["kind"] == "function"
        assert index.stdlib_worker.starts == 1  # the started process answered: no second one
        assert early.discard() is None  # taken over: discarding it later leaves the index's worker alone
        assert _alive(index.stdlib_worker)
        index.close()
    finally:
        early.discard()


@pytest.mark.parametrize("change", ["roots", "timeout", "disk"])
def test_an_index_that_differs_does_not_take_the_worker_and_discard_ends_it(env, tmp_path, change):
    early = prestart.start(env.python, [str(tmp_path)], 30.0, use_disk=True)
    try:
        roots = [str(tmp_path / "other")] if change == "roots" else [str(tmp_path)]
        index = MemberIndex(env, roots, use_disk=change != "disk", timeout=10.0 if change == "timeout" else 30.0)
        assert index.stdlib_worker is not early.client
        assert index.stdlib_worker.starts == 0
        index.close()
        early.wait_started()
        assert _alive(early.client)
        early.discard().join(30)
        assert not _alive(early.client)
    finally:
        early.discard()


def _project(tmp_path: Path, introspection: bool = True, name: str = "proj") -> Path:
    root = tmp_path / name
    root.mkdir()
    extra = "" if introspection else "\n[tool.vetpy]\nintrospection = false\n"
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\nversion = '0'\n" + extra)
    return root


def test_build_context_starts_the_worker_during_the_probe_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = _project(tmp_path)
    served = build_context(root, python=sys.executable, use_cache=False, start_worker=True).ctx.members
    checked = build_context(root, python=sys.executable, use_cache=False).ctx.members
    try:
        assert served.stdlib_worker.starts == 1  # started before any question
        assert checked.stdlib_worker.starts == 0  # vetpy check: started by its first question
        assert served.describe("os.path.join") is not None
    finally:
        served.close()
        checked.close()


def test_no_worker_is_started_when_introspection_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    started = []
    monkeypatch.setattr(prestart, "start", lambda *a, **k: started.append(a))
    setup = build_context(_project(tmp_path, introspection=False), python=sys.executable, use_cache=False,
                          start_worker=True)
    assert setup.ctx.members is None and started == []
    setup = build_context(_project(tmp_path, name="untrusted"), python=sys.executable, use_cache=False,
                          start_worker=True, trusted=False)  # untrusted: introspection is off
    assert setup.ctx.members is None and started == []


def _workers_for(root: Path) -> list[str]:
    """Running processes of vetpy's introspection worker program for the project ``root`` (its
    command line ends with the project's roots)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0") if entry.name.isdigit() else []
        except OSError:
            continue
        if any(b"<vetpy worker>" in w for w in words) and str(root).encode() in words:
            found.append(entry.name)
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
async def test_the_server_starts_the_worker_while_the_probe_waits(tmp_path: Path) -> None:
    import lsp_support as S
    from test_lsp_static_first import gated_interpreter

    project = S.new_project(tmp_path)
    gate = tmp_path / "gate"
    python = gated_interpreter(project, gate)
    client = await S.start("neovim", project, init_options={"settings": {"interpreter": str(python), "debounceMs": 0}})
    try:
        S.open_doc(client, project / "app.py", "import json\njson.dumpz({})\n")
        await S.wait_for(lambda: _workers_for(project), timeout=60,
                         what="the introspection worker, while the probe waits")
        assert not gate.exists()
    finally:
        gate.touch()
        await asyncio.sleep(0)
        await S.stop(client)
