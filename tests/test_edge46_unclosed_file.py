"""EDGE039 unclosed-file: a file opened into a local name (``fh = open(path, "a")``) that the
function only calls methods of (``fh.write(...)``, ``return fh.read()``) and never closes, hands
on or uses as a context manager (services 29, 30, 31, 35: an audit line appended, a remittance
file written, a report read, each through a handle nobody closes). The handle stays open until
the garbage collector finds it (and what was written may sit unflushed in its buffer until then):
`with open(...) as fh:` closes it when the block ends, also on an error.

Spec: flagged where marked ``# !``; silent: a handle closed (also in ``finally``), used in
``with``, returned, passed to a call, stored (``self.fh = fh``, ``sys.stdout = fh``), iterated,
whose ``fileno()`` is taken (a lock or a descriptor handed to ``os.dup2``), rebound, referenced
from a nested function, opened at module level, a handle never used, a parameter's name, an
``open`` that is not the builtin, and a test module.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE039"])

FLAGGED = """\
import io
import os
from pathlib import Path

EXPORT_DIR = "/srv/exports"


def append_audit_line(path: Path, line: str) -> None:
    fh = open(path, "a", encoding="utf-8")  # !
    fh.write(line + "\\n")


def import_remittance(data: bytes) -> int:
    handle = open(os.path.join(EXPORT_DIR, "era-latest.835"), "wb")  # !
    handle.write(data)
    return len(data)


def read_text_report(path: Path) -> str:
    f = open(path, encoding="utf-8")  # !
    return f.read()


def open_log(path: Path):
    fh = open(path, "a")  # !
    fh.write("opened\\n")
    return path


def first_line(path: str) -> str:
    src = io.open(path)  # !
    head = src.readline()
    src.seek(0)
    return head


async def dump(path: str, rows: list[str]) -> None:
    out = open(path, "w")  # !
    out.writelines(rows)
"""

ACCEPTED = """\
import fcntl
import json
import os
import sys

LOG = open("/var/log/app.log", "a")


def closed(path: str) -> str:
    f = open(path)
    data = f.read()
    f.close()
    return data


def closed_finally(path: str, text: str) -> None:
    f = open(path, "w")
    try:
        f.write(text)
    finally:
        f.close()


def with_block(path: str) -> str:
    f = open(path)
    with f:
        return f.read()


def returned(path: str):
    f = open(path, "rb")
    f.seek(0)
    return f


def handed_on(path: str) -> dict:
    f = open(path)
    f.seek(0)
    return json.load(f)


def stored(self, path: str) -> None:
    fh = open(path, "a")
    fh.write("start\\n")
    self.log = fh


def redirected(path: str) -> None:
    fh = open(path, "a")
    fh.write("--\\n")
    sys.stdout = fh


def iterated(path: str) -> int:
    f = open(path)
    f.readline()
    return sum(1 for _ in f)


def locked(path: str) -> None:
    lock = open(path, "w")
    fcntl.flock(lock.fileno(), fcntl.LOCK_EX)


def daemonised() -> None:
    si = open(os.devnull, "r")
    os.dup2(si.fileno(), sys.stdin.fileno())


def rebound(path: str, other: str) -> str:
    f = open(path)
    f = open(other)
    return f.read()


def closure(path: str):
    f = open(path)
    f.seek(0)

    def read() -> str:
        return f.read()
    return read


def unused(path: str) -> None:
    keep = open(path, "w")


def parameter(f, path: str) -> str:
    f = open(path)
    return f.read()


def atexit_closed(path: str) -> None:
    import atexit
    f = open(path, "a")
    f.write("x")
    atexit.register(f.close)
"""

SHADOWED = """\
from storage import open


def fetch(key: str) -> bytes:
    obj = open(key)
    return obj.read()
"""

IN_A_TEST = """\
def test_written(tmp_path) -> None:
    f = open(tmp_path / "x.txt", "w")
    f.write("x")
"""


def _found(src: str, path: str = "svc/files.py") -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), path, CTX) if f.code == "EDGE039"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_a_handle_only_called_and_never_closed_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_handles_closed_handed_on_stored_locked_or_rebound_are_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_an_open_that_is_not_the_builtin_is_not_judged() -> None:
    assert _found(SHADOWED) == []


def test_a_test_module_is_not_judged() -> None:
    assert _found(IN_A_TEST, "tests/test_files.py") == []


def test_the_finding_says_how_to_close_it() -> None:
    found = [f for f in check_source(textwrap.dedent(FLAGGED), "svc/files.py", CTX) if f.code == "EDGE039"]
    assert "`with open(...) as fh:`" in found[0].message
