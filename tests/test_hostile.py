"""Hostile workspaces for the command line: each case runs the real ``vetpy check`` in a
subprocess and must end in bounded time with clear one-line messages, no traceback, and the
healthy files of the project still checked.

Wall times are measured and printed in the test summary ("hostile workspace timings"), never
asserted; the subprocess timeout only keeps a hang from blocking CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import write

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

VETPY = Path(sys.executable).with_name("vetpy")
TIMEOUT = 240  # seconds: only against hanging CI, not a performance assertion
HEALTHY = {"healthy.py": "import fastjsonx\n", "broken_syntax.py": "def f(:\n"}

TIMINGS: list[tuple[str, float]] = []


class _TimingReport:
    """Prints TIMINGS in pytest's terminal summary (registered once per session)."""

    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
        if TIMINGS:
            terminalreporter.write_sep("-", "hostile workspace timings (wall clock, informational)")
            for name, seconds in TIMINGS:
                terminalreporter.write_line(f"{name:<48} {seconds:7.2f} s")


@pytest.fixture(scope="module", autouse=True)
def _report_timings(request):
    manager = request.config.pluginmanager
    if not manager.has_plugin("vetpy-hostile-timings"):
        manager.register(_TimingReport(), "vetpy-hostile-timings")


def check(name: str, root: Path, *args: str, prefix: tuple[str, ...] = (), env: dict[str, str] | None = None):
    """Run ``vetpy check --format json`` on ``root``; return (exit code, findings, stderr lines)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.run(
        [*prefix, str(VETPY), "check", "--format", "json", "--no-cache", *args, str(root)],
        capture_output=True, text=True, timeout=TIMEOUT, env=full_env, cwd=root,
    )
    TIMINGS.append((name, time.perf_counter() - start))
    errors = proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    for line in errors:
        assert line.startswith("vetpy: ") and line.isprintable() and len(line) < 600, line
    # an error (exit 2) stops the check before anything is analysed: no report at all
    findings = {(Path(f["path"]).name, f["code"]): f["message"] for f in json.loads(proc.stdout or "[]")}
    return proc.returncode, findings, errors


def healthy_checked(findings: dict, with_environment: bool = True) -> None:
    assert ("broken_syntax.py", "SYN001") in findings
    if with_environment:
        assert ("healthy.py", "HAL001") in findings


def project(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "ws"
    write(root, {"pyproject.toml": '[project]\nname = "ws"\nversion = "1"\n', **HEALTHY, **(files or {})})
    return root


PY = ("--python", sys.executable)


def test_symlink_loop_directory_to_parent(tmp_path):
    root = project(tmp_path, {"pkg/mod.py": "import json\n"})
    (root / "pkg" / "up").symlink_to("..", target_is_directory=True)
    (root / "self").symlink_to(".", target_is_directory=True)
    code, findings, errors = check("symlink loop (dir -> parent)", root, *PY)
    assert code == 1 and errors == []
    healthy_checked(findings)


def test_symlink_loop_between_files_is_reported_per_file(tmp_path):
    root = project(tmp_path)
    (root / "a_loop.py").symlink_to("b_loop.py")
    (root / "b_loop.py").symlink_to("a_loop.py")
    code, findings, _ = check("symlink loop (file <-> file)", root, *PY)
    assert code == 1
    assert "symbolic links" in findings[("a_loop.py", "SYN002")]
    healthy_checked(findings)


def test_50_mb_pyproject_is_a_one_line_configuration_error(tmp_path):
    root = project(tmp_path)
    entry = '  "package-with-a-rather-long-name-for-padding>=1.0",\n'
    with (root / "pyproject.toml").open("w") as fh:
        fh.write('[project]\nname = "ws"\nversion = "1"\ndependencies = [\n')
        fh.write(entry * (50 * 1024 * 1024 // len(entry)))
        fh.write("]\n")
    code, findings, errors = check("pyproject.toml of 50 MB", root, *PY)
    assert code == 2  # a configuration error: nothing is checked (issue 18: never a run that looks green)
    assert any("pyproject.toml" in e and "too large" in e for e in errors), errors
    assert findings == {} and "vetpy: error: nothing was checked" in errors


def test_10_mb_single_line_file_is_skipped_with_a_reason(tmp_path):
    root = project(tmp_path)
    (root / "huge.py").write_text("x = [" + "1," * 5_000_000 + "]\n")
    code, findings, _ = check("10 MB single-line .py", root, *PY)
    assert code == 1
    assert "too large to check" in findings[("huge.py", "SYN002")]
    healthy_checked(findings)


def _without_dac_override() -> tuple[str, ...] | None:
    """A command prefix under which file permissions apply (root ignores chmod 000)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def test_unreadable_file_is_reported_and_the_rest_checked(tmp_path):
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("running as root without setpriv/capabilities: chmod 000 cannot stop root from reading")
    root = project(tmp_path, {"secret.py": "import os\n"})
    (root / "secret.py").chmod(0o000)
    try:
        code, findings, _ = check("unreadable file (chmod 000)", root, *PY, prefix=prefix,
                                  env={"VETPY_CACHE_DIR": str(tmp_path / "cache")})
    finally:
        (root / "secret.py").chmod(0o644)
    assert code == 1
    assert "permission denied" in findings[("secret.py", "SYN002")]
    healthy_checked(findings)


