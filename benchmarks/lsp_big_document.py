"""A big document beside a small one: does typing in the big one slow hovers on the small one?

A scripted session over real stdio (the raw client of lsp_soak.py): a small document is opened
and analysed; then a dense valid Python document just under the 2 MiB max-file-size limit
(``--lines`` lines, 55,000 by default: about 1.95 MB, of small functions and classes that call the standard library) is opened;
once its first diagnostics arrive, the big document is typed in (one character inserted into a
comment every ``--edit-ms`` for ``--seconds``, incremental sync) while a hover is sent on the
small document every ``--hover-ms`` from the big document's opening until its last version's
diagnostics arrive.  Reported:

* hover latency on the small document (request -> response), p50 / p95 / max, while the big
  document is opened and analysed, and while it is typed in and re-analysed;
* the big document: open -> first diagnostics, last edit -> diagnostics of the last version;
* resident memory of the server and of its process tree (introspection workers, and the child
  that analyses a big document, ``vetpy/lsp/isolated.py``) before the big document is opened,
  the peak (sampled with every hover), and 5 s after the big document is closed.

Run it twice to compare: as is (documents over ``VETPY_LSP_ISOLATE_BYTES``, 256 KiB by default,
are analysed in a child process) and with ``VETPY_LSP_ISOLATE_BYTES=100000000`` in the
environment (the old in-process analysis).  Debounce 0 by default (``--debounce-ms``), as in the
other LSP benchmarks: every version is analysed (or its analysis started and then cancelled),
the worst case; with the editor's 250 ms and an edit every 100 ms nothing would be analysed
until the typing stops.  No assertion: a benchmark.  Results: benchmarks/soak.md.

Usage:
    python benchmarks/lsp_big_document.py [--lines 55000] [--seconds 30] [--edit-ms 100] [--hover-ms 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_latency import percentile, tree_rss_mb  # noqa: E402
from lsp_soak import RawServer, rss_mb, server_env  # noqa: E402

MAX_FILE_SIZE = 2 * 1024 * 1024  # vetpy's default max-file-size

SMALL = """import json
from pathlib import Path


def dump(data: dict, target: Path) -> None:
    target.write_text(json.dumps(data, indent=2))
"""
HOVER_AT = (5, 27)  # `dumps` in json.dumps


def big_text(lines: int) -> tuple[str, int]:
    """A dense valid module of about ``lines`` lines, and the line of the comment that is typed in."""
    out = ["import json", "import os", "import re", "from collections import OrderedDict", ""]
    i = 0
    while len(out) < lines - 8:
        out += [
            f"def handler_{i}(value: int) -> str:",
            f"    return json.dumps({{'k': value, 'i': {i}}}) + os.sep",
            f"class Item{i}:",
            f"    pattern = re.compile(r'x{i}')",
            f"    def get(self) -> OrderedDict:",
            f"        return OrderedDict(a={i})",
        ]
        i += 1
    out.append('BROKEN = json.loads_fast("{}")  # one finding (HAL003): the analysis ran')
    typed_line = len(out) // 2
    out.insert(typed_line, "# typed: ")
    text = "\n".join(out) + "\n"
    return text, typed_line


class Driver:
    """Hovers on the small document every ``hover_ms``, edits of the big one every ``edit_ms``
    while typing, the process's memory sampled with every hover."""

    def __init__(self, server: RawServer, small: str, hover_ms: float) -> None:
        self.server = server
        self.small = small
        self.hover_every = hover_ms / 1000
        self.sent: dict[int, float] = {}  # request id -> send time
        self.latencies: list[float] = []
        self.next_hover = time.monotonic()
        self.peak_server = 0.0
        self.peak_tree = 0.0
        self.publish_at: dict[tuple[str, int], float] = {}
        self.unanswered = 0  # hovers without an answer 60 s after the phase

    def _match(self, message: dict) -> bool:
        now = time.monotonic()
        ident = message.get("id")
        if ident in self.sent and "method" not in message:
            self.latencies.append(now - self.sent.pop(ident))
        if message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            self.publish_at.setdefault((params["uri"], params.get("version")), now)
        return False

    def _read(self, seconds: float) -> None:
        """Read (and note) what arrives within ``seconds``."""
        try:
            self.server.wait(self._match, timeout=max(0.001, seconds), keep=False)
        except AssertionError as exc:
            if not str(exc).startswith("timed out"):
                raise

    def _hover(self) -> None:
        pid = self.server.proc.pid
        self.peak_server = max(self.peak_server, rss_mb(pid))
        self.peak_tree = max(self.peak_tree, tree_rss_mb(pid))
        line, character = HOVER_AT
        ident = self.server.request("textDocument/hover", {
            "textDocument": {"uri": self.small}, "position": {"line": line, "character": character}})
        self.sent[ident] = time.monotonic()

    def pump(self, until: float, edit=None, edit_every: float = 0.0, done=None) -> None:
        """Run until ``until`` (monotonic) or ``done()``; ``edit()`` every ``edit_every`` s."""
        next_edit = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= until or (done is not None and done()):
                return
            if now >= self.next_hover:
                self._hover()
                self.next_hover += self.hover_every
            if edit is not None and now >= next_edit:
                edit()
                next_edit += edit_every
            wake = min(self.next_hover, next_edit if edit is not None else until, until)
            self._read(wake - time.monotonic())

    def take_latencies(self) -> list[float]:
        """Latencies so far (waiting up to 60 s for the hovers still unanswered)."""
        deadline = time.monotonic() + 60
        while self.sent and time.monotonic() < deadline:
            self._read(0.05)
        taken, self.latencies = self.latencies, []
        self.unanswered += len(self.sent)
        self.sent.clear()
        return taken


