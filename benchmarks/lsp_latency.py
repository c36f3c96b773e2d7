"""LSP latency: vetpy serve vs pyright-langserver vs jedi-language-server vs ruff server, in one run.

A scripted session on a generated 1,000-line file that imports real installed packages:
  * cold start: ``initialize`` -> first ``publishDiagnostics`` for the opened file (fresh caches),
    and -> the last publication for that version within SETTLE seconds (vetpy publishes the
    findings that need a cold import of an installed package once the worker has imported it;
    the file has one such finding, ``types.Positionn``, besides the hallucinated ``loads_fast``);
  * 200 edits, one at a time (one changed line each, incremental sync): ``didChange`` ->
    ``publishDiagnostics`` for that version, p50 / p95 / max (vetpy with debounce 0);
  * CPU time of the server's process tree per edit (unlike wall time, independent of other load);
  * resident memory of the server's process tree after the edits.
Every server gets the same push-diagnostics client (utf-16 positions) and the same environment
(the benchmark venv, via VIRTUAL_ENV and PATH).

Usage:
    python benchmarks/lsp_latency.py [--edits 200] [--peers-venv benchmarks/.work/peers]
    python benchmarks/lsp_latency.py --app --only vetpy ruff --peers-venv VENV [--repeat 2]

``--timeline`` (with ``--vetpy-log DIR`` for the server's side): each run's cold start on stderr, in
seconds since the server process was started: the client's steps (initialize answered, didOpen sent,
every publication of the opened version with its number of diagnostics) and the server's log events
(imports done, environment build and probe, the rule modules' preload, the static pass, each
analysis's start and end, each publication).  The table's "cold" column is the *first* publication of
the opened version, whatever it holds (vetpy's static pass, when it comes before the environment, or
its first whole analysis); "last publication" is the complete one only if it came within --settle.

``--app``: a 960-line Flask application using requests, pandas, numpy and SQLAlchemy instead of
the generated file (issue 17); VENV must have those and ruff installed (``ruff server`` is the
peer that the editor target compares with).  ``--repeat N`` interleaves N rounds of the servers.

The peers venv is created on first use: pyright==1.1.414 and jedi-language-server==0.47.0 (pyright's
wheel bundles its JavaScript; it needs `node` on PATH).  Results: benchmarks/lsp.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PEERS = {"pyright": "pyright==1.1.414", "jedi-language-server": "jedi-language-server==0.47.0"}
LINES = 1000
SETTLE = 5.0  # seconds after the first diagnostics in which follow-up publications count for the cold start


# -- the workload -------------------------------------------------------------------------------

HEADER = """\
import json
import os
import attrs
import cattrs
import jedi
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from json import loads_fast
"""


def make_file() -> list[str]:
    tail = ["", "ORIGIN = types.Positionn(line=0, character=0)", "", "@attrs.define", "class Point:", "    x: int = 0"]
    lines = HEADER.splitlines()
    i = 0
    while len(lines) + 5 <= LINES - len(tail):
        lines += [
            f"def handler_{i}(ls: LanguageServer, value: int) -> str:",
            f"    data = json.dumps({{'k': value, 'i': {i}}})",
            f"    item = types.Position(line={i}, character=value)",
            "    return os.path.join(data, str(item))",
            "",
        ]
        i += 1
    lines += [f"CONSTANT_{n} = {n}" for n in range(LINES - len(tail) - len(lines))]
    lines += tail
    assert len(lines) == LINES
    return lines


APP_HEADER = """\
import json
import os

import numpy as np
import pandas as pd
import requests
from flask import Flask, jsonify, request
from sqlalchemy import Column, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Session
from json import loads_fast

