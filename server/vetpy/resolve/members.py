"""The member index: what a module or class of the target environment really has.

Answers come from the introspection worker (``_worker.py``), a long-lived subprocess of the
*target* interpreter that imports installed packages (never first-party code).  Answers are
cached in memory and on disk per (distribution, version, Python version), so a package is
introspected once per version.  A worker that hangs or crashes is killed and restarted; the
module it was busy with is marked unverifiable (rules stay silent about it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import subprocess
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetpy.environment.discovery import cache_dir, write_cache_json

if TYPE_CHECKING:
    from vetpy.context import AnalysisContext
    from vetpy.environment.model import TargetEnvironment

log = logging.getLogger("vetpy")

CACHE_FORMAT = 3
REQUEST_TIMEOUT = 30.0
_WORKER_SOURCE = Path(__file__).with_name("_worker.py")


@dataclass
class AttributeVerdict:
    """Does ``module.name`` exist?  ``exists`` is None when it cannot be verified."""

    exists: bool | None
    explanation: str | None = None  # the package's own words when it explains a missing name
    candidates: list[str] = field(default_factory=list)  # real names, for suggestions


@lru_cache(maxsize=1)
def _worker_digest() -> str:
    return hashlib.sha256(_WORKER_SOURCE.read_bytes()).hexdigest()[:16]


class WorkerClient:
    """One introspection worker subprocess speaking JSON lines."""

    def __init__(self, python: str, roots: list[str], timeout: float = REQUEST_TIMEOUT,
                 workdir: Path | None = None) -> None:
        self.python = python
        self.workdir = workdir or cache_dir() / "probe-cwd"
        self.roots = roots
        self.timeout = timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._lock = threading.Lock()
        self._next_id = 0

    def _start(self) -> subprocess.Popen[bytes]:
        workdir = self.workdir
        try:
            workdir.mkdir(parents=True, exist_ok=True)
        except OSError:
            workdir = Path(os.path.abspath(os.sep))
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONPATH")}
        env["PYTHONIOENCODING"] = "utf-8"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.setdefault("MPLBACKEND", "Agg")
        proc = subprocess.Popen(
            [self.python, "-c", _WORKER_SOURCE.read_text(encoding="utf-8"), *self.roots],
            cwd=workdir, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        lines: queue.Queue[bytes | None] = queue.Queue()

        def pump(stream: Any = proc.stdout) -> None:
            for raw in iter(stream.readline, b""):
                lines.put(raw)
            lines.put(None)

        threading.Thread(target=pump, daemon=True, name="vetpy-worker-reader").start()
        self._lines = lines
        self._proc = proc
        return proc

    def request(self, payload: dict[str, Any], timeout: float | None = None) -> dict[str, Any] | None:
        """The worker's answer, or None when it hung (killed) or died."""
        with self._lock:
            proc = self._proc
            if proc is None or proc.poll() is not None:
                try:
                    proc = self._start()
                except OSError as exc:
                    log.warning("introspection worker for %s cannot start: %s", self.python, exc)
                    return None
            self._next_id += 1
            ident = self._next_id
            try:
                assert proc.stdin is not None
                proc.stdin.write((json.dumps({**payload, "id": ident}) + "\n").encode("utf-8"))
                proc.stdin.flush()
            except OSError:
                self._kill()
                return None
            while True:
                try:
                    raw = self._lines.get(timeout=timeout or self.timeout)
                except queue.Empty:
                    self._kill()
                    return None
                if raw is None:
                    self._kill()
                    return None
                try:
                    answer = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(answer, dict) and answer.get("id") == ident:
                    return answer

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def close(self) -> None:
        with self._lock:
            proc = self._proc
            if proc is not None and proc.poll() is None and proc.stdin is not None:
                try:
                    proc.stdin.close()
                    proc.wait(timeout=2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._kill()


class MemberIndex:
    """Cached answers of the worker, keyed by the distribution that provides each module."""

    def __init__(self, environment: "TargetEnvironment", roots: list[str], use_disk: bool = True,
                 timeout: float = REQUEST_TIMEOUT) -> None:
        self.environment = environment
        self.cache_root = cache_dir()  # fixed when the index is made
        self.worker = WorkerClient(environment.python, roots, timeout, self.cache_root / "probe-cwd")
        self.use_disk = use_disk
        self._tables: dict[str, dict[str, Any]] = {}  # cache key -> {request key: answer}
        self._dirty: set[str] = set()
        self._unverifiable: set[str] = set()  # top-level modules whose worker hung or crashed
        self._lock = threading.RLock()

    # -- cache ---------------------------------------------------------------------------
    def _cache_key(self, module: str) -> tuple[str, bool]:
        """(key, persistent) for the distribution providing ``module``."""
        env = self.environment
        top = module.split(".")[0]
        py = f"{env.implementation}-{env.version_str}"
        if env.is_stdlib(top):
            return f"stdlib@{py}", True
        dists = env.dists_for_module(top)
        if len(dists) == 1:
            return f"{dists[0].key}=={dists[0].version}@{py}", True
        return f"{top}@{py}@{env.python}", False

    def _table(self, key: str, persistent: bool) -> dict[str, Any]:
        table = self._tables.get(key)
        if table is None:
            table = {}
            if persistent and self.use_disk:
                try:
                    data = json.loads(self._path(key).read_text(encoding="utf-8"))
                    if data.get("format") == CACHE_FORMAT:
                        table = dict(data.get("answers", {}))
                except (OSError, ValueError, AttributeError):
                    pass
            self._tables[key] = table
        return table

    def _path(self, key: str) -> Path:
        # answers depend on the worker's code too: a new vetpy never reads an older worker's answers
        digest = hashlib.sha256(f"{key}\0{_worker_digest()}".encode()).hexdigest()[:24]
        return self.cache_root / "members" / f"{digest}.json"

    def flush(self) -> None:
        """Write new answers to disk (merging with what other processes wrote meanwhile)."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            for key in dirty:
                path = self._path(key)
                answers = dict(self._tables.get(key, {}))
                try:
                    old = json.loads(path.read_text(encoding="utf-8"))
                    if old.get("format") == CACHE_FORMAT:
                        answers = {**old.get("answers", {}), **answers}
                except (OSError, ValueError, AttributeError):
                    pass
                write_cache_json(path, {"format": CACHE_FORMAT, "key": key, "answers": answers})

    def _ask(self, module: str, request_key: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        top = module.split(".")[0]
        with self._lock:
            if top in self._unverifiable:
                return None
            key, persistent = self._cache_key(module)
            table = self._table(key, persistent)
            if request_key in table:
                return table[request_key]
        answer = self.worker.request(payload)
        with self._lock:
            if answer is None:
                self._unverifiable.add(top)
                log.warning("introspection of %s hung or crashed; its members are not verified", module)
                return None
            answer.pop("id", None)
            if "error" in answer:
                log.info("cannot introspect %s: %s", request_key, answer["error"])
                answer = {"error": answer["error"]}
            table[request_key] = answer
            if persistent and self.use_disk:
                self._dirty.add(key)
        return answer

    # -- questions -----------------------------------------------------------------------
    def describe(self, path: str) -> dict[str, Any] | None:
        """What ``path`` (``pkg.mod.Name.attr``) is at run time; None when unverifiable."""
        answer = self._ask(path, f"d:{path}", {"op": "describe", "path": path})
        if answer is None or "error" in answer:
            return None
        canonical = answer.get("canonical")
        if isinstance(canonical, str) and canonical != path and answer.get("kind") in ("class", "module", "function"):
            with self._lock:  # the same object under its defining name: never introspected twice
                key, persistent = self._cache_key(canonical)
                table = self._table(key, persistent)
                if f"d:{canonical}" not in table:
                    table[f"d:{canonical}"] = answer
                    if persistent and self.use_disk:
                        self._dirty.add(key)
        return answer

    def method(self, cls_path: str, name: str) -> dict[str, Any] | None:
        """``name`` looked up on an instance of the class ``cls_path`` (signature bound)."""
        answer = self._ask(cls_path, f"m:{cls_path}:{name}", {"op": "method", "path": cls_path, "name": name})
        return None if answer is None or "error" in answer else answer

    def module_attribute(self, module: str, name: str) -> AttributeVerdict:
        """Does the installed ``module`` have ``name`` (attribute or submodule)?"""
        info = self.describe(module)
        if info is None or info.get("kind") != "module":
            return AttributeVerdict(None)
        members = list(info.get("members") or [])
        if name in members:
            return AttributeVerdict(True, candidates=members)
        answer = self._ask(module, f"a:{module}:{name}", {"op": "attribute", "path": module, "name": name})
        if answer is None or "error" in answer:
            return AttributeVerdict(None, candidates=members)
        exists = answer.get("exists")
        return AttributeVerdict(exists if exists in (True, False) else None, answer.get("explanation"), members)

    def close(self) -> None:
        self.flush()
        self.worker.close()


def install(ctx: "AnalysisContext") -> None:
    """Service factory: put a member index into ``ctx.services["members"]`` (lazy worker)."""
    env = ctx.environment
    if env is None or not ctx.config.introspection:
        return
    roots = sorted({str(ctx.root.resolve())})
    ctx.services["members"] = MemberIndex(env, roots)
