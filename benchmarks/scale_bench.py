"""Whole-project speed at three sizes: vetpy beside ty, pyrefly and ruff, cold, warm, one file edited.

Issue #17, point 5.  The inputs are installed library source checked as if it were a project
(each input folder holds a copy of the packages and a ``.venv`` link to the environment they
were installed in, so imports resolve as in a real project):

    10k   requests, click                                         (~19k lines)
    100k  + flask, werkzeug, jinja2, httpx, pydantic              (~120k lines)
    350k  + sqlalchemy                                            (~375k lines)

For each input and tool, in one run: **cold** (vetpy with an empty cache directory, ruff with
``--no-cache``), **warm** (the same command again), and **edit** (one comment line appended to a
file that many others import, then the command again; the file is restored after).  ty and
pyrefly keep no cache between runs, so their cold and warm are the same kind of run.  The floor
is ``ast.parse`` of every file on one core.  Each cell: wall seconds / CPU seconds (the process
and its children, from ``/usr/bin/time``), and the largest resident set of the run.

Everything lives under $VETPY_SCALE_WORK (default: /tmp/vetpy-scale-bench; not inside the
repository, whose .gitignore would hide the inputs): the environment with the input packages, a
tools venv with the peers, and the inputs.

    .venv/bin/python benchmarks/scale_bench.py                 # every size, every tool
    .venv/bin/python benchmarks/scale_bench.py --sizes 10k     # one size (repeatable)
    .venv/bin/python benchmarks/scale_bench.py --no-peers      # vetpy (and the floor) only
    .venv/bin/python benchmarks/scale_bench.py --keep-index    # + vetpy cold with the index kept, and
                                                               #   with the index and members/ kept

Wall times come from a shared 2-core machine: compare tools within one run only.
"""
from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Outside the repository: inside it, its .gitignore (benchmarks/.work/) would hide the inputs from
# every tool that reads .gitignore files, as it should.
WORK = Path(os.environ.get("VETPY_SCALE_WORK") or Path(tempfile.gettempdir()) / "vetpy-scale-bench")
PACKAGES = ("requests==2.34.2", "click==8.5.1", "flask==3.1.3", "werkzeug==3.1.9", "jinja2==3.1.6", "httpx==0.29.0",
            "pydantic==2.14.4", "sqlalchemy==2.1.9")
PEERS = ("ty==0.0.105", "pyrefly==1.4.1", "ruff==0.17.6")
SIZES = {
    "10k": ("requests", "click"),
    "100k": ("requests", "click", "flask", "werkzeug", "jinja2", "httpx", "pydantic"),
    "350k": ("requests", "click", "flask", "werkzeug", "jinja2", "httpx", "pydantic", "sqlalchemy"),
}
EDITED = {"10k": "requests/models.py", "100k": "werkzeug/datastructures/__init__.py", "350k": "sqlalchemy/sql/elements.py"}