def test_fifo_directory_and_broken_symlink_named_like_python_files(tmp_path):
    root = project(tmp_path, {"y.py/inner.py": "import fastjsonx\n"})
    os.mkfifo(root / "x.py")
    (root / "z.py").symlink_to(tmp_path / "nowhere" / "z.py")
    code, findings, _ = check("FIFO x.py, directory y.py, broken link z.py", root, *PY)
    assert code == 1
    assert "not a regular file" in findings[("x.py", "SYN002")]
    assert "broken symbolic link" in findings[("z.py", "SYN002")]
    assert ("inner.py", "HAL001") in findings  # a directory named y.py is walked, not read
    healthy_checked(findings)


def test_fifo_given_explicitly_does_not_block(tmp_path):
    root = project(tmp_path)
    os.mkfifo(root / "x.py")
    start = time.perf_counter()
    proc = subprocess.run([str(VETPY), "check", "--no-cache", *PY, str(root / "x.py")],
                          capture_output=True, text=True, timeout=TIMEOUT)
    TIMINGS.append(("FIFO x.py named on the command line", time.perf_counter() - start))
    assert proc.returncode == 1 and "not a regular file" in proc.stdout
    assert "Traceback" not in proc.stderr


def _fake_venv(root: Path, script: str | None, target: str | None = None) -> Path:
    venv = root / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /nonexistent\n")
    python = venv / "bin" / "python"
    if target is not None:
        python.symlink_to(target)
    else:
        python.write_text(script or "")
        python.chmod(0o755)
    return python


def test_venv_pointing_to_a_missing_interpreter(tmp_path):
    root = project(tmp_path)
    _fake_venv(root, None, target="/nonexistent/bin/python3.11")
    code, findings, errors = check(".venv -> missing interpreter", root)
    assert code == 1
    assert len(errors) == 1 and "not found" in errors[0] and "checking without the target environment" in errors[0]
    healthy_checked(findings, with_environment=False)


def test_interpreter_that_hangs_is_killed_with_its_children(tmp_path):
    root = project(tmp_path)
    pids = tmp_path / "pids"
    _fake_venv(root, f"#!/bin/sh\nsleep 600 &\necho $! >> {pids}\necho $$ >> {pids}\nwait\n")
    code, findings, errors = check("interpreter that hangs", root, env={"VETPY_PROBE_TIMEOUT": "3"})
    assert code == 1
    assert len(errors) == 1 and "did not answer within 3 s (killed)" in errors[0]
    healthy_checked(findings, with_environment=False)
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), f"process {pid} of the hung interpreter survived"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return state not in "ZX"  # a zombie is dead, only not yet reaped by init


@pytest.mark.parametrize(
    "name, script, expected",
    [
        ("prints random bytes", "#!/bin/sh\nhead -c 300000 /dev/urandom\nhead -c 3000 /dev/urandom >&2\n", "probe failed"),
        ("answers with broken JSON", "#!/bin/sh\necho '@@VETPY-PROBE@@{\"version\": [3,'\n", "probe answered garbage"),
        ("answers with wrong JSON", "#!/bin/sh\necho '@@VETPY-PROBE@@[1, 2, 3]'\n", "probe answered garbage"),
        ("answers with wrong types", "#!/bin/sh\necho '@@VETPY-PROBE@@{\"version\": \"x\", \"distributions\": 5}'\n", "unexpected probe answer"),
        ("prints terminal escapes", "#!/bin/sh\nprintf '\\033[2J\\033]0;pwned\\007\\rfake error\\n' >&2\nexit 3\n", "probe failed"),
    ],
)
def test_interpreter_that_prints_garbage(tmp_path, name, script, expected):
    root = project(tmp_path)
    _fake_venv(root, script)
    code, findings, errors = check(f"interpreter {name}", root)
    assert code == 1
    assert len(errors) == 1 and expected in errors[0], errors
    healthy_checked(findings, with_environment=False)
