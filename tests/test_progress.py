"""Progress on stderr for long runs (issue #17 point 3): only on a terminal, only after a delay,
erased before the report; never in pipes or CI logs."""

from __future__ import annotations

import io
from pathlib import Path

from vetpy.cli.run import CheckOptions, run_check
from vetpy.terminal import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_shown_before_the_delay_then_one_line_that_close_erases():
    now = [0.0]
    stream = Terminal()
    progress = Progress(stream, delay=2.0, clock=lambda: now[0])
    progress(1, 10)
    assert stream.getvalue() == ""  # a quick run prints nothing
    now[0] = 2.5
    progress(4, 10)
    progress(5, 10)
    assert stream.getvalue() == "\rvetpy: 4/10 files checked\rvetpy: 5/10 files checked"
    progress.close()
    assert stream.getvalue().endswith("\r\033[K")


def test_a_stream_that_is_not_a_terminal_never_gets_progress():
    stream = io.StringIO()
    progress = Progress(stream, delay=0.0)
    progress(1, 1)
    progress.close()
    assert stream.getvalue() == ""


def test_run_check_reports_every_file_once_and_ends_at_the_total(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    for i in range(3):
        (tmp_path / f"m{i}.py").write_text("x = 1\n")
    calls: list[tuple[int, int]] = []
    run_check([str(tmp_path)], CheckOptions(), jobs=1, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    calls.clear()
    run_check([str(tmp_path)], CheckOptions(), jobs=1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(3, 3)]  # everything came from the result cache
