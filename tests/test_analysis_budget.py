"""The per-file time budget of ``vetpy check`` (``--analysis-timeout``, ``[tool.vetpy]
analysis-timeout``; :mod:`vetpy.deadline`).

Specification: a check never hangs on one file, whatever the engine bug.  When a file's analysis
runs past the budget, vetpy stops it, goes on with the other files (their findings unchanged),
says on standard error which file (``analysis of F stopped after N s; please report this``),
reports the file as not analysed in every output format (SYN002 at its line 1, valid JSON and
SARIF) and exits 2, also with ``--exit-zero``; the file is not cached as clean (a re-run analyses
it again); no process of the run (pool processes, introspection workers) outlives it.  Both the
single process (few files) and the pool (many files).

The hang is injected: ``engine.analyze`` is wrapped, in the CLI's process (the pool's processes are
forked from it), to loop forever on ``hang.py`` once the real analysis (with its introspection
worker running) is done.  The budget is far above what the other files need on any machine; the
outer timeouts only stop a hang.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vetpy import deadline
from vetpy.cli.run import PARALLEL_THRESHOLD

HANGING = r"""
import os
import signal
import sys
import vetpy.engine as engine

BUDGET = float(os.environ["VETPY_TEST_BUDGET"])

real = engine.analyze


def analyze(doc, ctx, codes=None):
    found = real(doc, ctx, codes)
    if doc.path.endswith("hang.py"):
        # the option armed this file's CPU timer (what is left of it is at most the budget
        # given) and its wall-clock backstop; only this file's CPU budget is cut short, so no
        # other file's analysis races a short budget on a busy machine
        # (a CPU timer counts in scheduler ticks: what is left may read up to one tick, 4 ms on
        # Linux, above the budget when the analysis took less than a tick)
        left, _interval = signal.getitimer(signal.ITIMER_PROF)
        wall, _interval = signal.getitimer(signal.ITIMER_REAL)
        if not (0 < left <= BUDGET + 0.1 and BUDGET < wall):
            os._exit(17)  # no budget armed by --analysis-timeout
        signal.setitimer(signal.ITIMER_PROF, 2)
        while True:  # an engine bug: never returns
            pass
    return found


engine.analyze = analyze
from vetpy.cli import main

