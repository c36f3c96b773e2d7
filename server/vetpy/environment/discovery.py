"""Choose the target interpreter, ask it about itself (in a subprocess), cache the answer."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from vetpy import deadline
from vetpy.environment.model import Distribution, InterpreterChoice, TargetEnvironment, canonical_name
from vetpy.terminal import printable

PROBE_MARKER = "@@VETPY-PROBE@@"
PROBE_TIMEOUT = 30.0
CACHE_FORMAT = 1


def probe_timeout() -> float:
    """Seconds the environment probe may take: ``VETPY_PROBE_TIMEOUT`` or :data:`PROBE_TIMEOUT`."""
    try:
        value = float(os.environ.get("VETPY_PROBE_TIMEOUT", PROBE_TIMEOUT))
    except ValueError:
        return PROBE_TIMEOUT
    return value if value > 0 else PROBE_TIMEOUT


class EnvironmentProblem(Exception):
    """The target interpreter is missing, broken, hung or answered garbage (one-line message)."""


def _bin(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _explicit_interpreter(explicit: str) -> Path:
    """The interpreter a user named: a path (relative to the current directory, which is where a
    command line was typed: the probe and the workers run elsewhere), a virtual environment's
    directory, or a bare command on PATH (``--python python3.12``)."""
    path = Path(explicit).expanduser()
    if not path.exists() and os.sep not in explicit and (os.altsep is None or os.altsep not in explicit):
        found = shutil.which(explicit)
        if found:
            path = Path(found)
    if path.is_dir():  # a virtual environment directory given instead of its interpreter
        path = _bin(path)
    return Path(os.path.abspath(path))  # abspath, not resolve: a venv's python is a link to keep


def choose_interpreter(
    root: Path, explicit: str | None = None, explicit_reason: str = "--python", env: dict[str, str] | None = None
) -> InterpreterChoice:
    """Discovery order: explicit -> VIRTUAL_ENV -> <root>/.venv, <root>/venv -> vetpy's own interpreter."""
    env = os.environ if env is None else env
    if explicit:
        return InterpreterChoice(str(_explicit_interpreter(explicit)), explicit_reason)
    venv = env.get("VIRTUAL_ENV")
    if venv:
        return InterpreterChoice(str(_bin(Path(venv))), f"VIRTUAL_ENV={venv}")
    for name in (".venv", "venv"):
        candidate = _bin(root / name)
        if candidate.exists() or (root / name / "pyvenv.cfg").exists():
            return InterpreterChoice(str(candidate), f"{name} in {root}")
    if env.get("PRE_COMMIT"):
        return InterpreterChoice(sys.executable, "pre-commit's hook environment: standard library only", stand_in=True)
    return InterpreterChoice(sys.executable, "the interpreter running vetpy")


def inside(path: str | os.PathLike[str], directories: "list[Path] | tuple[Path, ...]") -> bool:
    """Is ``path`` (as written, or once its links are resolved) inside one of ``directories``?"""
    candidates = {os.path.abspath(os.path.expanduser(path))}
    try:
        candidates.add(os.path.realpath(os.path.expanduser(path)))
    except (OSError, ValueError):
        pass
    for directory in directories:
        for d in {os.path.abspath(directory), os.path.realpath(directory)}:
            d = d.rstrip(os.sep) or os.sep
            if any(c == d or c.startswith(d + os.sep) or d == os.sep for c in candidates):
                return True
    return False


def workspace_of(root: Path) -> tuple[Path, ...]:
    """The directories an untrusted project controls: ``root`` and, when it lies in a git work
    tree, that work tree's top (found by looking for ``.git``, without running git)."""
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            return (root, directory)
    return (root,)