def run(lines: int, seconds: float, edit_ms: float, hover_ms: float, debounce_ms: int) -> dict[str, object]:
    text, typed_line = big_text(lines)
    size = len(text.encode())
    assert size < MAX_FILE_SIZE, f"{size} bytes: over max-file-size"
    with tempfile.TemporaryDirectory(prefix="vetpy-big-") as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        (root / "pyproject.toml").write_text("[project]\nname = 'big'\nversion = '0'\n")
        server = RawServer(root, server_env(Path(tmp) / "cache"))
        result: dict[str, object] = {"bytes": size, "lines": text.count("\n"), "debounce": debounce_ms}
        try:
            server.initialize({"debounceMs": debounce_ms})
            small = server.open("small.py", SMALL)
            server.published(small, 1, keep=False)
            server.hover(small, *HOVER_AT)  # warm: the first hover imports json in the worker
            time.sleep(2)
            pid = server.proc.pid
            result["server_before"], result["tree_before"] = rss_mb(pid), tree_rss_mb(pid)

            driver = Driver(server, small, hover_ms)
            big = (root / "big.py").as_uri()
            opened = time.monotonic()
            server.open("big.py", text)
            driver.pump(opened + 600, done=lambda: (big, 1) in driver.publish_at)
            result["open_to_first"] = driver.publish_at[(big, 1)] - opened
            result["hover_open"] = driver.take_latencies()

            version = 1
            column = len("# typed: ")

            def type_one() -> None:
                nonlocal version, column
                version += 1
                position = {"line": typed_line, "character": column}
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": big, "version": version},
                    "contentChanges": [{"range": {"start": position, "end": position}, "text": "x"}]})
                column += 1

            started = time.monotonic()
            driver.pump(started + seconds, edit=type_one, edit_every=edit_ms / 1000)
            last_edit = time.monotonic()
            driver.pump(last_edit + 600, done=lambda: (big, version) in driver.publish_at)
            result["edits"] = version - 1
            result["last_to_diagnostics"] = driver.publish_at[(big, version)] - last_edit
            result["diagnostics"] = len(server.last_publish[big]["diagnostics"])
            result["hover_typing"] = driver.take_latencies()
            result["server_peak"], result["tree_peak"] = driver.peak_server, driver.peak_tree
            result["unanswered"] = driver.unanswered

            server.close_doc(big)
            time.sleep(5)
            result["server_after"], result["tree_after"] = rss_mb(pid), tree_rss_mb(pid)
            server.hover(small, *HOVER_AT)  # still serving
            assert server.shutdown_and_exit() == 0
        finally:
            server.kill()
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def report(r: dict[str, object]) -> str:
    def lat(values: list[float]) -> str:
        if not values:
            return "- | - | - | 0"
        return f"{ms(statistics.median(values))} | {ms(percentile(values, 0.95))} | {ms(max(values))} | {len(values)}"

    isolate = os.environ.get("VETPY_LSP_ISOLATE_BYTES", "default (262144)")
    return "\n".join([
        f"VETPY_LSP_ISOLATE_BYTES={isolate}; big document {r['bytes']:,} bytes, {r['lines']:,} lines; "
        f"{r['edits']} edits typed; debounce {r['debounce']} ms; load avg {os.getloadavg()[0]:.1f}",
        "",
        "| hovers on the small document | p50 ms | p95 ms | max ms | hovers |",
        "|---|---:|---:|---:|---:|",
        f"| while the big one is opened and first analysed | {lat(r['hover_open'])} |",  # type: ignore[arg-type]
        f"| while it is typed in and re-analysed | {lat(r['hover_typing'])} |",  # type: ignore[arg-type]
        f"| (hovers unanswered 60 s after their phase: {r['unanswered']}) | | | | |",
        "",
        "| big document | value |",
        "|---|---:|",
        f"| open -> first diagnostics | {r['open_to_first']:.1f} s |",
        f"| last edit -> diagnostics of the last version | {r['last_to_diagnostics']:.1f} s |",
        f"| diagnostics of the last version | {r['diagnostics']} |",
        "",
        "| RSS MB | server | process tree |",
        "|---|---:|---:|",
        f"| before opening the big document | {r['server_before']:.1f} | {r['tree_before']:.1f} |",
        f"| peak (sampled with every hover) | {r['server_peak']:.1f} | {r['tree_peak']:.1f} |",
        f"| 5 s after closing it | {r['server_after']:.1f} | {r['tree_after']:.1f} |",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=55_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--edit-ms", type=float, default=100.0)
    parser.add_argument("--hover-ms", type=float, default=200.0)
    parser.add_argument("--debounce-ms", type=int, default=0)
    args = parser.parse_args()
    print(report(run(args.lines, args.seconds, args.edit_ms, args.hover_ms, args.debounce_ms)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
