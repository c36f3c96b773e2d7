"""The time budget of the language server's analyses (docs/lsp.md, "Time budget").

Specification: an analysis that runs past its budget (the project's ``analysis-timeout``) in
Python code is stopped; its document gets one SYN002 diagnostic saying it was not analysed
(as ``vetpy check`` reports a file its budget stopped), the other documents are analysed
meanwhile, and the next edit of the document is analysed as usual.  Over real stdio, for a push
client (Neovim: the stop comes in the static first pass) and a pull client (VS Code: in the
whole analysis).

The hang is injected (tests/lsp_hang_server.py): a checker that loops for ever in Python on a
document containing ``HANG_FOREVER``, whose budget alone is shortened to a second; it first
waits in a protected region (worker I/O, never interrupted) until the test lets it go, so
the test can show another document analysed while it hangs.  Time limits only stop a hang.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

import lsp_support as S
from vetpy import deadline

HANG = "import json\n\nHANG_FOREVER = json.loads('1')\n"
FINE = "import json\n\nvalue = json.loadz('1')\n"  # HAL: json has no loadz
OTHER = "import os\n\nhere = os.getcwdz()\n"  # HAL: os has no getcwdz


def _codes(diagnostics) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def _logged(client, text: str) -> int:
    return sum(text in m.message for m in client.log_messages)


async def _rebuilt(client) -> None:
    """Every project rebuild a stop asked for is done (its re-analyses scheduled)."""
    await S.wait_for(lambda: _logged(client, "environment re-read") >= _logged(client, "reading the project's environment afresh"),
                     what="the project rebuilt after the stop")


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["neovim", "vscode"])
async def test_a_hanging_analysis_is_stopped_and_reported_and_the_others_go_on(tmp_path: Path, profile: str) -> None:
    project = S.new_project(tmp_path)
    spinning, release = tmp_path / "spinning", tmp_path / "release"
    env = S.server_env(tmp_path, VETPY_TEST_SPINNING=str(spinning), VETPY_TEST_RELEASE=str(release), VETPY_TEST_ALLOWED="1")
    client = await S.start(
        profile, project,
        init_options={"settings": {"debounceMs": 0, "interpreter": sys.executable}},
        command=[sys.executable, str(S.HERE / "lsp_hang_server.py")], env=env,
    )
    try:
        hang = S.open_doc(client, project / "hang.py", HANG)
        await S.wait_for(spinning.exists, what="the hanging analysis to start")
        # meanwhile: another document is analysed (the hanging one is held until released)
        other = S.open_doc(client, project / "other.py", OTHER)
        assert "HAL" in " ".join(_codes(await S.diagnostics(client, other)))
        assert not [p for p in client.published if p.uri == hang]
        release.write_text("go")
        # the budget (1 s, long past) stops it as soon as it leaves the protected region
        stopped = await S.diagnostics(client, hang)
        assert _codes(stopped) == ["SYN002"]
        assert stopped[0].message.startswith("not analysed: the analysis stopped after")
        assert "analysis-timeout" in stopped[0].message and "please report this" in stopped[0].message
        assert stopped[0].range.start.line == 0
        warned = [m for m in client.log_messages if "not analysed: the analysis stopped after" in m.message]
        assert warned and hang in warned[0].message
        await _rebuilt(client)  # (none after a stop in the static first pass: no project built yet)
        # the next edit is analysed as usual (nothing of the stopped analysis reused)
        S.change_doc(client, hang, FINE)
        after = await S.diagnostics(client, hang)
        assert "SYN002" not in _codes(after) and any(code.startswith("HAL") for code in _codes(after))
        # and a hanging version again is stopped again: the budget holds for every analysis
        spinning.unlink()
        S.change_doc(client, hang, HANG + "\n")
        assert _codes(await S.diagnostics(client, hang)) == ["SYN002"]
        assert spinning.exists()  # (the released region is not waited in again)
        # what the stopped analysis left half-done in the project is not used again: the project
        # is built anew (the other documents analysed again), the stopped document not analysed
        # again until its next edit
        await S.wait_for(lambda: _logged(client, "reading the project's environment afresh"), what="a rebuild asked for")
        await _rebuilt(client)
        S.change_doc(client, other, OTHER + "\nmore = os.getcwdz()\n")
        assert sum(code.startswith("HAL") for code in _codes(await S.diagnostics(client, other))) == 2
        assert client.messages == []  # a log line, never a pop-up
        assert spinning.read_text() == "1"  # the hanging version analysed once: not again after the rebuild
    finally:
        release.write_text("go")
        await S.stop(client)


# -- vetpy.deadline.Watchdog itself --------------------------------------------------------------

def _in_thread(fn, *args):
    """``fn(*args)`` in a new thread: its value, or the exception it raised."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(fn(*args))
        except BaseException as exc:  # the test looks at what came out
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)  # only stops a hang
    assert not thread.is_alive() and len(outcome) == 1
    return outcome[0]


