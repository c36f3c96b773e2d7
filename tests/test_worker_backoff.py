"""The introspection worker is restarted with back-off, and its timeout is a setting.

Real worker processes throughout: an interpreter that dies at once (a crash loop), packages
that hang, exit, or flood the answer channel with garbage.  Asserted: restarts are spaced by
at least the back-off (exponential, capped), after ``pause_after`` failures in a row no worker
starts for the pause, questions asked meanwhile are answered "unverifiable" at once without
being remembered, a question never waits longer than the timeout (garbage lines do not extend
it), and an answer resets the count.
"""

from __future__ import annotations

import stat
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from test_lsp_trust import fake_venv
from vetpy.context import AnalysisContext
from vetpy.environment.discovery import load_environment
from vetpy.environment.model import InterpreterChoice
from vetpy.project import install_services
from vetpy.resolve.members import Backoff, MemberIndex, WorkerClient, WorkerResting

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

PACKAGES = {
    "goodpkg": "def real() -> int:\n    return 1\n",
    "hangpkg": "import time\ntime.sleep(3600)\n",
    "exitpkg": "import os\nos._exit(3)\n",
    # an endless stream of lines that are not answers, on every descriptor (the worker's answer
    # channel is a duplicate of its original stdout, so fd 1 alone would miss it)
    "floodpkg": (
        "import os\nfds = [fd for fd in range(3, 64) if fd != 2]\nwhile True:\n    for fd in fds:\n"
        "        try:\n            os.write(fd, b'garbage {\"id\": 0}\\n' * 100)\n"
        "        except OSError:\n            pass\n"
    ),
}


def finishes(call: Callable[[], Any], within: float = 120.0) -> Any:
    """``call()``'s result; fails (instead of hanging the test run) if it does not return."""
    box: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # raised in the thread: raised again here, not taken for a hang
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(within)
    if errors:
        raise errors[0]
    assert box, f"still running after {within:g} s: hung"
    return box[0]


