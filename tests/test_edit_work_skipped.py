"""Work an edit's analysis skips when it cannot change a finding (issue 17: the editor's p95).

Specification: the edited function of a web application is analysed on every keystroke; these
checks did work whose result no finding could depend on:

* EDGE018 (unlocked shared state) walked up from every assignment of a function looking for a
  lock even when the function can touch no module-level container or counter (the module holds
  only constants it never declares ``global``): it now returns first.  Still reported: a function
  that declares a counter ``global`` and updates it; a look-alike, the same ``+= 1`` on a local of
  that name, is not (as before).
* EDGE005 (unbounded reads) listed every ``stream=True`` assignment of the file before it met a
  ``.content``/``.text``/``.json`` read: it now lists them at the first such read only.  Still
  reported: a response requested with ``stream=True`` and read whole; not reported: the same read
  of a response requested without it.

Tests assert what was done (calls), never how long it took.
"""

from __future__ import annotations

import textwrap

import pytest

from vetpy.context import AnalysisContext
from vetpy.engine import check_source
from vetpy.rules import load_all
from vetpy.rules.edge import concurrency, unbounded_reads

CTX = AnalysisContext.bare(select=["EDGE"])


def _lines(src: str, code: str) -> list[int]:
    load_all()
    return sorted(f.line for f in check_source(textwrap.dedent(src), path="app.py", ctx=CTX) if f.code == code)


def _recording(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    calls: list[object] = []
    original = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args: (calls.append(args), original(*args))[1])
    return calls


CONSTANTS_ONLY = """\
import threading

LIMIT = 10
RETRIES = 3


def worker(items):
    total = 0
    count = LIMIT
    for item in items:
        total += item
    return total, count


threading.Thread(target=worker, args=([1],)).start()
"""

GLOBAL_COUNTER = """\
import threading

HITS = 0


def count():
    global HITS
    HITS += 1  # the finding


def local_count():
    HITS = 0
    HITS += 1
    return HITS


threading.Thread(target=count).start()
threading.Thread(target=local_count).start()
"""


def test_a_global_counter_updated_without_a_lock_is_still_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    looked = _recording(monkeypatch, concurrency, "_holds_lock")
    line = GLOBAL_COUNTER.splitlines().index("    HITS += 1  # the finding") + 1
    assert _lines(GLOBAL_COUNTER, "EDGE018") == [line]
    assert looked  # the function that declares it global is looked at


STREAMED = """\
import requests


def fetch(url):
    reply = requests.get(url, stream=True, timeout=5)
    return reply.content


def plain(url):
    reply = requests.get(url, timeout=5)
    return reply.content
"""

NO_BODY_READ = """\
import requests


def fetch(url):
    reply = requests.get(url, stream=True, timeout=5)
    with open("out", "wb") as out:
        for chunk in reply.iter_content(1024):
            out.write(chunk)
    return reply.status_code
"""


@pytest.mark.parametrize(("module", "name", "source", "code"), [
    (concurrency, "_holds_lock", CONSTANTS_ONLY, "EDGE018"),  # no module state the function can touch
    (unbounded_reads, "_stream_assignments", NO_BODY_READ, "EDGE005"),  # no `.content`/`.text`/`.json` read
])
def test_work_no_finding_can_depend_on_is_not_done(monkeypatch: pytest.MonkeyPatch, module: object, name: str, source: str, code: str) -> None:
    done = _recording(monkeypatch, module, name)
    assert _lines(source, code) == []
    assert done == []


def test_a_streamed_response_read_whole_is_still_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = _recording(monkeypatch, unbounded_reads, "_stream_assignments")
    assert _lines(STREAMED, "EDGE005") == [6]
    assert len(listed) == 1  # once per analysis, however many reads