def _spin(limit: float = 120) -> None:
    end = time.monotonic() + limit  # only stops a hang of the test
    while time.monotonic() < end:
        pass
    raise AssertionError("the watchdog never stopped the loop")


def test_the_watchdog_stops_a_python_loop_in_a_thread():
    watchdog = deadline.Watchdog()
    assert watchdog.available()
    stopped = _in_thread(watchdog.call, 0.2, _spin)
    assert isinstance(stopped, deadline.BudgetExceeded) and stopped.seconds >= 0.2
    assert watchdog.stops == 1
    # a call that ends in time: its value, nothing stopped
    assert _in_thread(watchdog.call, 30, lambda: 42) == 42
    assert _in_thread(watchdog.call, None, lambda: 7) == 7
    assert watchdog.stops == 1


def test_worker_io_in_a_thread_is_never_interrupted_half_way():
    watchdog = deadline.Watchdog()
    finished: list[str] = []

    def question_then_loop() -> None:
        with deadline.protected():  # a question to the worker: the deadline passes in here
            time.sleep(0.6)
            finished.append("answer read")
        _spin()

    stopped = _in_thread(watchdog.call, 0.2, question_then_loop)
    assert isinstance(stopped, deadline.BudgetExceeded)
    assert finished == ["answer read"]
    assert deadline._DEPTHS == {}


def test_no_stop_reaches_the_caller_after_the_call_returned():
    # calls that end about when their budget does: whether stopped or not, once call() has
    # returned or raised BudgetExceeded, no stop is left pending for the thread's own code
    watchdog = deadline.Watchdog()

    def many() -> tuple[int, int]:
        ended = stopped = 0
        for i in range(300):
            try:
                watchdog.call(0.001 * (i % 5 + 1), lambda: sum(range(2000 * (i % 7))))
                ended += 1
            except deadline.BudgetExceeded:
                stopped += 1
            total = 0
            for j in range(2000):  # Python code after the call: a leftover stop would land here
                total += j
        return ended, stopped

    ended, stopped = _in_thread(many)
    assert ended + stopped == 300
    assert watchdog.stops == stopped


def test_a_nested_call_keeps_the_outer_budget_and_the_main_thread_is_left_to_the_timer():
    watchdog = deadline.Watchdog()
    assert isinstance(_in_thread(watchdog.call, 0.2, lambda: watchdog.call(3600, _spin)), deadline.BudgetExceeded)
    assert watchdog.call(0.01, lambda: time.sleep(0.05) or "main") == "main"  # SIGALRM's business there


def test_waiting_past_the_budget_is_not_a_stop_in_a_thread():
    # The budget counts the analysing thread's CPU time (like `vetpy check`'s): an analysis that
    # only waits (for a core on a busy machine, for the worker) is not stopped by the budget.
    watchdog = deadline.Watchdog()
    if not hasattr(time, "pthread_getcpuclockid"):
        pytest.skip("no per-thread CPU clock here: the budget is wall time")
    # 1.2 s of waiting against a budget of 0.5 s of CPU: past the budget in wall time, 1.3 s short
    # of the backstop (2.5 s), so a busy machine's late wake-up cannot make it a stop
    assert _in_thread(watchdog.call, 0.5, lambda: time.sleep(1.2) or "waited") == "waited"
    assert watchdog.stops == 0


def test_the_wall_clock_backstop_stops_an_endless_wait_in_a_thread():
    watchdog = deadline.Watchdog()

    def wait_for_ever() -> None:
        end = time.monotonic() + 120  # only stops a hang of the test
        while time.monotonic() < end:
            time.sleep(0.02)
        raise AssertionError("the backstop never stopped the wait")

    stopped = _in_thread(watchdog.call, 0.1, wait_for_ever)
    assert isinstance(stopped, deadline.BudgetExceeded)
    assert stopped.seconds >= 0.1 * deadline.WALL_FACTOR
    assert watchdog.stops == 1
