"""EDGE037 subprocess-without-timeout: a ``subprocess.run``/``call``/``check_call``/
``check_output`` without ``timeout=`` in a module whose other subprocess calls set one (services
30-34: five authors' PDF helpers, each giving wkhtmltopdf and pdfinfo a timeout and forgetting it
on the qpdf call beside them). The module's own calls say a hung tool matters here; the one without
waits forever and holds its worker.

Spec: flagged where marked ``# !``; silent: a module where no subprocess call sets a timeout (the
author's choice, a CLI's ``git`` call), a call given ``timeout=`` (a value or a name) or
``**kwargs``, a module that runs threads joined with a timeout (xonsh's prompt), a sibling
whose ``timeout=None`` is no evidence, ``Popen``, a test module (the runner's timeout ends a hung
test).
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE037"])

FLAGGED = """\
import subprocess
from pathlib import Path
from subprocess import check_output

QPDF = "/usr/bin/qpdf"


def html_to_pdf(src: Path, out: Path) -> None:
    subprocess.run(["wkhtmltopdf", "--quiet", str(src), str(out)], check=True, timeout=60)


def compress_pdf(pdf: Path, out: Path) -> None:
    subprocess.run(["qpdf", "--linearize", str(pdf), str(out)], check=True)  # !


def page_count(pdf: Path) -> int:
    res = subprocess.run([QPDF, "--show-npages", str(pdf)], capture_output=True, text=True)  # !
    return int(res.stdout.strip() or 0)


def info(pdf: Path) -> str:
    return check_output(["pdfinfo", str(pdf)], text=True)  # !


def merge(paths: list[Path], out: Path) -> None:
    subprocess.check_call(["qpdf", "--empty", "--pages", *map(str, paths), "--", str(out)])  # !


def stamp(pdf: Path) -> int:
    return subprocess.call(f"pdftk {pdf} stamp s.pdf output o.pdf", shell=True)  # !
"""

# No evidence in the module: nothing set a timeout, so the author did not decide on one here.
NO_SIBLING = """\
import subprocess


def revision() -> str:
    return subprocess.check_output(["git", "rev-parse", "HEAD"], text=True).strip()


def play(url: str) -> None:
    subprocess.run(["mpv", url], check=True)
"""

ACCEPTED = """\
import subprocess
import threading
import queue

TIMEOUT = 30


def render(src: str, out: str) -> None:
    subprocess.run(["wkhtmltopdf", src, out], check=True, timeout=60)


def named(src: str) -> None:
    subprocess.run(["qpdf", "--check", src], check=True, timeout=TIMEOUT)


def forwarded(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, **kwargs)


def spawned(cmd: list[str]) -> subprocess.Popen:
    return subprocess.Popen(cmd)
"""

# A module that runs threads and joins them with a timeout gives up waiting on its own.
THREADED = """\
import queue
import subprocess
import threading


def render(src: str, out: str) -> None:
    subprocess.run(["wkhtmltopdf", src, out], check=True, timeout=60)


def _git(cmd: list[str]) -> bytes:
    return subprocess.check_output(cmd, stderr=subprocess.DEVNULL)


def _branch(q: queue.Queue) -> None:
    q.put(_git(["git", "symbolic-ref", "--short", "HEAD"]))


def _status(q: queue.Queue) -> None:
    q.put(subprocess.check_output(["git", "status", "--porcelain"]))


def branch(timeout: float) -> str | None:
    q: queue.Queue = queue.Queue()
    t = threading.Thread(target=_branch, args=(q,))
    t.start()
    t.join(timeout=timeout)
    threading.Thread(target=_status, args=(q,)).start()
    return q.get_nowait()
"""

# A sibling that says timeout=None is no evidence that a timeout is wanted.
NONE_SIBLING = """\
import subprocess


def serve() -> None:
    subprocess.run(["gunicorn", "app:app"], check=True, timeout=None)


def migrate() -> None:
    subprocess.run(["alembic", "upgrade", "head"], check=True)
"""


def _found(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/pdf.py", CTX) if f.code == "EDGE037"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_a_call_without_the_timeout_its_siblings_set_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_a_module_that_never_sets_a_timeout_is_not_judged() -> None:
    assert _found(NO_SIBLING) == []


def test_timeouts_given_forwarded_threaded_or_popen_are_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_a_module_joining_its_threads_with_a_timeout_is_not_judged() -> None:
    assert _found(THREADED) == []
    assert _found(THREADED.replace("t.join(timeout=timeout)", "t.join()")) == [THREADED.splitlines().index(
        '    return subprocess.check_output(cmd, stderr=subprocess.DEVNULL)') + 1, THREADED.splitlines().index(
        '    q.put(subprocess.check_output(["git", "status", "--porcelain"]))') + 1]


def test_a_timeout_none_sibling_is_no_evidence() -> None:
    assert _found(NONE_SIBLING) == []


def test_a_test_module_is_not_judged() -> None:
    found = [f for f in check_source(FLAGGED, "tests/test_pdf.py", CTX) if f.code == "EDGE037"]
    assert found == []


def test_the_message_names_the_program_and_the_sibling() -> None:
    found = sorted((f for f in check_source(FLAGGED, "svc/pdf.py", CTX) if f.code == "EDGE037"), key=lambda f: f.line)
    assert "`qpdf`" in found[0].message and "other subprocess calls set one" in found[0].message
    assert "`subprocess.run`" in found[0].message