def sh(*cmd: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def venv(name: str, packages: tuple[str, ...], marker: str) -> Path:
    """benchmarks/.work/scale/NAME with ``packages`` (made once: ``marker`` says it is done)."""
    path = WORK / name
    if not (path / "bin" / marker).exists():
        sh(sys.executable, "-m", "venv", str(path))
        sh(str(path / "bin" / "python"), "-m", "pip", "install", "-q", *packages)
    return path


def environment() -> Path:
    return venv("env", PACKAGES, "flask")


def tools() -> Path:
    return venv("tools", PEERS, "ty")


def project(size: str, env: Path) -> Path:
    root = WORK / size
    if not root.exists():
        site = next((env / "lib").glob("python3*/site-packages"))
        root.mkdir(parents=True)
        for package in SIZES[size]:
            shutil.copytree(site / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
        (root / ".venv").symlink_to(env)
    return root


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if ".venv" not in p.parts)


def floor(files: list[Path]) -> tuple[int, float]:
    lines, start = 0, time.process_time()
    for path in files:
        text = path.read_bytes()
        lines += text.count(b"\n")
        ast.parse(text)
    return lines, time.process_time() - start


def timed(cmd: list[str], cwd: Path, env: dict[str, str], outputs: list[str] | None = None) -> str:
    """'wall / cpu s, MB' of one run (exit codes 0/1 are both normal: findings or none); its
    standard output is appended to ``outputs`` when given."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        proc = subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%e %U %S %M", *cmd], cwd=cwd, env=env,
                              stdout=subprocess.PIPE if outputs is not None else subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if outputs is not None:
            outputs.append(proc.stdout)
        if proc.returncode not in (0, 1):
            return f"failed ({proc.returncode}: {proc.stderr.strip().splitlines()[-1:]})"
        wall, user, system, rss = out.read().split()[-4:]
    return f"{float(wall):.2f} / {float(user) + float(system):.2f} s, {int(rss) // 1024} MB"


def edit_once(path: Path, run) -> str:  # noqa: ANN001 - a thunk
    original = path.read_bytes()
    stat = path.stat()
    try:
        path.write_bytes(original + b"\n# edited by scale_bench\n")
        return run()
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def measure(size: str, env_dir: Path, peers: Path | None, keep_index: bool = False) -> list[tuple[str, str, str, str]]:
    root = project(size, env_dir)
    python = str(env_dir / "bin" / "python")
    edited = root / EDITED[size]
    rows = []
    cache = Path(tempfile.mkdtemp(prefix="vetpy-scale-"))
    env = {**os.environ, "VETPY_CACHE_DIR": str(cache)}
    env.pop("VIRTUAL_ENV", None)
    # as installed: vetpy's own bytecode is written once (pip compiles it), not compiled per run
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    vetpy = [sys.executable, "-m", "vetpy", "check", ".", "--quiet", "--output-format", "concise"]
    outputs: list[str] = []
    cold = timed(vetpy, root, env, outputs)
    warm = timed(vetpy, root, env, outputs)
    rows.append(("vetpy", cold, warm, edit_once(edited, lambda: timed(vetpy, root, env, outputs))))
    if keep_index:
        # cold for the project, not for the interpreter: every cache but the index (what was learned
        # from the environment's installed modules and its standard library) is empty
        kept = Path(tempfile.mkdtemp(prefix="vetpy-scale-"))
        shutil.copytree(cache / "index", kept / "index")
        kenv = {**env, "VETPY_CACHE_DIR": str(kept)}
        cold = timed(vetpy, root, kenv, outputs)
        warm = timed(vetpy, root, kenv, outputs)
        rows.append(("vetpy, index kept", cold, warm, edit_once(edited, lambda: timed(vetpy, root, kenv, outputs))))
        shutil.rmtree(kept, ignore_errors=True)
        # the same with the introspection answers kept too (members/: per distribution, version and
        # Python, what the worker learned by importing; user-level like the index, not per project)
        kept = Path(tempfile.mkdtemp(prefix="vetpy-scale-"))
        for part in ("index", "members"):
            shutil.copytree(cache / part, kept / part)
        kenv = {**env, "VETPY_CACHE_DIR": str(kept)}
        cold = timed(vetpy, root, kenv, outputs)
        rows.append(("vetpy, index and introspection answers kept", cold, "", ""))
        shutil.rmtree(kept, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    same = "yes" if len(set(outputs)) == 1 else "NO"
    rows.append((f"vetpy findings, cold = warm = edited (a comment appended){', index kept' if keep_index else ''}: {same}",
                 f"{outputs[0].count(chr(10))} findings", "", ""))
    if peers is not None:
        bin_ = peers / "bin"
        ty = [str(bin_ / "ty"), "check", "--python", python, "."]
        rows.append(("ty", timed(ty, root, env), timed(ty, root, env), edit_once(edited, lambda: timed(ty, root, env))))
        pyrefly = [str(bin_ / "pyrefly"), "check", "--python-interpreter-path", python, "."]
        rows.append(("pyrefly", timed(pyrefly, root, env), timed(pyrefly, root, env),
                     edit_once(edited, lambda: timed(pyrefly, root, env))))
        ruff_cache = tempfile.mkdtemp(prefix="ruff-scale-")
        ruff = [str(bin_ / "ruff"), "check", "--select", "ALL", "--cache-dir", ruff_cache, "--exit-zero", "."]
        rows.append(("ruff --select ALL", timed(ruff, root, env), timed(ruff, root, env),
                     edit_once(edited, lambda: timed(ruff, root, env))))
        shutil.rmtree(ruff_cache, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", action="append", choices=list(SIZES), help="sizes to measure (default: all)")
    parser.add_argument("--no-peers", action="store_true", help="vetpy and the floor only")
    parser.add_argument("--keep-index", action="store_true",
                        help="also vetpy cold with only the index of the first run kept (a new project, a known interpreter)")
    args = parser.parse_args()
    import compileall
    import vetpy

    compileall.compile_dir(Path(vetpy.__file__).parent, quiet=1)  # what pip does at install time
    env_dir = environment()
    peers = None if args.no_peers else tools()
    print(f"# scale_bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cores\n")
    print("| input | files | lines | tool | cold | warm | one file edited |")
    print("|---|---:|---:|---|---|---|---|")
    for size in args.sizes or list(SIZES):
        root = project(size, env_dir)
        files = python_files(root)
        lines, parse_cpu = floor(files)
        for tool, cold, warm, edit in measure(size, env_dir, peers, args.keep_index):
            print(f"| {size} | {len(files)} | {lines:,} | {tool} | {cold} | {warm} | {edit} |", flush=True)
        print(f"| {size} | {len(files)} | {lines:,} | floor: `ast.parse` on one core | {parse_cpu:.2f} s CPU | | |", flush=True)
    print("\ncells: wall / CPU seconds, largest resident set of the run")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