def crashing_interpreter(tmp_path: Path) -> tuple[Path, Path]:
    """An 'interpreter' that logs each start (a monotonic-ish timestamp) and exits at once."""
    log = tmp_path / "starts.log"
    script = tmp_path / "python"
    script.write_text(f"#!{sys.executable}\nimport time\nopen({str(log)!r}, 'a').write(f'{{time.monotonic()}}\\n')\nraise SystemExit(3)\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


def test_backoff_delays() -> None:
    backoff = Backoff(first=0.5, cap=3.0, pause_after=5, pause=300.0)
    assert [backoff.delay(k) for k in range(7)] == [0.0, 0.5, 1.0, 2.0, 3.0, 300.0, 300.0]


def test_crash_loop_restarts_are_spaced_then_paused(tmp_path: Path) -> None:
    python, log = crashing_interpreter(tmp_path)
    backoff = Backoff(first=0.2, cap=0.5, pause_after=4, pause=3600.0, wait_at_most=5.0)
    client = WorkerClient(str(python), [], timeout=10.0, workdir=tmp_path, backoff=backoff)
    outcomes = []

    def ask() -> Any:
        try:
            return client.request({"op": "ping"})
        except WorkerResting:  # it exited before its program was written: "cannot start", not a module's fault
            return "cannot start"

    for _ in range(4):
        outcomes.append(finishes(ask))
    # each start fails: no answer (its exit seen while waiting, or its input already closed at the start)
    assert all(outcome in (None, "cannot start") for outcome in outcomes), outcomes
    assert client.starts == 4 and client.failures == 4
    starts = [float(line) for line in log.read_text().split()]
    assert len(starts) == 4
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    for gap, delay in zip(gaps, (0.2, 0.4, 0.5)):  # first * 2**(k-1), capped at 0.5
        assert gap >= delay, (gaps, "a restart came earlier than the back-off allows")
    # 4 failures in a row: paused; questions are refused at once and start nothing
    for _ in range(3):
        with pytest.raises(WorkerResting, match="resting"):
            client.request({"op": "ping"})
    assert client.starts == 4 and len(log.read_text().split()) == 4
    client.close()


@pytest.fixture(scope="module")
def faulty_env(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("faulty")
    fake_venv(root, PACKAGES)
    return load_environment(InterpreterChoice(str(root / ".venv" / "bin" / "python"), "test"), use_cache=False)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_garbage_flood_does_not_extend_the_timeout(faulty_env: Any, cache: Path) -> None:
    index = MemberIndex(faulty_env, [], timeout=2.0, backoff=Backoff(first=0.1))
    try:
        assert finishes(lambda: index.describe("floodpkg")) is None  # before: waited for ever
        assert index.worker.failures == 1
        info = finishes(lambda: index.describe("goodpkg"))  # restarted after the back-off
        assert info is not None and "real" in info["members"]
        assert index.worker.failures == 0 and index.worker.starts == 2  # an answer resets the count
        info = finishes(lambda: index.describe("json"))  # the standard library has its own worker
        assert info is not None and "dumps" in info["members"] and index.stdlib_worker.failures == 0
    finally:
        index.close()


def test_faults_mark_only_their_module_and_resting_answers_are_not_remembered(faulty_env: Any, cache: Path) -> None:
    backoff = Backoff(first=0.1, cap=0.2, pause_after=3, pause=3600.0, wait_at_most=1.0)
    index = MemberIndex(faulty_env, [], timeout=2.0, backoff=backoff)
    try:
        assert finishes(lambda: index.describe("hangpkg.anything")) is None  # killed after 2 s
        assert finishes(lambda: index.describe("exitpkg")) is None
        assert index.worker.failures == 2
        assert index.describe("hangpkg") is None and index.describe("exitpkg.x") is None  # marked: not asked again
        assert index.worker.starts == 2
        assert finishes(lambda: index.describe("floodpkg")) is None  # the third failure in a row: paused
        assert index.worker.failures == 3
        # paused: every question about an installed package is "unverifiable" at once, nothing
        # starts, nothing is cached
        assert index.describe("goodpkg") is None
        assert index.module_attribute("goodpkg", "real").exists is None
        assert index.worker.starts == 3
        key, persistent = index._cache_key("goodpkg")
        assert index._table(key, persistent) == {}
        assert "goodpkg" not in index._unverifiable  # goodpkg did nothing wrong: asked again later
        # the standard library's worker is not held back by the packages' faults
        assert index.module_attribute("json", "loads_fast").exists is False
        index.worker._resting_until = 0.0  # the pause is over (instead of waiting an hour)
        assert index.module_attribute("goodpkg", "real").exists is True
        assert index.module_attribute("goodpkg", "fake").exists is False
    finally:
        index.close()


def test_the_timeout_is_the_configured_one(faulty_env: Any, cache: Path, tmp_path: Path) -> None:
    ctx = AnalysisContext.bare(tmp_path, introspection_timeout=1.5)
    ctx.environment = faulty_env
    install_services(ctx)
    index = ctx.members
    assert isinstance(index, MemberIndex) and index.worker.timeout == 1.5
    try:
        started = time.monotonic()
        assert finishes(lambda: index.describe("hangpkg")) is None
        assert time.monotonic() - started >= 1.5  # it did wait the configured time (a lower bound only)
    finally:
        index.close()


def test_close_does_not_wait_for_a_question_in_flight(faulty_env: Any, cache: Path) -> None:
    index = MemberIndex(faulty_env, [], timeout=3600.0)
    asking = threading.Thread(target=lambda: index.describe("hangpkg"), daemon=True)
    asking.start()
    deadline = time.monotonic() + 60
    while index.worker._proc is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc = index.worker._proc
    assert proc is not None
    finishes(index.close, within=60)  # killed the worker under the question, did not wait an hour
    asking.join(60)
    assert not asking.is_alive() and proc.poll() is not None


def test_a_hanging_package_does_not_hold_back_the_standard_library(faulty_env: Any, cache: Path) -> None:
    """Issue 23: while the worker for installed packages hangs in an import (here for an hour),
    questions about the standard library are answered at once by their own worker."""
    index = MemberIndex(faulty_env, [], timeout=3600.0)
    try:
        threading.Thread(target=lambda: index.describe("hangpkg"), daemon=True).start()
        deadline = time.monotonic() + 60
        while index.worker._proc is None and time.monotonic() < deadline:
            time.sleep(0.05)
        verdict = finishes(lambda: index.module_attribute("json", "loads_fast"), within=120)
        assert verdict.exists is False
    finally:
        finishes(index.close, within=60)


def test_a_worker_killed_from_outside_is_asked_again_once(tmp_path: Path, cache: Path) -> None:
    """A worker killed under a question (the machine out of memory, a user's ``kill``) costs the
    module nothing: the question is asked once more on a new worker.  A module that kills every
    worker is asked twice, then marked; a question that hangs is not asked again."""
    import os
    import signal

    marker = tmp_path / "first-import"
    # the first import stalls (the worker is killed meanwhile), a second one does not
    slow = (f"import os, time\nif not os.path.exists({str(marker)!r}):\n"
            f"    open({str(marker)!r}, 'w').close()\n    time.sleep(3600)\ndef real():\n    return 1\n")
    root = tmp_path / "proj"
    root.mkdir()
    fake_venv(root, {"slowpkg": slow, "exitpkg": PACKAGES["exitpkg"], "hangpkg": PACKAGES["hangpkg"]})
    env = load_environment(InterpreterChoice(str(root / ".venv" / "bin" / "python"), "test"), use_cache=False)
    index = MemberIndex(env, [], timeout=3600.0, backoff=Backoff(first=0.1))
    try:
        asking: list[Any] = []
        thread = threading.Thread(target=lambda: asking.append(index.describe("slowpkg")), daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        proc = index.worker._proc
        assert marker.exists() and proc is not None
        os.kill(proc.pid, signal.SIGKILL)
        thread.join(120)
        assert asking and asking[0] is not None and "real" in asking[0]["members"]
        assert index.worker.starts == 2 and index.worker.failures == 0 and "slowpkg" not in index._unverifiable
        # a module that kills every worker: asked on the running worker and on one new one, then marked
        assert finishes(lambda: index.describe("exitpkg")) is None
        assert index.worker.starts == 3 and index.worker.failures == 2 and "exitpkg" in index._unverifiable
    finally:
        index.close()
    index = MemberIndex(env, [], timeout=1.0, backoff=Backoff(first=0.1))
    try:
        assert finishes(lambda: index.describe("hangpkg")) is None
        assert index.worker.starts == 1 and "hangpkg" in index._unverifiable  # one timeout, not two
    finally:
        index.close()