sys.exit(main(sys.argv[1:]))
"""

BUDGET = "3600"  # seconds: only the hanging file's timer is cut short (to 2 s) by the hook above


def _project(root: Path, extra: int) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\nversion = '0'\n")
    (root / "hang.py").write_text("import json\n\nx = json.dumps(1)\n")
    (root / "bad.py").write_text("import json\n\nx = json.loadz('1')\n")  # HAL: json has no loadz
    # after hang.py (in the same pool chunk): analysed with the fresh state and a new worker
    (root / "i_bad.py").write_text("import os\n\ny = os.getcwdz()\n")
    for i in range(extra):
        (root / f"ok{i}.py").write_text(f"import json\n\nv{i} = json.dumps({i})\n")
    return root


def _run(root: Path, cache: Path, *args: str, command: tuple[str, ...] = ("check",)) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VETPY_CACHE_DIR": str(cache), "NO_COLOR": "1", "VETPY_TEST_BUDGET": BUDGET}
    return subprocess.run(
        [sys.executable, "-c", HANGING, *command, str(root), "--analysis-timeout", BUDGET, *args],
        capture_output=True, text=True, env=env, cwd=root, timeout=300,
    )


def _survivors(marker: str) -> list[str]:
    """Processes whose command line names ``marker`` (the project: the pool's processes, forked
    from the CLI, and the introspection workers, given the project's roots)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline:
                found.append(f"{entry.name}: {cmdline[:200]}")
    return found


def _no_survivors(marker: str) -> None:
    # a worker exits when its input closes with the process that asked; wait (bounded) for that
    limit = time.monotonic() + 60
    while _survivors(marker) and time.monotonic() < limit:
        time.sleep(0.2)
    assert _survivors(marker) == []


def _check_stopped(proc: subprocess.CompletedProcess[str], root: Path) -> list[dict]:
    assert proc.returncode == 2, proc.stderr
    assert f"analysis of {root / 'hang.py'} stopped after" in proc.stderr and "please report this" in proc.stderr
    findings = json.loads(proc.stdout)
    by_file = {(Path(f["path"]).name, f["code"]) for f in findings}
    assert ("hang.py", "SYN002") in by_file  # the output says it was not analysed
    stop = next(f for f in findings if Path(f["path"]).name == "hang.py")
    assert stop["message"].startswith("not analysed:") and stop["line"] == 1
    for name in ("bad.py", "i_bad.py"):
        assert any(Path(f["path"]).name == name and f["code"].startswith("HAL") for f in findings), name
    assert not [f for f in findings if Path(f["path"]).name.startswith("ok")]
    return findings


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "setitimer") or not Path("/proc/self").exists(), reason="POSIX timers, /proc")
def test_one_process_stops_the_hanging_file_and_checks_the_others(tmp_path):
    root = _project(tmp_path / "proj", extra=2)
    cache = tmp_path / "cache"
    first = _run(root, cache, "--jobs", "1", "--output-format", "json")
    _check_stopped(first, root)
    _no_survivors(str(root))
    # not cached as clean: the re-run analyses it again (and stops again); the others come from the cache
    again = _run(root, cache, "--jobs", "1", "--output-format", "json", "-v")
    _check_stopped(again, root)
    assert "4 of 5 files unchanged since a previous check" in again.stderr
    # --exit-zero does not hide it; --quiet does not hide the error line
    quiet = _run(root, cache, "--jobs", "1", "--exit-zero", "--quiet")
    assert quiet.returncode == 2 and f"analysis of {root / 'hang.py'} stopped after" in quiet.stderr
    assert "bad.py" in quiet.stdout and "hang.py" in quiet.stdout
    # a baseline would record (or prune) findings that are unknown: not written
    baseline = _run(root, cache, "--jobs", "1", command=("baseline", "create"))
    assert baseline.returncode == 2 and f"analysis of {root / 'hang.py'} stopped after" in baseline.stderr
    assert "the baseline is unchanged" in baseline.stderr
    assert not (root / ".vetpy-baseline.json").exists()
    _no_survivors(str(root))


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "setitimer") or not Path("/proc/self").exists(), reason="POSIX timers, /proc")
def test_the_pool_stops_the_hanging_file_and_checks_the_others(tmp_path):
    root = _project(tmp_path / "proj", extra=PARALLEL_THRESHOLD + 2)
    cache = tmp_path / "cache"
    proc = _run(root, cache, "--jobs", "2", "--output-format", "sarif")
    assert proc.returncode == 2, proc.stderr
    assert f"analysis of {root / 'hang.py'} stopped after" in proc.stderr
    sarif = json.loads(proc.stdout)
    results = sarif["runs"][0]["results"]
    located = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1], r["ruleId"]) for r in results}
    assert ("hang.py", "SYN002") in located
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "hang.py not analysed" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("hang.py")
    for bad in ("bad.py", "i_bad.py"):
        assert any(name == bad and rule.startswith("HAL") for name, rule in located), bad
    assert not any(name.startswith("ok") for name, _ in located)
    _no_survivors(str(root))
    again = _run(root, cache, "--jobs", "2", "--output-format", "json")
    _check_stopped(again, root)
    _no_survivors(str(root))


def test_a_setting_and_an_option_set_the_budget(tmp_path):
    from vetpy.cli import build_parser
    from vetpy.cli.check import option_errors, options_from
    from vetpy.config import ConfigError, config_from_mapping

    assert config_from_mapping({"analysis-timeout": 5}, "pyproject.toml").analysis_timeout == 5.0
    assert config_from_mapping({}, "pyproject.toml").analysis_timeout == 60.0
    with pytest.raises(ConfigError):
        config_from_mapping({"analysis-timeout": 0}, "pyproject.toml")
    args = build_parser().parse_args(["check", "--analysis-timeout", "2.5", "x.py"])
    assert options_from(args).analysis_timeout == 2.5
    bad = build_parser().parse_args(["check", "--analysis-timeout", "0", "x.py"])
    assert option_errors(bad, options_from(bad)) == "--analysis-timeout must be a positive number of seconds"


# -- vetpy.deadline itself --------------------------------------------------------------------------