def choose_untrusted_interpreter(
    workspace: "list[Path] | tuple[Path, ...]",
    explicit: str | None = None,
    explicit_reason: str = "--python",
    env: dict[str, str] | None = None,
) -> tuple[InterpreterChoice, list[str]]:
    """Discovery for an untrusted workspace: nothing the workspace can choose or replace is run.

    An interpreter named by the user (``explicit``, from a user-level setting or ``--python``) or
    a ``VIRTUAL_ENV`` is used only when it lies outside every directory of ``workspace``; the
    workspace's ``.venv``/``venv`` and ``[tool.vetpy] python`` are never looked at.  Otherwise
    vetpy's own interpreter stands in for the standard library only (its installed packages are not
    the project's).  Returns the choice and one-line notes for the user.
    """
    env = os.environ if env is None else env
    notes: list[str] = []
    if explicit:
        path = _explicit_interpreter(explicit)
        if inside(path, workspace):
            notes.append(f"untrusted workspace: the interpreter {printable(str(path))} ({explicit_reason}) lies inside "
                         "the workspace and is not run")
        else:
            return InterpreterChoice(str(path), f"{explicit_reason}; untrusted workspace, introspection off"), notes
    venv = env.get("VIRTUAL_ENV")
    if venv:
        if inside(venv, workspace):
            notes.append(f"untrusted workspace: VIRTUAL_ENV={printable(venv)} lies inside the workspace and is not run")
        else:
            return InterpreterChoice(str(_bin(Path(venv))), f"VIRTUAL_ENV={venv}; untrusted workspace, introspection off"), notes
    notes.append(
        "untrusted workspace: no interpreter of the workspace is run (.venv, venv, [tool.vetpy] python, "
        "VIRTUAL_ENV inside it) and no package is imported; static checks against the standard library of "
        "vetpy's own interpreter"
    )
    return InterpreterChoice(sys.executable, "untrusted workspace: vetpy's own interpreter, standard library only",
                             stand_in=True), notes


def cache_dir() -> Path:
    override = os.environ.get("VETPY_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "vetpy"


def write_cache_json(path: Path, data: Any) -> None:
    """Write a cache file atomically (a unique temporary file, then rename); a read-only or full
    cache directory only costs speed, so errors are ignored."""
    import threading

    try:
        with deadline.protected():  # no temporary file left behind by a stopped analysis
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, path)
    except OSError:
        pass


