"""LSP soak: a compressed editing day against ``vetpy serve``; memory, processes and fds over time.

A scripted session over real stdio: N files that import the standard library and installed
third-party packages (``packaging``, ``jedi``), edited round-robin (every edit changes one line:
a new local name, a call, now and then a hallucinated attribute such as ``json.loads_fast`` or
``packaging.version.Verison`` with a fresh suffix so that caches see new keys), each file's final
version awaited before the next round; every 500 edits one file is closed and reopened.  Every
``--every`` edits the table gets a row: resident memory of the server and of its whole process
tree, the number of subprocesses (introspection workers), and the server's open file descriptors.

Usage:
    python benchmarks/lsp_soak.py [--edits 50000] [--files 50] [--every 2500]
    python benchmarks/lsp_soak.py --lines FILE [--edits 8000] [--every 1000]
    python benchmarks/lsp_soak.py --real [--edits 50000] [--every 1000] [--minutes 35]

``--real``: six real files (fixtures/demo/app, packaging's version.py, jedi's environment.py)
edited round-robin by :class:`RealFile` (Enter pressed or a blank line taken out, now and then
a call turned into a hallucinated attribute), every edit's diagnostics awaited; the rows give
the workers' RSS; at the end each file's last published diagnostics are compared with
``vetpy check`` of its final text ("final diagnostics == vetpy check: yes/no").

The full run (50,000 edits across 50 files, an 8-hour editing day compressed) takes a while; the
short version runs in CI as tests/test_lsp_soak.py.  Results: benchmarks/soak.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_latency import _tree, tree_rss_mb  # noqa: E402
from vetpy.lsp.analysis import STATIC_FIRST_NOTE  # noqa: E402

SERVER = [sys.executable, "-m", "vetpy", "serve"]


# -- /proc ---------------------------------------------------------------------------------------
def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (Linux /proc)."""
    return set(_tree(pid)) - {pid}


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` (wall time is inflated on a shared machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- a raw stdio client --------------------------------------------------------------------------
HANG_SECONDS = 300.0  # default wait for an answer: only stops a hang (a loaded 2-core CI machine is slow)


class RawServer:
    """``vetpy serve`` on pipes; frames written byte for byte, read by a thread into a queue."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.proc = subprocess.Popen(
            SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=root
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.last_publish: dict[str, dict[str, Any]] = {}  # uri -> the latest publishDiagnostics params
        # (uri, version) -> its latest publication, how many, and how many were the static
        # findings published before the environment was read (the server logs it just before)
        self.by_version: dict[tuple[str, Any], dict[str, Any]] = {}
        self.publications: dict[tuple[str, Any], int] = {}
        self.static_first: dict[tuple[str, Any], int] = {}
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line in (b"\r\n", b"\n") and length is not None:
                    break
            self.inbox.put(json.loads(out.read(length)))

    # -- writing -----------------------------------------------------------------------
    def raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None) -> int:
        self._next += 1
        self.send({"id": self._next, "method": method, "params": params})
        return self._next

    # -- reading -----------------------------------------------------------------------
    def wait(self, match: Any, timeout: float = HANG_SECONDS, keep: bool = True) -> dict[str, Any]:
        """The first message (already seen or arriving within ``timeout``) that ``match``es;
        answers the server's own requests on the way.  ``keep=False``: do not remember others."""
        for message in self.seen:
            if match(message):
                return message
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            if message is None:
                raise AssertionError("the server closed its output")
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                self.last_publish[params["uri"]] = params
                key = (params["uri"], params.get("version"))
                self.by_version[key] = params
                self.publications[key] = self.publications.get(key, 0) + 1
            elif message.get("method") == "window/logMessage":
                note = re.fullmatch(rf"(\S+) version (\S+): {re.escape(STATIC_FIRST_NOTE)}", message["params"].get("message", ""))
                if note:
                    key = (note[1], None if note[2] == "None" else int(note[2]))
                    self.static_first[key] = self.static_first.get(key, 0) + 1
            if message.get("method") == "workspace/configuration" and "id" in message:
                self.send({"id": message["id"], "result": [None] * len(message["params"]["items"])})
            elif "id" in message and "method" in message:
                self.send({"id": message["id"], "result": None})
            if match(message):
                return message
            if keep:
                self.seen.append(message)
        raise AssertionError(f"timed out after {timeout:g} s")

    def response(self, ident: int, timeout: float = HANG_SECONDS) -> dict[str, Any]:
        return self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)

    def published(self, uri: str, version: int, timeout: float = HANG_SECONDS, keep: bool = True) -> dict[str, Any]:
        """The latest publication of ``version`` once one is the whole analysis's (on a cold start
        the static findings come first: vetpy.lsp.analysis.publish_static_first)."""
        key = (uri, version)

        def whole(_message: Any = None) -> bool:
            return self.publications.get(key, 0) > self.static_first.get(key, 0)

        if not whole():
            self.wait(whole, timeout, keep)
        return self.by_version[key]

    # -- session -----------------------------------------------------------------------
    def initialize(self, settings: dict[str, Any] | None = None) -> dict[str, Any]:
        ident = self.request("initialize", {
            "processId": os.getpid(), "rootUri": self.root.as_uri(), "capabilities": {},
            "workspaceFolders": [{"uri": self.root.as_uri(), "name": self.root.name}],
            "initializationOptions": {"settings": {"debounceMs": 0, **(settings or {})}},
        })
        result = self.response(ident)["result"]
        self.notify("initialized", {})
        return result

    def open(self, name: str, text: str, version: int = 1) -> str:
        uri = (self.root / name).as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}})
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})

    def close_doc(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def hover(self, uri: str, line: int = 0, character: int = 8) -> dict[str, Any]:
        position = {"line": line, "character": character}
        return self.response(self.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position}))

    def shutdown_and_exit(self) -> int:
        assert self.response(self.request("shutdown"))["result"] is None
        self.notify("exit")
        return self.proc.wait(timeout=HANG_SECONDS)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def server_env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["VETPY_CACHE_DIR"] = str(cache)
    env["VETPY_LSP_POLL_SECONDS"] = "0"
    return env


# -- the workload --------------------------------------------------------------------------------
HEADER = """import json
import os
import re
from collections import OrderedDict
from pathlib import Path

import jedi
from packaging.version import Version
from packaging.specifiers import SpecifierSet


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def newest(versions: list[str]) -> Version:
    return max(Version(v) for v in versions if v in SpecifierSet(">=1.0"))


def complete(source: str) -> list[str]:
    return [c.name for c in jedi.Script(source).complete(1, 1)]
"""

HALLUCINATIONS = ("json.loads_fast{n}", "os.path.exists_all{n}", "re.fullsearch{n}", "Path.cwd_name{n}")


def file_text(index: int, step: int) -> str:
    """File ``index`` after its ``step``-th edit: the header, then one line that the edit changed."""
    if step % 7 == 3:
        line = f"broken_{step} = {HALLUCINATIONS[step % len(HALLUCINATIONS)].format(n=step % 997)}(OrderedDict())"
    elif step % 11 == 5:
        line = f"def unfinished_{step}(x:"  # half-typed: a syntax error for one version
    else:
        line = f"value_{index}_{step} = newest([os.environ.get('V', '1.{step}')])"
    return f"{HEADER}\n\n{line}\n"


@dataclass
class Row:
    edits: int
    seconds: float
    cpu: float
    server_mb: float
    tree_mb: float
    workers: int
    fds: int


def sampler(server: RawServer, rows: list[Row], out: Any = None) -> Any:
    """``sample(done)``: a row for the server after ``done`` edits, added to ``rows`` (and printed)."""
    started = time.monotonic()

    def sample(done: int) -> None:
        pid = server.proc.pid
        row = Row(done, time.monotonic() - started, cpu_seconds(pid), rss_mb(pid), tree_rss_mb(pid),
                  len(descendants(pid)), open_fds(pid))
        rows.append(row)
        if out is not None:
            print(fmt(row), file=out, flush=True)

    return sample


def soak(edits: int, files: int, every: int, root: Path, cache: Path, out: Any = None) -> list[Row]:
    """Run the session; a row every ``every`` edits (printed to ``out`` as it comes)."""
    server = RawServer(root, server_env(cache))
    rows: list[Row] = []
    sample = sampler(server, rows, out)

    try:
        server.initialize()
        uris = [server.open(f"mod_{i}.py", file_text(i, 0)) for i in range(files)]
        for uri in uris:
            server.published(uri, 1, timeout=120, keep=False)
        versions = [1] * files
        if out is not None:
            print(HEAD, file=out, flush=True)
        sample(0)
        done = 0
        while done < edits:
            batch = range(min(files, edits - done))
            for i in batch:
                versions[i] += 1
                server.change(uris[i], versions[i], file_text(i, done + i + 1))
            for i in batch:
                server.published(uris[i], versions[i], timeout=120, keep=False)
            before = done
            done += len(batch)
            if done // 500 != before // 500:  # close and reopen one file now and then
                i = (done // 500) % files
                server.close_doc(uris[i])
                versions[i] = 1
                uris[i] = server.open(f"mod_{i}.py", file_text(i, done))
                server.published(uris[i], 1, timeout=120, keep=False)
            if done // every != before // every:
                sample(done)
        if rows[-1].edits != done:
            sample(done)
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()
    return rows


def line_edit_text(lines: list[str], step: int) -> str:
    """Edit ``step`` of a file of ``lines``: odd steps press Enter somewhere inside the file (a
    blank line more), even steps take it out again; every edit changes the number of lines, so
    the server parses and analyses the whole file each time."""
    if step % 2 == 0:
        return "\n".join(lines) + "\n"
    at = 1 + (step * 37) % (len(lines) - 1)
    return "\n".join([*lines[:at], "", *lines[at:]]) + "\n"


def soak_lines(edits: int, every: int, root: Path, cache: Path, source: Path, vetpy_dir: Path | None = None,
               out: Any = None) -> list[Row]:
    """One real file (classes, methods, imports of installed packages) edited ``edits`` times by
    :func:`line_edit_text`, each edit's diagnostics awaited; a row every ``every`` edits."""
    env = server_env(cache)
    if vetpy_dir is not None:
        env["PYTHONPATH"] = str(vetpy_dir)  # the server from that source tree (an older checkout, say)
    server = RawServer(root, env)
    lines = source.read_text(encoding="utf-8").splitlines()
    rows: list[Row] = []
    sample = sampler(server, rows, out)

    try:
        server.initialize()
        uri = server.open(source.name, line_edit_text(lines, 0))
        server.published(uri, 1, timeout=300, keep=False)
        if out is not None:
            print(HEAD, file=out, flush=True)
        sample(0)
        for step in range(1, edits + 1):
            server.change(uri, step + 1, line_edit_text(lines, step))
            server.published(uri, step + 1, timeout=300, keep=False)
            if step % every == 0:
                sample(step)
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()
    return rows


# -- real files (--real) --------------------------------------------------------------------------
REPO = Path(__file__).resolve().parent.parent


def real_workload(root: Path) -> list[str]:
    """Copy the real files into the project ``root``; their paths relative to it.  The project is
    fixtures/demo (its pyproject.toml pins packaging, declares requests ...) with its app/*.py,
    a copy of the installed ``packaging`` package (version.py is edited; the package beside it
    so its relative imports resolve) and jedi's api/environment.py (absolute imports of jedi, parso)."""
    import shutil

    import jedi
    import packaging

    demo = REPO / "fixtures" / "demo"
    shutil.copy(demo / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(demo / "app", root / "app")
    shutil.copytree(Path(packaging.__file__).parent, root / "vendored" / "packaging",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (root / "vendored" / "__init__.py").write_text("")
    shutil.copy(Path(jedi.__file__).parent / "api" / "environment.py", root / "app" / "jedi_environment.py")
    return ["app/web.py", "app/edge_cases.py", "app/hallucinations.py", "app/imports.py",
            "app/jedi_environment.py", "vendored/packaging/version.py"]


CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\.([A-Za-z_]\w*)\(")


class RealFile:
    """One real file being edited: ``edit(step)`` changes ``lines`` as a person would.

    Four edits in five press Enter or take a blank line out, alternately (Enter inserts an empty
    line at a position that moves with ``step``, never after a backslash continuation; the removal
    takes out some empty line of the file, not necessarily the one just added, so the blank lines
    drift); every fifth edit changes a call ``mod.attr(`` of a module the file imports into a
    hallucinated ``mod.attr_x{n}(`` (n fresh), or puts the previous one back."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        tree = ast.parse(text)
        modules = {(a.asname or a.name.split(".")[0]) for node in tree.body if isinstance(node, ast.Import)
                   for a in node.names}
        self.calls = [n for n, line in enumerate(self.lines)
                      if any(m.group(1) in modules for m in CALL.finditer(line))]
        self.modules = modules
        self.hallucinated: tuple[str, str] | None = None  # (original line, changed line)
        self.enter = True

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def edit(self, step: int) -> None:
        if step % 5 == 0 and (self.calls or self.hallucinated):
            self._hallucinate(step)
        elif self.enter:
            self.enter = False
            at = 1 + (step * 37) % (len(self.lines) - 1)
            while self.lines[at - 1].endswith("\\"):
                at += 1
            self.lines.insert(at, "")
        else:
            self.enter = True
            empty = [n for n, line in enumerate(self.lines) if not line.strip() and n > 0]
            if empty:
                del self.lines[empty[(step * 13) % len(empty)]]
            else:  # nothing to take out: press Enter instead
                self.lines.insert(len(self.lines) // 2, "")

    def _hallucinate(self, step: int) -> None:
        if self.hallucinated is not None:
            original, changed = self.hallucinated
            self.lines[self.lines.index(changed)] = original
            self.hallucinated = None
            return
        candidates = [n for n, line in enumerate(self.lines)
                      if any(m.group(1) in self.modules for m in CALL.finditer(line))]
        if not candidates:
            return
        n = candidates[step % len(candidates)]
        original = self.lines[n]
        match = next(m for m in CALL.finditer(original) if m.group(1) in self.modules)
        changed = original[:match.end(2)] + f"_x{step % 9973}" + original[match.end(2):]
        self.lines[n] = changed
        self.hallucinated = (original, changed)


@dataclass
class RealResult:
    rows: list[Row]
    same: bool
    details: list[str]


def soak_real(edits: int, every: int, root: Path, cache: Path, minutes: float | None = None,
              out: Any = None) -> RealResult:
    """The real files edited round-robin by :class:`RealFile`, every edit's publish awaited
    before the next edit; a row every ``every`` edits; stops early after ``minutes``.  At the end
    the last published diagnostics of every file are compared with ``vetpy check`` of its final
    text (written to the file on disk, same project, same interpreter)."""
    names = real_workload(root)
    env = server_env(cache)
    server = RawServer(root, env)
    files = [RealFile((root / name).read_text(encoding="utf-8")) for name in names]
    rows: list[Row] = []
    sample = sampler(server, rows, None)

    def emit() -> None:
        if out is not None:
            print(fmt_real(rows[-1]), file=out, flush=True)

    deadline = None if minutes is None else time.monotonic() + minutes * 60
    try:
        server.initialize()
        uris = [server.open(name, f.text()) for name, f in zip(names, files)]
        for uri in uris:
            server.published(uri, 1, timeout=300, keep=False)
        versions = [1] * len(files)
        if out is not None:
            print(HEAD_REAL, file=out, flush=True)
        sample(0)
        emit()
        done = 0
        while done < edits and (deadline is None or time.monotonic() < deadline):
            i = done % len(files)
            files[i].edit(done // len(files) + 1)
            versions[i] += 1
            server.change(uris[i], versions[i], files[i].text())
            server.published(uris[i], versions[i], timeout=300, keep=False)
            done += 1
            if done % every == 0:
                sample(done)
                emit()
        if rows[-1].edits != done:
            sample(done)
            emit()
        time.sleep(3)  # a follow-up publication (a cold import answered late) would come now
        server.hover(uris[0])  # reads everything before its answer, so last_publish is current
        published = {uri: server.last_publish[uri] for uri in uris}
        assert server.shutdown_and_exit() == 0
    finally:
        server.kill()
    for name, f, uri, version in zip(names, files, uris, versions):
        assert published[uri].get("version") == version, (name, published[uri].get("version"), version)
        (root / name).write_text(f.text(), encoding="utf-8")
    checked = check_findings(root, names, env)
    same, details = True, []
    for name, uri in zip(names, uris):
        lsp = {(d["range"]["start"]["line"] + 1, d.get("code")) for d in published[uri]["diagnostics"]}
        cli = checked.get(name, set())
        if lsp != cli:
            same = False
            details.append(f"{name}: only LSP {sorted(lsp - cli)}, only check {sorted(cli - lsp)}")
        else:
            details.append(f"{name}: {len(lsp)} equal")
    return RealResult(rows, same, details)


def check_findings(root: Path, names: list[str], env: dict[str, str]) -> dict[str, set[tuple[int, Any]]]:
    """``python -m vetpy check --format json`` of ``names`` in ``root``: {name: {(line, code)}}."""
    proc = subprocess.run([sys.executable, "-m", "vetpy", "check", "--format", "json", *names],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)
    found: dict[str, set[tuple[int, Any]]] = {name: set() for name in names}
    for item in json.loads(proc.stdout):
        found.setdefault(item["path"], set()).add((item["line"], item["code"]))
    return found


HEAD_REAL = (
    "| edits | elapsed s | server CPU s | server RSS MB | worker RSS MB | workers | server fds | load avg |\n"
    "|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def fmt_real(row: Row) -> str:
    """A row with the workers' RSS (the process tree minus the server) instead of the tree's."""
    return (
        f"| {row.edits} | {row.seconds:.0f} | {row.cpu:.0f} | {row.server_mb:.1f} | {row.tree_mb - row.server_mb:.1f} "
        f"| {row.workers} | {row.fds} | {os.getloadavg()[0]:.1f} |"
    )


HEAD = (
    "| edits | elapsed s | server CPU s | server RSS MB | tree RSS MB | subprocesses | server fds | load avg |\n"
    "|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def fmt(row: Row) -> str:
    return (
        f"| {row.edits} | {row.seconds:.0f} | {row.cpu:.0f} | {row.server_mb:.1f} | {row.tree_mb:.1f} | {row.workers} "
        f"| {row.fds} | {os.getloadavg()[0]:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=50_000)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--every", type=int, default=2500)
    parser.add_argument("--lines", type=Path, metavar="FILE",
                        help="instead: edit this one file, a line more or less each time (see line_edit_text)")
    parser.add_argument("--vetpy", type=Path, metavar="DIR", help="run the server from this source tree (its server/)")
    parser.add_argument("--real", action="store_true",
                        help="instead: real files (fixtures/demo/app, packaging's version.py, jedi's environment.py) "
                             "edited round-robin (see RealFile); the final diagnostics compared with vetpy check")
    parser.add_argument("--minutes", type=float, help="with --real: stop after this many minutes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vetpy-soak-") as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        (root / "pyproject.toml").write_text("[project]\nname = 'soak'\nversion = '0'\n")
        if args.real:
            result = soak_real(args.edits, args.every, root, Path(tmp) / "cache", args.minutes, sys.stdout)
            rows = result.rows
            first, last = rows[1] if len(rows) > 1 else rows[0], rows[-1]
            print(
                f"\n{last.edits} edits across 6 real files in {last.seconds:.0f} s (server CPU {last.cpu:.0f} s); "
                f"server RSS {first.server_mb:.1f} MB after {first.edits} edits -> {last.server_mb:.1f} MB at the end "
                f"(max {max(r.server_mb for r in rows[1:] or rows):.1f}); workers {min(r.workers for r in rows)}-"
                f"{max(r.workers for r in rows)}; fds {min(r.fds for r in rows)}-{max(r.fds for r in rows)}"
            )
            print(f"final diagnostics == vetpy check: {'yes' if result.same else 'no'} ({'; '.join(result.details)})")
            return 0 if result.same else 1
        if args.lines is not None:
            rows = soak_lines(args.edits, args.every, root, Path(tmp) / "cache", args.lines, args.vetpy, sys.stdout)
        else:
            rows = soak(args.edits, args.files, args.every, root, Path(tmp) / "cache", sys.stdout)
    first = next((r for r in rows if r.edits >= args.every), rows[0])  # after warm-up
    last = rows[-1]
    print(
        f"\n{last.edits} edits across {1 if args.lines else args.files} files in {last.seconds:.0f} s (server CPU {last.cpu:.0f} s); server RSS "
        f"{first.server_mb:.1f} MB after {first.edits} edits -> {last.server_mb:.1f} MB at the end; "
        f"subprocesses {min(r.workers for r in rows)}-{max(r.workers for r in rows)}; "
        f"fds {min(r.fds for r in rows)}-{max(r.fds for r in rows)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