def _spin() -> None:
    limit = time.monotonic() + 120  # only stops a hang of the test
    while time.monotonic() < limit:
        pass
    raise AssertionError("the budget never stopped the loop")


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_the_budget_stops_a_loop_and_restores_the_previous_handlers():
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGALRM, signal.SIGPROF)}
    with pytest.raises(deadline.BudgetExceeded):
        with deadline.budget(0.2):
            _spin()
    assert {signum: signal.getsignal(signum) for signum in before} == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) == signal.getitimer(signal.ITIMER_PROF)
    with deadline.budget(30):  # a body that ends in time: nothing raised, the timers are off after
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) == signal.getitimer(signal.ITIMER_PROF)


# The budget is CPU time: a file that waits for its share of a busy machine's cores is not
# stopped at the budget's wall time; what burns no CPU for ever is stopped by the wall-clock
# backstop, WALL_FACTOR budgets.

@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_waiting_past_the_budget_is_not_a_stop():
    start = time.monotonic()
    with deadline.budget(1.0):
        time.sleep(1.5)  # wall time past the budget, no CPU: runs to its end (backstop: 5 s)
    assert time.monotonic() - start >= 1.5


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_the_wall_clock_backstop_stops_an_endless_wait():
    start = time.monotonic()
    with pytest.raises(deadline.BudgetExceeded) as stop:
        with deadline.budget(0.2):
            while time.monotonic() - start < 120:  # only stops a hang of the test
                time.sleep(0.05)
    assert stop.value.seconds >= 0.2 * deadline.WALL_FACTOR - 0.05  # the backstop, not the budget
    assert stop.value.cpu is not None and stop.value.cpu < 0.2


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_worker_io_is_never_interrupted_half_way():
    finished = []
    with pytest.raises(deadline.BudgetExceeded):
        with deadline.budget(0.1):
            with deadline.protected():  # a question to the worker: the backstop fires in here
                time.sleep(0.1 * deadline.WALL_FACTOR + 0.3)  # past it, and not interrupted
                finished.append("answer read")
            _spin()  # raised here, once the region is left
    assert finished == ["answer read"]


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_the_cpu_budget_waits_for_the_protected_region_too():
    finished = []
    with pytest.raises(deadline.BudgetExceeded):
        with deadline.budget(0.2):
            with deadline.protected():  # CPU spent in here (reading an answer) is not cut short
                end = time.process_time() + 0.4
                while time.process_time() < end:
                    pass
                finished.append("answer read")
            _spin()
    assert finished == ["answer read"]


def test_no_budget_off_the_main_thread():
    import threading

    outcome = []

    def run():
        with deadline.budget(0.01):
            time.sleep(0.1)
        outcome.append("ran to its end")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert outcome == ["ran to its end"]


# -- the watchdog: an analysis the timer cannot stop (a loop in C) ----------------------------------

# The timer's handler runs between two bytecodes: a call into C that never returns (a C
# extension's loop, the quadratic conversion of a huge decimal string to an int, which holds the
# interpreter) never lets it run.  To the process that is the same as a loop with SIGALRM blocked,
# which is what the hook does, reliably on every Python version.  The CLI (the pool's parent) is
# told to allow hang.py 2 s (every other file keeps the whole budget), so the test waits seconds,
# not a budget; the subprocess's timeout only stops a hang (on a vetpy without the watchdog).
IN_C = r"""
import os
import signal
import sys
import time
import vetpy.engine as engine

SPIN = float(os.environ["VETPY_TEST_SPIN"])  # seconds the hanging file's analysis loops (0: for ever)
ALLOWED = float(os.environ["VETPY_TEST_ALLOWED"])  # seconds the CLI lets hang.py's analysis run

real = engine.analyze


def analyze(doc, ctx, codes=None):
    found = real(doc, ctx, codes)
    if doc.path.endswith("hang.py"):
        timers = {signal.SIGALRM, signal.SIGPROF}
        signal.pthread_sigmask(signal.SIG_BLOCK, timers)  # the timers' handler never runs
        end = time.monotonic() + SPIN
        while not SPIN or time.monotonic() < end:
            pass
        signal.pthread_sigmask(signal.SIG_UNBLOCK, timers)
    return found


engine.analyze = analyze
try:
    from vetpy.cli import pool
except ImportError:  # a vetpy without the watchdog: the check hangs (the test's timeout ends it)
    pass
else:
    allowed = pool.allowed
    pool.allowed = lambda name, budget: ALLOWED if name.endswith("hang.py") else allowed(name, budget)
from vetpy.cli import main

sys.exit(main(sys.argv[1:]))
"""