@contextlib.contextmanager
def cache_file_lock(path: Path) -> Iterator[None]:
    """Hold ``<path>.lock`` exclusively (``flock``) while a cache file is read, merged and written
    again: two processes of one run (the pool's) flushing the same table would otherwise each
    write what they read before the other's write, and one's answers would be lost (asked again
    next run). Where locking is unavailable (Windows, a read-only directory), no lock: only speed."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)  # closing releases the lock


def own_import_root() -> Path:
    """The directory vetpy itself was imported from (a ``site-packages``, a source tree's
    ``server/``, or the VS Code extension's ``bundled/libs``)."""
    return Path(os.path.abspath(__file__)).parent.parent.parent


def probe_environ(environ: "os._Environ[str] | dict[str, str]") -> dict[str, str]:
    """The environment of a run of the target interpreter: the user's ``PYTHONPATH`` is kept (it
    is part of what the project runs with), except an entry that holds vetpy itself: the VS Code
    extension runs its bundled server with ``PYTHONPATH=<extension>/bundled/libs``, and the
    target must not see vetpy's own dependencies (pygls, attrs, packaging ...) as installed."""
    env = {k: v for k, v in environ.items() if k not in ("PYTHONSTARTUP", "PYTHONINSPECT")}
    if env.get("PYTHONPATH"):
        own = own_import_root()
        kept = []
        for entry in env["PYTHONPATH"].split(os.pathsep):
            try:
                same = entry != "" and (Path(os.path.abspath(entry)) == own or os.path.samefile(entry, own))
            except (OSError, ValueError):
                same = False
            if not same:
                kept.append(entry)
        if kept:
            env["PYTHONPATH"] = os.pathsep.join(kept)
        else:
            del env["PYTHONPATH"]
    return env


def _probe_source() -> str:
    return (Path(__file__).with_name("_probe.py")).read_text(encoding="utf-8")


def run_probe(python: str, args: list[str], timeout: float = PROBE_TIMEOUT) -> Any:
    """Run the probe in ``python`` and return its JSON answer, or raise EnvironmentProblem."""
    if not Path(python).exists():
        raise EnvironmentProblem(f"interpreter {python}: not found")
    if not os.access(python, os.X_OK):
        raise EnvironmentProblem(f"interpreter {python}: not executable")
    workdir = cache_dir() / "probe-cwd"
    try:
        workdir.mkdir(parents=True, exist_ok=True)
    except OSError:
        workdir = Path(os.path.abspath(os.sep))
    env = probe_environ(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        returncode, stdout, stderr = run_bounded([python, "-c", _probe_source(), *args], workdir, env, timeout)
    except subprocess.TimeoutExpired:
        raise EnvironmentProblem(f"interpreter {python}: probe did not answer within {timeout:g} s (killed)") from None
    except OutputFlood as exc:
        raise EnvironmentProblem(f"interpreter {python}: probe wrote {exc} (killed)") from None
    except OSError as exc:
        raise EnvironmentProblem(f"interpreter {python}: cannot run: {exc.strerror or exc}") from None
    proc = subprocess.CompletedProcess(args, returncode, stdout, stderr)
    out = proc.stdout.decode("utf-8", "replace")
    idx = out.rfind(PROBE_MARKER)
    if idx < 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = err[-1] if err else f"exit code {proc.returncode}, no answer"
        raise EnvironmentProblem(f"interpreter {python}: probe failed: {printable(detail)[:200]}")
    try:
        return json.loads(out[idx + len(PROBE_MARKER) :].strip().splitlines()[0])
    except (ValueError, IndexError):
        raise EnvironmentProblem(f"interpreter {python}: probe answered garbage") from None


MAX_PROBE_OUTPUT = 32 * 1024 * 1024  # bytes of an answer: more, and the interpreter is killed
MAX_PROBE_ERRORS = 64 * 1024  # the last bytes of stderr are kept (for the message)
_SLICE = 0.05  # seconds: how often run_bounded's wait looks at the clock (the exit itself wakes it at once)


class OutputFlood(Exception):
    """The subprocess wrote more than it may: it was killed."""


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill ``proc`` and everything it started (its process group, made with
    ``start_new_session``), also after ``proc`` itself exited."""
    try:
        if os.name != "nt":
            os.killpg(proc.pid, signal.SIGKILL)
        elif proc.poll() is None:  # pragma: no cover
            proc.kill()
    except OSError:
        pass


def run_bounded(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: float, limit: int = MAX_PROBE_OUTPUT
) -> tuple[int, bytes, bytes]:
    """Run ``cmd`` in its own process group with bounded time and memory: stdout is read as it
    comes and the whole group is killed once it passes ``limit`` bytes (OutputFlood) or
    ``timeout`` seconds (subprocess.TimeoutExpired); only the last MAX_PROBE_ERRORS bytes of
    stderr are kept.  No orphans: the group is killed on every way out."""
    import threading

    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=(os.name != "nt"),
    )
    out = bytearray()
    err = bytearray()
    flooded = threading.Event()

    def pump(stream, buffer: bytearray, head: bool) -> None:  # noqa: ANN001 - a pipe
        read = getattr(stream, "read1", stream.read)
        while chunk := read(65536):
            if head:
                if len(buffer) + len(chunk) > limit:
                    flooded.set()
                    kill_group(proc)
                    break
                buffer += chunk
            else:
                buffer += chunk
                del buffer[:-MAX_PROBE_ERRORS]

    # The exit is awaited by a thread blocked in waitpid, which sets ``exited``: ``Popen.wait``
    # with a timeout polls instead, sleeping 1, 2, 4 ... then 50 ms between looks, so a probe that
    # ended was noticed 25 ms later on average (up to 50), on a cold start's way to the first
    # diagnostics.  The wait below returns as soon as the event is set; its slices only let an
    # asynchronous exception (the analysis budget's, vetpy.deadline) through as often as before.
    exited = threading.Event()

    def reap() -> None:
        proc.wait()
        exited.set()

    readers = [threading.Thread(target=pump, args=(proc.stdout, out, True), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, err, False), daemon=True)]
    for t in [*readers, threading.Thread(target=reap, daemon=True, name="vetpy-probe-reaper")]:
        t.start()
    try:
        end = time.monotonic() + timeout
        while not exited.wait(min(max(end - time.monotonic(), 0.0), _SLICE)):
            if time.monotonic() >= end:
                kill_group(proc)
                proc.wait()
                raise subprocess.TimeoutExpired(cmd, timeout)
    finally:
        for t in readers:
            t.join(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            stream.close()
    if flooded.is_set():
        raise OutputFlood(f"more than {limit // (1024 * 1024)} MiB of output")
    return proc.returncode, bytes(out), bytes(err)


def _state_of(paths: list[str]) -> list[list[Any]]:
    state = []
    for p in paths:
        try:
            st = os.stat(p)
            state.append([p, st.st_mtime_ns, st.st_ino])
        except OSError:
            state.append([p, None, None])
    return state


def _cache_file(python: str) -> Path:
    digest = hashlib.sha256(os.path.abspath(python).encode()).hexdigest()[:24]
    return cache_dir() / "environments" / f"{digest}.json"


def load_environment(choice: InterpreterChoice, use_cache: bool = True, timeout: float | None = None) -> TargetEnvironment:
    """Probe (or read from cache) the chosen interpreter.  Raises EnvironmentProblem."""
    python = choice.python
    if timeout is None:
        timeout = probe_timeout()
    try:
        interp_stat = os.stat(python)
        # the PYTHONPATH the probe runs with is part of the answer (its entries are on sys.path)
        interp_key = [os.path.realpath(python), interp_stat.st_mtime_ns, interp_stat.st_size,
                      probe_environ(os.environ).get("PYTHONPATH")]
    except OSError:
        raise EnvironmentProblem(f"interpreter {python}: not found") from None
    cache_path = _cache_file(python)
    if use_cache:
        try:
            cached = json.loads(cache_path.read_text(encoding="utf-8"))
            if (
                cached.get("format") == CACHE_FORMAT
                and cached.get("interpreter") == interp_key
                and cached.get("state") == _state_of([s[0] for s in cached.get("state", [])])
            ):
                env = environment_from_probe(choice, cached["probe"])
                env.from_cache = True
                return env
        except (OSError, ValueError, KeyError, TypeError, AttributeError, EnvironmentProblem):
            pass  # an unreadable or damaged cache entry: ask the interpreter again
    data = run_probe(python, ["info"], timeout=timeout)
    env = environment_from_probe(choice, data)
    if use_cache:
        watched = sorted(set(env.site_packages) | {p for p in env.sys_path if os.path.isdir(p)})
        record = {"format": CACHE_FORMAT, "interpreter": interp_key, "state": _state_of(watched), "probe": data}
        write_cache_json(cache_path, record)
    return env


# The probe's answer, field by field: (type of the value, type of each item or None).
_PROBE_SHAPE: dict[str, tuple[type, type | None]] = {
    "version": (list, int),
    "sys_path": (list, str),
    "site_packages": (list, str),
    "stdlib_dirs": (list, str),
    "stdlib_names": (list, str),
    "distributions": (list, dict),
    "packages_distributions": (dict, None),
    "top_level": (dict, None),
}


def _check_probe_shape(python: str, data: Any) -> None:
    """An answer of the wrong shape would switch every check off in silence: refuse it."""
    if not isinstance(data, dict):
        raise EnvironmentProblem(f"interpreter {python}: probe answered garbage")
    for key, (kind, item) in _PROBE_SHAPE.items():
        value = data.get(key)
        ok = isinstance(value, kind) and (item is None or all(isinstance(v, item) and not isinstance(v, bool) for v in value))
        if not ok or (key in ("version", "stdlib_names") and not value):
            raise EnvironmentProblem(f"interpreter {python}: unexpected probe answer (`{key}`)")


def environment_from_probe(choice: InterpreterChoice, data: dict[str, Any]) -> TargetEnvironment:
    _check_probe_shape(choice.python, data)
    try:
        dists: dict[str, Distribution] = {}
        module_dists: dict[str, list[str]] = {}
        for mod, names in (data.get("packages_distributions") or {}).items():
            module_dists[mod] = sorted({canonical_name(n) for n in names})
        tops: dict[str, list[str]] = {}
        for mod, keys in module_dists.items():
            for k in keys:
                tops.setdefault(k, []).append(mod)
        for d in data.get("distributions") or []:
            key = canonical_name(d["name"])
            if key in dists:
                continue
            dists[key] = Distribution(
                name=d["name"], version=d.get("version", ""), top_level=tuple(sorted(tops.get(key, []))),
                location=d.get("location", ""),
            )
        version = tuple(int(x) for x in data["version"][:3])
        return TargetEnvironment(
            choice=choice,
            executable=str(data.get("executable") or choice.python),
            version=(version + (0, 0, 0))[:3],  # type: ignore[arg-type]
            implementation=str(data.get("implementation", "cpython")),
            platform=str(data.get("platform", sys.platform)),
            prefix=str(data.get("prefix", "")),
            base_prefix=str(data.get("base_prefix", "")),
            sys_path=[str(p) for p in data.get("sys_path", [])],
            site_packages=[str(p) for p in data.get("site_packages", [])],
            stdlib_dirs=[str(p) for p in data.get("stdlib_dirs", [])],
            stdlib_names=frozenset(data.get("stdlib_names", [])),
            distributions=dists,
            module_dists=module_dists,
            top_level_modules=dict(data.get("top_level", {})),
            meta_path_finders=list(data.get("meta_path_finders", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EnvironmentProblem(f"interpreter {choice.python}: unexpected probe answer ({exc})") from None