app = Flask(__name__)
engine = create_engine("sqlite://")


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
"""

APP_LINES = 960


def make_app_file() -> list[str]:
    """A 960-line Flask app using requests, pandas, numpy and SQLAlchemy (issue 17's editor workload)."""
    tail = ["", "FRAME = pd.DataFrame({'a': [1, 2]}).to_dictt()", ""]
    lines = APP_HEADER.splitlines()
    i = 0
    while len(lines) + 12 <= APP_LINES - len(tail):
        lines += [
            "",
            f"@app.route('/items/{i}')",
            f"def handler_{i}():",
            f"    data = json.dumps({{'k': request.args.get('k'), 'i': {i}}})",
            f"    reply = requests.get('https://example.invalid/{i}', timeout=5)",
            "    frame = pd.DataFrame({'x': np.arange(3)})",
            "    total = float(np.mean(frame['x'].to_numpy()))",
            "    with Session(engine) as session:",
            "        rows = session.execute(select(Item).where(Item.id == total)).all()",
            "    path = os.path.join(data, str(len(rows)))",
            "    return jsonify(path=path, status=reply.status_code, total=total)",
            "",
        ]
        i += 1
    lines += [f"CONSTANT_{n} = {n}" for n in range(APP_LINES - len(tail) - len(lines))]
    lines += tail
    assert len(lines) == APP_LINES
    return lines


def edit_for(step: int, lines: list[str]) -> tuple[int, str]:
    """The line to replace at ``step`` and its new text (always valid Python)."""
    body_lines = [n for n, text in enumerate(lines) if text.startswith("    data = json.dumps(")]
    line = body_lines[(step * 7) % len(body_lines)]
    if "request.args" in lines[line]:
        return line, f"    data = json.dumps({{'k': request.args.get('k'), 'step': {step}}})"
    return line, f"    data = json.dumps({{'k': value, 'step': {step}}})"


# -- a minimal LSP client -----------------------------------------------------------------------

@dataclass
class Client:
    proc: asyncio.subprocess.Process
    settings: dict[str, Any]
    next_id: int = 0
    pending: dict[int, asyncio.Future[Any]] = field(default_factory=dict)
    published: list[tuple[float, str, int | None, int]] = field(default_factory=list)  # time, uri, version, count
    waiters: list[tuple[str, int | None, asyncio.Future[float]]] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    async def send(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await self.proc.stdin.drain()

    async def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = fut
        await self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await fut

    async def notify(self, method: str, params: Any) -> None:
        await self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_publish(self, uri: str, version: int | None) -> asyncio.Future[float]:
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters.append((uri, version, fut))
        return fut

    async def read_loop(self) -> None:
        assert self.proc.stdout is not None
        out = self.proc.stdout
        while True:
            header = await out.readuntil(b"\r\n\r\n")
            length = next(int(h.split(b":")[1]) for h in header.split(b"\r\n") if h.lower().startswith(b"content-length"))
            msg = json.loads(await out.readexactly(length))
            await self.handle(msg)

    async def handle(self, msg: dict[str, Any]) -> None:
        if "id" in msg and "method" not in msg:
            fut = self.pending.pop(msg["id"], None)
            if fut and not fut.done():
                fut.set_result(msg.get("result"))
            return
        method = msg.get("method")
        if "id" in msg:  # a request from the server
            result: Any = None
            if method == "workspace/configuration":
                result = [self.settings.get(item.get("section") or "", None) for item in msg["params"]["items"]]
            await self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            return
        if method == "textDocument/publishDiagnostics":
            now = time.perf_counter()
            p = msg["params"]
            self.published.append((now, p["uri"], p.get("version"), len(p["diagnostics"])))
            for entry in list(self.waiters):
                uri, version, fut = entry
                if uri == p["uri"] and (version is None or p.get("version") in (None, version)) and not fut.done():
                    fut.set_result(now)
                    self.waiters.remove(entry)


CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True},
        "publishDiagnostics": {"versionSupport": True, "dataSupport": True, "codeDescriptionSupport": True},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}},
    },
    "workspace": {"configuration": True, "workspaceFolders": True},
    "window": {"workDoneProgress": False},
}


@dataclass
class Result:
    name: str
    cold: float | None = None
    cold_count: int | None = None
    cold_cpu: float | None = None  # CPU time of the server's process tree at the first diagnostics
    settled: float | None = None  # the last publication of the opened version within SETTLE seconds
    settled_count: int | None = None
    latencies: list[float] = field(default_factory=list)
    missing: int = 0
    first: float | None = None  # the first edit's latency (None: missing)
    rss_mb: float | None = None
    rss_parts: str = ""  # each process's resident size
    cpu_per_edit: float | None = None
    server_cpu_per_edit: float | None = None  # of that, the server process's own (not its workers')
    diagnostics: int | None = None
    load: float | None = None  # 1-minute load average when the server started
    error: str | None = None
    spawned: float = 0.0  # time.time() when the server process was started (for --timeline)
    steps: list[tuple[float, str]] = field(default_factory=list)  # the client's side of the cold start


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def tree_rss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def tree_rss_parts(pid: int) -> str:
    """Each process of the tree: its command's last words and its resident size (what holds it)."""
    parts = []
    for p in _tree(pid):
        try:
            rss = next(int(line.split()[1]) for line in Path(f"/proc/{p}/status").read_text().splitlines()
                       if line.startswith("VmRSS:"))
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, StopIteration):
            continue
        parts.append(f"{p} {cmd[-60:]!r}: {rss / 1024:.0f} MB")
    return "; ".join(parts)


