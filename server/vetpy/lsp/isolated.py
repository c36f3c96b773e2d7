"""Big documents are analysed in a child process, so that they cannot slow the rest.

Parsing and analysing a dense file of a few megabytes takes seconds of CPU and hundreds of
megabytes.  In the server's own process that work holds the interpreter lock in long stretches
(``ast.parse`` never releases it), so hovers and diagnostics of every other document wait, and
the memory stays with the server after the document is closed.  A document over
``ISOLATE_BYTES`` (UTF-8; ``VETPY_LSP_ISOLATE_BYTES``) is therefore analysed by
``python -m vetpy.lsp.isolated``: a child of vetpy's own interpreter, in its own process group,
that builds the project's context with the same arguments the server used
(:attr:`vetpy.lsp.projects.Project.build`, so trust and settings are the same), runs the engine on
the text and writes the findings as JSON.  The child is killed when a newer version makes the
analysis moot, when it takes longer than ``CHILD_TIMEOUT`` seconds, and with the server.  Its
memory goes back to the system when it exits.

Exchange: the request (``{"root", "build", "path", "text"}``) and the answer (a JSON list of
:meth:`vetpy.findings.Finding.to_dict`) are files in a private temporary directory; the answer is
read only up to ``MAX_ANSWER_BYTES``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

from vetpy.environment.discovery import kill_group
from vetpy.findings import Finding

log = logging.getLogger("vetpy")

ISOLATE_BYTES = int(os.environ.get("VETPY_LSP_ISOLATE_BYTES", str(256 * 1024)))
CHILD_TIMEOUT = 300.0  # seconds
MAX_ANSWER_BYTES = 64 * 1024 * 1024
_POLL = 0.1  # seconds between looks at the child and at the cancellation flag


def wants_isolation(text: str) -> bool:
    """Is ``text`` big enough to be analysed in a child process?"""
    return len(text) > ISOLATE_BYTES or len(text.encode("utf-8", "surrogatepass")) > ISOLATE_BYTES


class IsolatedFailure(Exception):
    """The child did not answer (killed, crashed, timed out, or answered nonsense)."""


def analyze_isolated(
    root: Path, build: dict[str, Any], path: str, text: str, cancelled: Callable[[], bool]
) -> list[Finding] | None:
    """The findings of ``text`` as ``path`` under the project ``root``, computed by a child
    process; None when ``cancelled()`` became true first.  Raises :class:`IsolatedFailure`."""
    with tempfile.TemporaryDirectory(prefix="vetpy-isolated-") as scratch:
        request = Path(scratch, "request.json")
        answer = Path(scratch, "answer.json")
        request.write_text(json.dumps({"root": str(root), "build": build, "path": path, "text": text}), encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "vetpy.lsp.isolated", str(request), str(answer)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: killed as a whole
        )
        waited = 0.0
        try:
            while True:
                try:
                    code = proc.wait(timeout=_POLL)
                    break
                except subprocess.TimeoutExpired:
                    waited += _POLL
                if cancelled():
                    return None
                if waited > CHILD_TIMEOUT:
                    raise IsolatedFailure(f"the analysis took longer than {CHILD_TIMEOUT:.0f} s")
        finally:
            kill_group(proc)  # what the child started outlives it otherwise
            if proc.poll() is None:
                proc.wait()
        if code != 0:
            raise IsolatedFailure(f"the analysing process exited with {code}")
        try:
            with answer.open("rb") as fh:
                data = fh.read(MAX_ANSWER_BYTES + 1)
            if len(data) > MAX_ANSWER_BYTES:
                raise IsolatedFailure("the analysing process answered more than 64 MiB")
            return [Finding.from_dict(item) for item in json.loads(data)]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IsolatedFailure(f"the analysing process answered nothing usable: {exc}") from None


def _child(request_path: str, answer_path: str) -> int:
    from vetpy.document import Document
    from vetpy.engine import analyze
    from vetpy.project import build_context

    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    build = dict(request["build"])
    build["workspace"] = tuple(Path(p) for p in build.get("workspace", ()))
    setup = build_context(Path(request["root"]), **build)
    try:
        findings = analyze(Document(path=request["path"], text=request["text"]), setup.ctx)
    finally:
        if setup.ctx.members is not None:
            setup.ctx.members.close()
    Path(answer_path).write_text(json.dumps([f.to_dict() for f in findings]), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a child process
    logging.disable(logging.CRITICAL)
    sys.exit(_child(sys.argv[1], sys.argv[2]))