def _run_in_c(
    root: Path, cache: Path, *args: str, spin: float = 0, allowed: float = 2, hook: str = IN_C,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VETPY_CACHE_DIR": str(cache), "NO_COLOR": "1",
           "VETPY_TEST_SPIN": str(spin), "VETPY_TEST_ALLOWED": str(allowed)}
    return subprocess.run(
        [sys.executable, "-c", hook, "check", str(root), *args],
        capture_output=True, text=True, env=env, cwd=root, timeout=240,
    )


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self").exists(), reason="fork, /proc")
@pytest.mark.parametrize("jobs, extra", [("1", 2), ("2", PARALLEL_THRESHOLD + 2)], ids=["one-process", "pool"])
def test_a_loop_the_timer_cannot_stop_is_killed_and_the_others_are_checked(tmp_path, jobs, extra):
    root = _project(tmp_path / "proj", extra=extra)
    cache = tmp_path / "cache"
    first = _run_in_c(root, cache, "--jobs", jobs, "--output-format", "json", "--analysis-timeout", "3600")
    _check_stopped(first, root)
    assert [f["code"] for f in json.loads(first.stdout) if Path(f["path"]).name == "hang.py"] == ["SYN002"]
    _no_survivors(str(root))
    # not cached as clean: stopped again; the others come from the cache
    again = _run_in_c(root, cache, "--jobs", jobs, "--output-format", "json", "--analysis-timeout", "3600", "-v")
    _check_stopped(again, root)
    assert f"{extra + 2} of {extra + 3} files unchanged since a previous check" in again.stderr
    text = _run_in_c(root, cache, "--jobs", jobs, "--analysis-timeout", "3600", "--no-cache")
    assert text.returncode == 2 and f"analysis of {root / 'hang.py'} stopped after" in text.stderr
    assert any("hang.py:1:" in line and "SYN002" in line for line in text.stdout.splitlines()), text.stdout
    assert any("i_bad.py:3:" in line and "HAL" in line for line in text.stdout.splitlines()), text.stdout
    sarif = _run_in_c(root, cache, "--jobs", jobs, "--output-format", "sarif", "--analysis-timeout", "3600", "--no-cache")
    assert sarif.returncode == 2
    run = json.loads(sarif.stdout)["runs"][0]
    assert any(r["ruleId"] == "SYN002" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("hang.py")
               for r in run["results"])
    assert run["invocations"][0]["executionSuccessful"] is False
    _no_survivors(str(root))


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self").exists(), reason="fork, /proc")
def test_the_short_budget_of_the_option_reaches_the_watchdog(tmp_path):
    # --analysis-timeout 1 and the watchdog's own allowance (only the hang injected): the check
    # ends.  Only hang.py is asserted on: on a busy machine the timer may stop another file too
    root = _project(tmp_path / "proj", extra=0)
    hook = IN_C.replace("pool.allowed = lambda", "_unused = lambda")
    proc = _run_in_c(root, tmp_path / "cache", "--analysis-timeout", "1", "--jobs", "1", "--output-format", "json",
                     hook=hook)
    assert proc.returncode == 2, proc.stderr
    assert f"analysis of {root / 'hang.py'} stopped after" in proc.stderr
    assert ("hang.py", "SYN002") in {(Path(f["path"]).name, f["code"]) for f in json.loads(proc.stdout)}
    _no_survivors(str(root))


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self").exists(), reason="fork, /proc")
def test_a_slow_file_within_its_allowance_is_not_killed(tmp_path):
    # hang.py loops 1 s with the timer blocked and is allowed 120: analysed as usual, nothing stopped
    root = _project(tmp_path / "proj", extra=2)
    proc = _run_in_c(root, tmp_path / "cache", "--jobs", "1", "--output-format", "json", "--analysis-timeout", "3600",
                     spin=1, allowed=120)
    assert proc.returncode == 1, proc.stderr
    assert "stopped after" not in proc.stderr
    found = {(Path(f["path"]).name, f["code"]) for f in json.loads(proc.stdout)}
    assert not [f for f in found if f[1] == "SYN002"]
    assert {name for name, code in found if code.startswith("HAL")} == {"bad.py", "i_bad.py"}
    _no_survivors(str(root))