def own_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the process itself, not of its children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system, reaped children included) of a process tree: unlike wall time,
    it does not grow when other work loads the machine."""
    ticks = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


async def run_server(
    name: str, cmd: list[str], env: dict[str, str], workspace: Path, edits: int,
    init_options: Any = None, settings: dict[str, Any] | None = None, app: bool = False, quiet: float = 0.0,
    settle: float = SETTLE,
) -> Result:
    result = Result(name)
    lines = make_app_file() if app else make_file()
    path = workspace / "app.py"
    path.write_text("\n".join(lines) + "\n")
    uri = path.as_uri()
    started = time.perf_counter()
    result.spawned = time.time()
    proc = await asyncio.create_subprocess_exec(
        *cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=workspace,
        limit=2**24,
    )
    client = Client(proc, settings or {})
    client.reader = asyncio.create_task(client.read_loop())
    try:
        await asyncio.wait_for(
            client.request(
                "initialize",
                {
                    "processId": os.getpid(),
                    "rootUri": workspace.as_uri(),
                    "workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}],
                    "capabilities": CAPABILITIES,
                    "initializationOptions": init_options,
                },
            ),
            120,
        )
        result.steps.append((time.perf_counter() - started, "client: initialize answered"))
        await client.notify("initialized", {})
        first = client.wait_publish(uri, 1)
        await client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": path.read_text()}},
        )
        result.steps.append((time.perf_counter() - started, "client: didOpen sent"))
        result.cold = await asyncio.wait_for(first, 120) - started
        result.cold_cpu = tree_cpu_seconds(proc.pid)
        await asyncio.sleep(settle)  # a server's follow-up publications (vetpy: after introspection)
        opened = [(t, n) for t, u, v, n in client.published if u == uri and v in (None, 1)]
        result.steps += [(t - started, f"client: publication of version 1 ({n} diagnostics)") for t, n in opened]
        result.cold_count = opened[0][1]
        result.settled, result.settled_count = opened[-1][0] - started, opened[-1][1]
        cpu_before, own_before = tree_cpu_seconds(proc.pid), own_cpu_seconds(proc.pid)
        for step in range(edits):
            line, text = edit_for(step, lines)
            version = step + 2
            fut = client.wait_publish(uri, version)
            sent = time.perf_counter()
            await client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [
                        {
                            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": len(lines[line])}},
                            "text": text,
                        }
                    ],
                },
            )
            lines[line] = text
            try:
                result.latencies.append(await asyncio.wait_for(fut, 15) - sent)
                if step == 0:
                    result.first = result.latencies[0]
            except asyncio.TimeoutError:
                result.missing += 1
                if client.reader.done() or proc.returncode is not None:
                    # the server exited (or its output ended): every later edit would wait 15 s for nothing
                    result.missing += edits - step - 1
                    raise RuntimeError(f"the server stopped answering after {step} edits (exit status {proc.returncode})")
        result.cpu_per_edit = (tree_cpu_seconds(proc.pid) - cpu_before) / max(edits, 1)
        result.server_cpu_per_edit = (own_cpu_seconds(proc.pid) - own_before) / max(edits, 1)
        result.rss_mb = tree_rss_mb(proc.pid)
        result.rss_parts = tree_rss_parts(proc.pid)
        if quiet > 0:  # what the server holds once the user pauses (idle workers ended)
            await asyncio.sleep(quiet)
            result.rss_parts += f"; after {quiet:g} s quiet: {tree_rss_mb(proc.pid):.0f} MB ({tree_rss_parts(proc.pid)})"
        last = [p for p in client.published if p[1] == uri]
        result.diagnostics = last[-1][3] if last else None
        await asyncio.wait_for(client.request("shutdown", None), 20)
        await client.notify("exit", None)
        await asyncio.wait_for(proc.wait(), 20)
    except Exception as exc:  # a peer that fails is reported, not fatal
        result.error = f"{type(exc).__name__}: {exc}"
        if result.latencies and result.rss_mb is None and proc.returncode is None:
            result.rss_mb, result.rss_parts = tree_rss_mb(proc.pid), tree_rss_parts(proc.pid)
    finally:
        if client.reader:
            client.reader.cancel()
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return result


def ensure_peers(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PEERS.values(),
                    "attrs", "cattrs", "lsprotocol==2025.0.0", "pygls>=2.1,<3"], check=True)
    return venv


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[idx]


def header(edits: int) -> str:
    return "\n".join([
        "| server | cold: start -> first diagnostics (how many) | its CPU | -> last publication of that version (how many) | "
        f"didChange -> diagnostics p50 | p95 | max | first edit | CPU per edit | missing (of {edits}) | RSS after edits | "
        "diagnostics on the file | load average |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ])


def row(r: Result) -> str:
    """The table's row of one run; a run that failed part-way (the server exited during the edits, a
    shutdown that timed out) still prints what it measured, with the error after it: a figure it never
    reached is '-' (a format of None here ended the whole benchmark, losing every later server's row)."""
    if r.error and not r.latencies:
        return f"| {r.name} | failed: {r.error} | | | | | | | | | | | |"
    lat = r.latencies or [float("nan")]

    def ms(seconds: float | None) -> str:  # tenths under 10 ms (where a whole millisecond is 10-50%)
        if seconds is None:
            return "-"
        return f"{seconds * 1000:.1f} ms" if seconds < 0.0095 else f"{seconds * 1000:.0f} ms"

    def num(value: float | None, form: str, unit: str) -> str:
        return "-" if value is None else f"{value:{form}}{unit}"

    return (
        f"| {r.name} | {num(r.cold, '.2f', ' s')} ({r.cold_count}) | {num(r.cold_cpu, '.2f', ' s')} | "
        f"{num(r.settled, '.2f', ' s')} ({r.settled_count}) | "
        f"{ms(statistics.median(lat))} | {ms(percentile(lat, 0.95))} | "
        f"{ms(max(lat))} | {ms(r.first) if r.first is not None else 'missing'} | {ms(r.cpu_per_edit)} | {r.missing} | "
        f"{num(r.rss_mb, '.0f', ' MB')} | {r.diagnostics} | {num(r.load, '.1f', '')} |"
        + (f" {r.error}" if r.error else "")
    )


# The server's log lines that mark its cold start (vetpy serve --log-file; DEBUG level).
TIMELINE_EVENTS = ("imports done", "Language server initialized", "building the analysis context", "checking against",
                   "start-up imports done", "static findings", "static pass", "analysing ", "analysed ", "introspecting ",
                   "publishDiagnostics")


def timeline(result: Result, log_file: Path | None) -> str:
    """The cold start in seconds since the process was started: the client's steps and, with a
    vetpy log, the server's (its timestamps have millisecond resolution, local time)."""
    events = list(result.steps)
    if log_file is not None and log_file.exists():
        for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
            if not any(e in line for e in TIMELINE_EVENTS) or len(line) < 23:
                continue
            try:
                stamp = time.mktime(time.strptime(line[:19], "%Y-%m-%d %H:%M:%S")) + int(line[20:23]) / 1000
            except ValueError:
                continue
            text = line[24:]
            if "publishDiagnostics" in text:
                text = "server: sent publishDiagnostics"
            events.append((stamp - result.spawned, "server: " + text[:150] if not text.startswith("server") else text))
    events.sort()
    cut = (result.cold or 0) + 60
    return "\n".join(f"    {t:7.3f} s  {text}" for t, text in events if t <= cut)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--peers-venv", type=Path, default=HERE / ".work" / "peers")
    parser.add_argument("--only", nargs="*", help="servers to run (vetpy, ruff, pyright, jedi-language-server)")
    parser.add_argument("--app", action="store_true",
                        help="the 960-line Flask/requests/pandas/numpy/SQLAlchemy app instead of the generated file; "
                             "the peers venv must have those installed (and ruff)")
    parser.add_argument("--repeat", type=int, default=1, help="run the selected servers this many times, interleaved")
    parser.add_argument("--vetpy", action="append", default=[], metavar="NAME=DIR",
                        help="also run the vetpy of another source tree (e.g. before=/tmp/old), "
                             "its server/ put first on PYTHONPATH; repeatable; rows alternate with this tree's")
    parser.add_argument("--quiet-rss", type=float, default=0.0, metavar="SECONDS",
                        help="after the edits, also report the resident size after SECONDS without a message")
    parser.add_argument("--settle", type=float, default=SETTLE, metavar="SECONDS",
                        help=f"wait this long after the first diagnostics before the edits (default {SETTLE:g}; "
                             "a loaded machine needs longer for vetpy's background imports to finish first)")
    parser.add_argument("--timeline", action="store_true",
                        help="print each run's cold start on stderr: every publication of the opened version and, "
                             "for vetpy with --vetpy-log, the server's log events, in seconds since the process started")
    parser.add_argument("--vetpy-log", type=Path, metavar="DIR",
                        help="write each vetpy server's debug log (`vetpy serve --log-file`) into DIR")
    args = parser.parse_args()
    peers_wanted = not args.only or bool(set(args.only) - {"vetpy", "ruff"})
    venv = ensure_peers(args.peers_venv.resolve()) if peers_wanted else args.peers_venv.resolve()
    # PYTHONPATH: never the bench's own; PYTHONDONTWRITEBYTECODE: servers run as installed, with bytecode
    base_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    base_env["VIRTUAL_ENV"] = str(venv)
    base_env["PATH"] = f"{venv / 'bin'}{os.pathsep}{base_env.get('PATH', '')}"
    servers = [
        ("vetpy", [sys.executable, "-m", "vetpy", "serve"], {"settings": {"debounceMs": 0}}, {"vetpy": {"debounceMs": 0}}),
        ("jedi-language-server", [str(venv / "bin" / "jedi-language-server")],
         {"diagnostics": {"enable": True, "didOpen": True, "didChange": True, "didSave": True}}, {}),
        ("pyright", [str(venv / "bin" / "pyright-langserver"), "--stdio"], None, {}),
        ("ruff", [str(venv / "bin" / "ruff"), "server"], None, {}),
    ]
    print(f"{args.edits} edits on a {APP_LINES if args.app else LINES}-line file; {os.cpu_count()} cores; "
          f"node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip() if shutil.which('node') else 'missing'}")
    print()
    print(header(args.edits), flush=True)
    extra_env: dict[str, dict[str, str]] = {}
    for spec in args.vetpy:
        label, _, directory = spec.partition("=")
        servers.insert(1, (f"vetpy {label}", servers[0][1], servers[0][2], servers[0][3]))
        extra_env[f"vetpy {label}"] = {"PYTHONPATH": str(Path(directory).resolve() / "server")}
    for name, cmd, init_options, settings in [s for _ in range(args.repeat) for s in servers]:
        if args.only and name.split(" ")[0] not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"lsp-bench-{name}-") as tmp:
            workspace = Path(tmp) / "ws"
            workspace.mkdir()
            (workspace / "pyproject.toml").write_text("[project]\nname = 'bench'\nversion = '0'\n")
            env = dict(base_env, VETPY_CACHE_DIR=str(Path(tmp) / "cache"), XDG_CACHE_HOME=str(Path(tmp) / "xdg"),
                       **extra_env.get(name, {}))
            load_before = os.getloadavg()[0]
            log_file = None
            if args.vetpy_log and name.startswith("vetpy"):
                args.vetpy_log.mkdir(parents=True, exist_ok=True)
                log_file = args.vetpy_log.resolve() / f"{name.replace(' ', '-')}-{time.time():.0f}.log"
                cmd = [*cmd, "--log-file", str(log_file)]
            result = await run_server(name, cmd, env, workspace, args.edits, init_options, settings, args.app, args.quiet_rss,
                                      args.settle)
            result.load = load_before
            print(row(result), flush=True)
            if args.timeline:
                print(timeline(result, log_file), file=sys.stderr, flush=True)
            print(f"  {name}: load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
                  f"CPU per edit {(result.cpu_per_edit or 0) * 1000:.1f} ms, of it the server process's own "
                  f"{(result.server_cpu_per_edit or 0) * 1000:.1f} ms (the rest: its subprocesses, e.g. an introspection "
                  f"worker still importing when the edits began: see the last publication of version 1); RSS {result.rss_parts}"
                  + (f"; {result.error}" if result.error else ""), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
